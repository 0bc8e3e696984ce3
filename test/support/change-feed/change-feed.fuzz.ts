/** Fuzzed operations on the change feed (src/domain/change-feed/): paging through fact-check changes with seen and forged cursors. */
import fc from 'fast-check';
import { cursor, first } from '../fuzz/arbitraries.js';
import { EVERYONE, from, type Families } from '../fuzz/family.js';
import { remember } from '../fuzz/world.js';

/** Change-feed families, keyed by root field. */
export const changeFeedFamilies = {
  factCheckChanges: {
    weight: 1,
    document:
      'query($first: Int, $after: String) { factCheckChanges(first: $first, after: $after) { pageInfo { endCursor hasNextPage } edges { cursor node { type at factCheckId factCheck { id rating } } } } }',
    roles: EVERYONE,
    principal: from({ partner: 4 }),
    variables: fc.record({ first, after: cursor }),
    harvest: (connection) => remember('cursor', connection.pageInfo.endCursor),
  },
} satisfies Families;
