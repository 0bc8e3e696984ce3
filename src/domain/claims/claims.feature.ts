import type { Feature } from '../feature.js';
import { STAFF } from '../viewer.js';

/** Claims and their review: assignments, evidence, verdicts (blind review), history, appearances, bulk actions. */
export const claimsFeature = {
  name: 'claims',
  nodeTypes: {
    Claim: STAFF,
    Assignment: STAFF,
    Evidence: STAFF,
    Verdict: STAFF, // and then blind review: visibility.ts, `visibleVerdicts`
  },
  readables: { ClaimEvent: STAFF },
  queries: ['claim', 'claims', 'myAssignments'],
  mutations: [
    'createClaim',
    'updateClaim',
    'addClaimAppearance',
    'assignClaim',
    'withdrawAssignment',
    'addEvidence',
    'submitVerdict',
    'dismissClaim',
    'reopenClaim',
    'bulkAssignClaims',
    'bulkDismissClaims',
  ],
} as const satisfies Feature;
