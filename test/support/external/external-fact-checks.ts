/**
 * Other publishers' fact checks for tests of the reads, inserted as an import leaves them (the row and
 * one appearance row per normalised appearance URL) through the test's database handle: the import
 * mutation is another feature's (external-imports), and these tests need exact dates and ratings.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { TestApp } from '../app.js';
import { externalFactCheckAppearances, externalFactChecks } from '../../../src/db/schema.js';
import { normalizeLookupUrl } from '../../../src/model/lookup-url.js';
import { searchKey } from '../../../src/model/search-key.js';
import type { Rating } from '../../../src/model/enums.js';
import { toGlobalId } from '../../../src/domain/global-ids.js';

export interface ExternalInput {
  claimReviewed: string;
  publisherName?: string;
  publisherSite?: string | null;
  reviewUrl?: string;
  claimant?: string | null;
  textualRating?: string;
  rating?: Rating | null;
  language?: string | null;
  publishedAt?: Date | null;
  importedAt?: Date;
  appearanceUrls?: string[];
  /** More properties of the ClaimReview as received (e.g. its `name`). */
  markup?: Record<string, unknown>;
}

export interface ExternalFactCheckData {
  id: string;
  rowId: string;
  reviewUrl: string;
  claimReview: Record<string, unknown>;
}

export const EXTERNAL_FIELDS = `id reviewUrl publisherName publisherSite claimReviewed claimant textualRating rating language publishedAt
  appearanceUrls importedAt updatedAt claimReview`;

/** Inserts the reviews in one statement (their appearances in a second); IDs in the order given. */
export async function insertExternalFactChecks(app: TestApp, inputs: ExternalInput[]): Promise<ExternalFactCheckData[]> {
  const rows = inputs.map((input) => {
    const id = randomUUID();
    const reviewUrl = input.reviewUrl ?? `https://factcheck.example.org/reviews/${id}`;
    const publisherName = input.publisherName ?? 'Example Fact Check';
    const textualRating = input.textualRating ?? 'False';
    const appearanceUrls = input.appearanceUrls ?? [];
    const claimReview = {
      '@context': 'https://schema.org',
      '@type': 'ClaimReview',
      url: reviewUrl,
      claimReviewed: input.claimReviewed,
      author: { '@type': 'Organization', name: publisherName, ...(input.publisherSite ? { url: input.publisherSite } : {}) },
      reviewRating: { '@type': 'Rating', alternateName: textualRating },
      ...(input.publishedAt ? { datePublished: input.publishedAt.toISOString() } : {}),
      ...(input.language ? { inLanguage: input.language } : {}),
      itemReviewed: {
        '@type': 'Claim',
        ...(input.claimant ? { author: { '@type': 'Person', name: input.claimant } } : {}),
        appearance: appearanceUrls.map((url) => ({ '@type': 'CreativeWork', url })),
      },
      ...input.markup,
    };
    const importedAt = input.importedAt ?? new Date();
    return {
      id,
      reviewUrl,
      reviewUrlNormalized: normalizeLookupUrl(reviewUrl),
      publisherName,
      publisherSite: input.publisherSite === undefined ? 'https://factcheck.example.org' : input.publisherSite,
      claimReviewed: input.claimReviewed,
      claimant: input.claimant ?? null,
      textualRating,
      textualRatingKey: searchKey(textualRating),
      rating: input.rating === undefined ? ('FALSE' as const) : input.rating,
      language: input.language === undefined ? 'en' : input.language,
      publishedAt: input.publishedAt ?? null,
      appearanceUrls,
      importedAt,
      updatedAt: importedAt,
      claimReview,
      contentHash: createHash('sha256').update(JSON.stringify(claimReview)).digest('hex'),
    };
  });
  const db = app.database.db;
  await db.insert(externalFactChecks).values(rows);
  const appearances = rows.flatMap((row) =>
    [...new Set(row.appearanceUrls.map(normalizeLookupUrl))].map((urlNormalized) => ({ urlNormalized, externalFactCheckId: row.id })),
  );
  if (appearances.length) await db.insert(externalFactCheckAppearances).values(appearances);
  return rows.map((row) => ({ id: toGlobalId('ExternalFactCheck', row.id), rowId: row.id, reviewUrl: row.reviewUrl, claimReview: row.claimReview }));
}

export const insertExternalFactCheck = async (app: TestApp, input: ExternalInput) => (await insertExternalFactChecks(app, [input]))[0]!;
