/**
 * Writing a batch of external fact checks: one transaction of three statements whatever its size
 * (the contract names imports as an exception to "one transaction per mutation": each batch commits
 * on its own). Idempotent by normalised review URL: a new URL is `created`, a known one whose
 * content hash differs is `updated` in place (same ID), else `unchanged` and not written.
 */
import { inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import { externalFactCheckAppearances, externalFactChecks } from '../../db/schema.js';
import type { RatingOf } from './rating-rules.js';
import type { ExternalReview } from './review.js';

export interface BatchCounts {
  created: number;
  updated: number;
  unchanged: number;
}

const excluded = (column: string) => sql.raw(`excluded.${column}`);

/** Writes the reviews (their normalised URLs distinct) and their appearances, in one transaction. */
export async function writeReviews(db: Queryable, reviews: readonly ExternalReview[], ratingOf: RatingOf, sourceId: string | null): Promise<BatchCounts> {
  if (!reviews.length) return { created: 0, updated: 0, unchanged: 0 };
  return db.transaction(async (tx) => {
    const written = await tx
      .insert(externalFactChecks)
      .values(
        reviews.map((r) => ({
          reviewUrl: r.reviewUrl,
          reviewUrlNormalized: r.reviewUrlNormalized,
          publisherName: r.publisherName,
          publisherSite: r.publisherSite,
          claimReviewed: r.claimReviewed,
          claimant: r.claimant,
          textualRating: r.textualRating,
          textualRatingKey: r.textualRatingKey,
          rating: ratingOf(r),
          ratingPosition: r.ratingPosition,
          language: r.language,
          publishedAt: r.publishedAt,
          appearanceUrls: r.appearanceUrls,
          sourceId,
          claimReview: r.claimReview,
          contentHash: r.contentHash,
        })),
      )
      .onConflictDoUpdate({
        target: externalFactChecks.reviewUrlNormalized,
        set: {
          reviewUrl: excluded('review_url'),
          publisherName: excluded('publisher_name'),
          publisherSite: excluded('publisher_site'),
          claimReviewed: excluded('claim_reviewed'),
          claimant: excluded('claimant'),
          textualRating: excluded('textual_rating'),
          textualRatingKey: excluded('textual_rating_key'),
          rating: excluded('rating'),
          ratingPosition: excluded('rating_position'),
          language: excluded('language'),
          publishedAt: excluded('published_at'),
          appearanceUrls: excluded('appearance_urls'),
          sourceId: excluded('source_id'),
          claimReview: excluded('claim_review'),
          contentHash: excluded('content_hash'),
          updatedAt: sql`now()`,
        },
        // The same content again writes nothing (and is not returned).
        setWhere: sql`${externalFactChecks.contentHash} <> excluded.content_hash`,
      })
      // xmax is 0 on a row this statement inserted, the updating transaction's ID on one it updated.
      .returning({ id: externalFactChecks.id, url: externalFactChecks.reviewUrlNormalized, inserted: sql<boolean>`(xmax = 0)` });
    const created = written.filter((row) => row.inserted).length;
    if (written.length) await replaceAppearances(tx, written, reviews);
    return { created, updated: written.length - created, unchanged: reviews.length - written.length };
  });
}

/** The link lookup's rows of the written reviews: the old ones deleted, the new ones inserted (one JSON parameter, whatever their number). */
async function replaceAppearances(tx: Queryable, written: readonly { id: string; url: string }[], reviews: readonly ExternalReview[]) {
  const ids = written.map((row) => row.id);
  await tx.delete(externalFactCheckAppearances).where(inArray(externalFactCheckAppearances.externalFactCheckId, ids));
  const byUrl = new Map(reviews.map((r) => [r.reviewUrlNormalized, r]));
  const rows = written.flatMap((row) => byUrl.get(row.url)!.appearanceUrlsNormalized.map((u) => ({ u, i: row.id })));
  if (!rows.length) return;
  await tx.execute(sql`
    insert into ${externalFactCheckAppearances} (url_normalized, external_fact_check_id)
    select x.u, x.i from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(u text, i uuid)
    on conflict do nothing`);
}
