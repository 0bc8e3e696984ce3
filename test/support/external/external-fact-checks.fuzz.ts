/** Fuzzed reads of other publishers' fact checks (src/domain/external-fact-checks/): the list with its search, link lookup and filters. */
import fc from 'fast-check';
import { LIMITS } from '../../../src/domain/validation.js';
import { RATINGS } from '../../../src/model/enums.js';
import { cursor, first } from '../fuzz/arbitraries.js';
import { EVERYONE, from, type Families } from '../fuzz/family.js';
import { remember } from '../fuzz/world.js';
import { enumOf, languageTag, text, url } from '../hostile-input.js';

/** External fact-check families, keyed by root field. */
export const externalFactCheckFamilies = {
  externalFactChecks: {
    weight: 1,
    document: `query($filter: ExternalFactCheckFilter, $first: Int, $after: String) {
      externalFactChecks(filter: $filter, first: $first, after: $after) { totalCount pageInfo { endCursor } edges { node {
        id reviewUrl publisherName publisherSite claimReviewed claimant textualRating rating language publishedAt appearanceUrls importedAt updatedAt claimReview } } } }`,
    roles: EVERYONE,
    principal: from({ partner: 4 }),
    variables: fc.record({
      filter: fc.oneof(
        fc.constantFrom(undefined, null),
        fc.record(
          {
            search: text(LIMITS.short),
            appearanceUrl: fc.oneof(url, fc.constantFrom('https://social.example/p/1?utm_medium=m', 'https://video.example/v?a=1&b=2#t')),
            rating: fc.array(enumOf(RATINGS), { maxLength: 3 }),
            publisherName: text(LIMITS.name),
            language: languageTag,
          },
          { requiredKeys: [] },
        ),
      ),
      first,
      after: cursor,
    }),
    harvest: (connection) => remember('cursor', connection.pageInfo.endCursor),
  },
} satisfies Families;
