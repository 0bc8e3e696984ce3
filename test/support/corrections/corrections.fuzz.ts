/** Fuzzed reads of the public corrections log (src/domain/corrections/): pages of it, with cursors seen and forged. */
import fc from 'fast-check';
import { cursor, first } from '../fuzz/arbitraries.js';
import { EVERYONE, from, type Families } from '../fuzz/family.js';
import { remember } from '../fuzz/world.js';

/** Correction log families, keyed by root field. */
export const correctionsFamilies = {
  corrections: {
    weight: 1,
    document: `query($first: Int, $after: String) { corrections(first: $first, after: $after) { totalCount pageInfo { endCursor }
      edges { node { at kind claimReviewed factCheckUrl note previousRating previousTextualRating rating textualRating factCheck { id claimReview } } } } }`,
    roles: EVERYONE,
    principal: from({ partner: 3, editor: 2 }),
    variables: fc.record({ first, after: cursor }),
    harvest: (connection) => remember('cursor', connection.pageInfo.endCursor),
    check: (_principal, data) => {
      const nodes: any[] = (data.corrections?.edges ?? []).map((e: any) => e.node);
      const problems: string[] = [];
      const times = nodes.map((n) => Date.parse(n.at));
      if (times.some((t, i) => i > 0 && t > times[i - 1]!)) problems.push('the log is not newest first');
      for (const n of nodes) {
        if (n.kind === 'RETRACTED' && (n.rating !== null || n.textualRating !== null || n.factCheck !== null))
          problems.push('a retraction with a rating after it, or a fact check partners see');
        if (n.kind === 'CORRECTED' && (n.rating === null || n.textualRating === null)) problems.push('a correction without its rating after');
      }
      return problems;
    },
  },
} satisfies Families;
