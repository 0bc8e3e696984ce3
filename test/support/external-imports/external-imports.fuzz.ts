/** Fuzzed operations on other publishers' fact checks (src/domain/external-imports/): imports of ClaimReview markup and the rating rules. */
import fc from 'fast-check';
import { RATINGS } from '../../../src/model/enums.js';
import { LIMITS } from '../../../src/domain/validation.js';
import { input } from '../fuzz/arbitraries.js';
import { ADMINS, ADMINS_MOSTLY, EDITORS, EDITORS_MOSTLY, type Families } from '../fuzz/family.js';
import { enumOf, hostileText, languageTag, mostly, text, url, wrongType } from '../hostile-input.js';
import { X } from './imports.js';

const LABELS = ['False', 'Pants on Fire', 'Engañoso', 'Irreführend', 'Half-true', 'Unproven', 'Three Pinocchios'];
const label = mostly(fc.constantFrom(...LABELS), text(LIMITS.label));

/** A ClaimReview as publishers write it, any field hostile or left out. */
const claimReview = fc.record(
  {
    '@type': mostly(fc.constant('ClaimReview'), fc.constantFrom<unknown>('NewsArticle', ['ClaimReview', 'Thing'], 'https://schema.org/ClaimReview', 1)),
    url,
    claimReviewed: text(LIMITS.summary),
    inLanguage: languageTag,
    datePublished: mostly(fc.constant('2024-05-01'), fc.constantFrom<unknown>('not a date', '0000-01-01', 1)),
    author: mostly(fc.record({ name: text(LIMITS.name), url }), wrongType),
    reviewRating: mostly(
      fc.record({
        alternateName: label,
        ratingValue: fc.oneof(fc.integer({ min: -2, max: 7 }), wrongType),
        bestRating: fc.constantFrom(5, '5', 0),
        worstRating: fc.constant(1),
      }),
      wrongType,
    ),
    itemReviewed: fc.record(
      { author: fc.record({ name: text(LIMITS.name) }), appearance: fc.array(fc.record({ url }), { maxLength: 3 }) },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['url'] },
);
const reviews = fc.array(claimReview, { maxLength: 6 });

/** A document in one of the accepted forms, or something else. */
const document = fc.oneof(
  { weight: 2, arbitrary: reviews.map((list) => JSON.stringify(list)) },
  { weight: 1, arbitrary: claimReview.map((r) => JSON.stringify(r)) },
  { weight: 1, arbitrary: reviews.map((list) => JSON.stringify({ '@type': 'DataFeed', dataFeedElement: list.map((item) => ({ item })) })) },
  {
    weight: 1,
    arbitrary: reviews.map((list) =>
      JSON.stringify({
        claims: list.map((r) => ({
          text: r.claimReviewed,
          claimReview: [{ url: r.url, publisher: { name: 'P', site: 'p.example' }, textualRating: 'False' }],
        })),
      }),
    ),
  },
  { weight: 1, arbitrary: reviews.map((list) => `<html><script type="application/ld+json">${JSON.stringify({ '@graph': list })}</script></html>`) },
  { weight: 1, arbitrary: hostileText(1_000) },
);

/** A report as answered: counts that are whole and not negative, skips in document order. */
function reportHolds(report: { created: number; updated: number; unchanged: number; skipped: { index: number }[] } | undefined): string[] {
  if (!report) return [];
  const problems: string[] = [];
  for (const n of [report.created, report.updated, report.unchanged]) if (!Number.isInteger(n) || n < 0) problems.push(`a count of ${n}`);
  report.skipped.forEach((skip, i) => i > 0 && skip.index <= report.skipped[i - 1]!.index && problems.push('skips out of document order'));
  return problems;
}

type Rule = { custom: boolean };
const customFirst = (rules: Rule[] | undefined) =>
  rules && rules.some((r, i) => i > 0 && r.custom && !rules[i - 1]!.custom) ? ['a desk rule after a built-in one'] : [];

/** Families of other publishers' fact checks, keyed by root field. */
export const externalImportsFamilies = {
  importExternalFactChecks: {
    weight: 2,
    document: X.import,
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: input({ document }),
    check: (_principal, data) => reportHolds(data.importExternalFactChecks?.report),
  },
  setExternalRatingRules: {
    weight: 1,
    document: X.setRules,
    roles: ADMINS,
    principal: ADMINS_MOSTLY,
    variables: input({
      rules: mostly(
        fc.array(fc.record({ textualRating: label, language: fc.oneof(fc.constant(null), languageTag), rating: enumOf(RATINGS) }), { maxLength: 4 }),
        wrongType,
      ),
    }),
    check: (_principal, data) => {
      const answer = data.setExternalRatingRules;
      if (!answer) return [];
      return [...customFirst(answer.rules), ...(Number.isInteger(answer.remapped) && answer.remapped >= 0 ? [] : [`remapped ${answer.remapped}`])];
    },
  },
  externalRatingRules: {
    weight: 1,
    document: X.rules,
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: fc.constant({}),
    check: (_principal, data) => customFirst(data.externalRatingRules),
  },
} satisfies Families;
