import type { Feature } from '../feature.js';
import { EVERYONE } from '../viewer.js';

/**
 * Reading other publishers' fact checks (brought in by external-imports and feeds): the list with its
 * search and link lookup, node(id), Claim.relatedFactChecks, and claims:search?includeExternal=true
 * (served by the fact-checks feature's route).
 */
export const externalFactChecksFeature = {
  name: 'external-fact-checks',
  nodeTypes: { ExternalFactCheck: EVERYONE },
  queries: ['externalFactChecks'],
  partnerReads: ['externalFactChecks'],
} as const satisfies Feature;
