/** Fuzzed operations on fact checks (src/domain/fact-checks/): publishing (and correcting) one, and the partners' list with its filters. */
import fc from 'fast-check';
import { LIMITS } from '../../../src/domain/validation.js';
import { RATINGS } from '../../../src/model/enums.js';
import { claimIn, cursor, first, input, version } from '../fuzz/arbitraries.js';
import { EDITORS, EDITORS_MOSTLY, EVERYONE, from, type Families } from '../fuzz/family.js';
import { articles, Lazy, pick, remember } from '../fuzz/world.js';
import { dateTime, enumOf, languageTag, optionalText, text, url } from '../hostile-input.js';
import { labelKey } from '../rating-scale/rating-scale.fuzz.js';

/** publishAt: mostly left out; else days ahead or behind (past the 90-day limit too), or any date-time, hostile ones included. */
const publishAt = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.integer({ min: -3, max: 95 }).map((days) => new Lazy(() => new Date(Date.now() + days * 86_400_000).toISOString())) },
  { weight: 1, arbitrary: dateTime },
);

/** Fact-check families, keyed by root field. */
export const factCheckFamilies = {
  publishFactCheck: {
    weight: 2,
    document:
      'mutation($i: PublishFactCheckInput!) { publishFactCheck(input: $i) { claim { id status version } factCheck { id rating summary claimReview corrections { note previousRating } } } }',
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({
      claimId: claimIn(['REVIEWED', 'DISPUTED', 'PUBLISHED']),
      expectedVersion: version,
      rating: fc.oneof({ weight: 4, arbitrary: enumOf(RATINGS) }, { weight: 1, arbitrary: fc.constantFrom(undefined, null) }),
      ratingLabel: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: labelKey }),
      summary: text(LIMITS.summary),
      correctionNote: optionalText(LIMITS.note),
      publishAt,
    }),
    // A scheduled fact check's ID names nothing yet: node(id) and factCheck(id) must answer null for it.
    harvest: ({ factCheck }) => remember('factCheck', factCheck.id),
  },
  factChecks: {
    weight: 1,
    document: `query($filter: FactCheckFilter, $first: Int, $after: String) {
      factChecks(filter: $filter, first: $first, after: $after) { totalCount pageInfo { endCursor } edges { node { id rating quote claimReview article { url title }
        textualRating ratingLabel { key name } corrections { note previousTextualRating } } } } }`,
    roles: EVERYONE,
    principal: from({ partner: 4 }),
    variables: fc.record({
      filter: fc.oneof(
        fc.constantFrom(undefined, null),
        fc.record(
          {
            search: text(LIMITS.short),
            rating: fc.array(enumOf(RATINGS), { maxLength: 3 }),
            articleUrl: fc.oneof(
              url,
              fc.nat().map((i) => new Lazy(() => pick(articles, i)!.url)),
            ),
            publishedAfter: dateTime,
            publishedBefore: dateTime,
            language: languageTag,
            appearanceUrl: fc.oneof(
              url,
              fc.constantFrom('https://social.example/p/1?utm_medium=m', 'https://video.example/v?a=1&b=2#t'),
              fc.nat().map((i) => new Lazy(() => pick(articles, i)!.url)),
            ),
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
