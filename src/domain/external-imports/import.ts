/**
 * STAND-IN (feature 'external-sources', branch wip/feeds): a minimal importExternalDocument so that
 * feeds can be built and tested before the real import (feature 'external-imports') is merged. The
 * coordinator replaces this whole file with the real one at merge; only the signature is shared.
 * It reads JSON only (a ClaimReview, a list of them, a DataFeed's dataFeedElement), upserts by the
 * normalised review URL, tells created/updated/unchanged by a content hash, and leaves `rating` null.
 */
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/connection.js';
import { externalFactChecks } from '../../db/schema.js';
import { normalizeLookupUrl } from '../../model/lookup-url.js';
import { searchKey } from '../../model/search-key.js';
import { badInput } from '../coded-errors.js';
import { emptyImportReport, type ImportReport } from './report.js';

/** The value at `path` inside a parsed JSON value, if every step is an object. */
const at = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), value);

function reviewsOf(document: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    throw badInput('document', 'document is not valid JSON');
  }
  if (Array.isArray(parsed)) return parsed;
  const elements = at(parsed, 'dataFeedElement');
  if (Array.isArray(elements)) return elements.map((e: unknown) => at(e, 'item') ?? e);
  if (parsed !== null && typeof parsed === 'object') return [parsed];
  throw badInput('document', 'document holds no ClaimReview');
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);

export async function importExternalDocument(
  db: Database,
  document: string,
  options: { sourceId?: string | null; contentType?: 'json' | 'html' },
): Promise<ImportReport> {
  if (options.contentType === 'html') throw badInput('document', 'HTML documents are not read by this stand-in');
  const report = emptyImportReport();
  for (const [index, item] of reviewsOf(document).entries()) {
    const review = item;
    const reviewUrl = text(at(review, 'url'));
    const claimReviewed = text(at(review, 'claimReviewed'));
    const publisherName = text(at(review, 'author', 'name'));
    const textualRating = text(at(review, 'reviewRating', 'alternateName'));
    if (!reviewUrl || !claimReviewed || !publisherName || !textualRating) {
      report.skipped.push({ index, reviewUrl, reason: 'not a complete ClaimReview' });
      continue;
    }
    const appearance = at(review, 'itemReviewed', 'appearance');
    const appearanceUrls = (Array.isArray(appearance) ? appearance : appearance ? [appearance] : [])
      .map((a: unknown) => text(at(a, 'url')))
      .filter((u): u is string => u !== null);
    const published = text(at(review, 'datePublished'));
    const publishedAt = published && !Number.isNaN(Date.parse(published)) ? new Date(published) : null;
    const values = {
      reviewUrl,
      reviewUrlNormalized: normalizeLookupUrl(reviewUrl),
      publisherName,
      publisherSite: text(at(review, 'author', 'url')),
      claimReviewed,
      claimant: text(at(review, 'itemReviewed', 'author', 'name')),
      textualRating,
      textualRatingKey: searchKey(textualRating),
      rating: null,
      language: text(at(review, 'inLanguage')),
      publishedAt,
      appearanceUrls,
      sourceId: options.sourceId ?? null,
      claimReview: review as Record<string, unknown>,
    };
    const contentHash = createHash('sha256').update(JSON.stringify(values)).digest('hex');
    const [existing] = await db
      .select({ id: externalFactChecks.id, contentHash: externalFactChecks.contentHash })
      .from(externalFactChecks)
      .where(eq(externalFactChecks.reviewUrlNormalized, values.reviewUrlNormalized));
    if (!existing) {
      await db.insert(externalFactChecks).values({ ...values, contentHash });
      report.created++;
    } else if (existing.contentHash === contentHash) {
      report.unchanged++;
    } else {
      await db
        .update(externalFactChecks)
        .set({ ...values, contentHash, updatedAt: new Date() })
        .where(eq(externalFactChecks.id, existing.id));
      report.updated++;
    }
  }
  return report;
}
