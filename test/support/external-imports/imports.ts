/** Importing ClaimReview markup and setting rating rules through the API, for the tests (GraphQL and POST /imports/claim-reviews). */
import { readFileSync } from 'node:fs';
import { asc, count, eq } from 'drizzle-orm';
import { externalFactCheckAppearances, externalFactChecks } from '../../../src/db/schema.js';
import type { TestApp } from '../app.js';

export const X = {
  import:
    'mutation($i: ImportExternalFactChecksInput!) { importExternalFactChecks(input: $i) { report { created updated unchanged skipped { index reviewUrl reason } } } }',
  setRules: 'mutation($i: SetExternalRatingRulesInput!) { setExternalRatingRules(input: $i) { remapped rules { textualRating language rating custom } } }',
  rules: '{ externalRatingRules { textualRating language rating custom } }',
};

export const claimReviewFixture = (name: string) => readFileSync(new URL(`../../fixtures/claim-review/${name}`, import.meta.url), 'utf8');

/** POST /imports/claim-reviews with a raw body. */
export async function postImport(app: TestApp, body: string | Uint8Array, token: string | null, contentType = 'application/json') {
  const response = await fetch(`${app.url}/imports/claim-reviews`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** A ClaimReview as publishers write it, with what a test changes. */
export function claimReview(url: string, fields: { rating?: string; language?: string; claim?: string; ratingValue?: number; appearances?: string[] } = {}) {
  return {
    '@context': 'https://schema.org',
    '@type': 'ClaimReview',
    url,
    datePublished: '2024-05-01',
    claimReviewed: fields.claim ?? `The claim reviewed at ${url}`,
    ...(fields.language ? { inLanguage: fields.language } : {}),
    author: { '@type': 'Organization', name: 'Example Checks', url: 'https://checks.example/' },
    reviewRating: {
      '@type': 'Rating',
      alternateName: fields.rating ?? 'False',
      ...(fields.ratingValue === undefined ? {} : { ratingValue: fields.ratingValue, bestRating: 5, worstRating: 1 }),
    },
    itemReviewed: { '@type': 'Claim', author: { '@type': 'Person', name: 'A Speaker' }, appearance: (fields.appearances ?? []).map((u) => ({ url: u })) },
  };
}

/** The stored row of a review, by its URL as given. */
export async function storedReview(app: TestApp, reviewUrl: string) {
  const [row] = await app.database.db.select().from(externalFactChecks).where(eq(externalFactChecks.reviewUrl, reviewUrl));
  return row;
}

/** The link lookup's URLs of a stored review. */
export async function appearancesOf(app: TestApp, id: string) {
  const rows = await app.database.db
    .select({ url: externalFactCheckAppearances.urlNormalized })
    .from(externalFactCheckAppearances)
    .where(eq(externalFactCheckAppearances.externalFactCheckId, id))
    .orderBy(asc(externalFactCheckAppearances.urlNormalized));
  return rows.map((r) => r.url);
}

/** The stored reviews counted by textual rating and rating ("zorp: FALSE"; "null" for no rating). */
export async function ratingsByLabel(app: TestApp) {
  const rows = await app.database.db
    .select({ key: externalFactChecks.textualRatingKey, rating: externalFactChecks.rating, n: count() })
    .from(externalFactChecks)
    .groupBy(externalFactChecks.textualRatingKey, externalFactChecks.rating);
  return Object.fromEntries(rows.map((r) => [`${r.key}: ${r.rating ?? 'null'}`, r.n]));
}

/** How many reviews are stored. */
export const storedCount = async (app: TestApp) => (await app.database.db.select({ n: count() }).from(externalFactChecks))[0]!.n;
