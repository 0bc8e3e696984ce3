/** Fuzzed operations of scheduled publication (src/domain/scheduling/): cancelling one (publishFactCheck's publishAt is in fact-checks.fuzz.ts). */
import { claimIn, input, version } from '../fuzz/arbitraries.js';
import { EDITORS, EDITORS_MOSTLY, type Families } from '../fuzz/family.js';

/** Scheduling families, keyed by root field. */
export const schedulingFamilies = {
  cancelScheduledPublication: {
    weight: 1,
    document:
      'mutation($i: CancelScheduledPublicationInput!) { cancelScheduledPublication(input: $i) { claim { id status version scheduledPublication { publishAt factCheckId } } } }',
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    // Scheduled claims are REVIEWED or DISPUTED; others answer CONFLICT (nothing scheduled).
    variables: input({ claimId: claimIn(['REVIEWED', 'DISPUTED', 'PUBLISHED']), expectedVersion: version }),
  },
} satisfies Families;
