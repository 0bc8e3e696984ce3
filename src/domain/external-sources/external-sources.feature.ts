import type { Feature } from '../feature.js';
import { EDITORS } from '../viewer.js';

/** Feeds of other publishers' ClaimReview markup, fetched on a schedule by every server process (one at a time per feed). */
export const externalSourcesFeature = {
  name: 'external-sources',
  nodeTypes: { ExternalSource: EDITORS },
  queries: ['externalSources'],
  mutations: ['createExternalSource', 'updateExternalSource', 'deleteExternalSource', 'fetchExternalSource'],
} as const satisfies Feature;
