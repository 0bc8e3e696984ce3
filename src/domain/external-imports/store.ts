/**
 * Writing a batch of external fact checks: one transaction of at most six statements whatever its
 * size (read the known content hashes; for new and changed ones, hold and read the rating rules,
 * upsert them, replace their appearances).
 * The contract names imports as an exception to "one transaction per mutation": each batch commits
 * on its own. Idempotent by normalised review URL: a new URL is `created`, a known one whose
 * content hash differs is `updated` in place (same ID), else `unchanged` and not written.
 */
import { inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import { externalFactCheckAppearances, externalFactChecks } from '../../db/schema.js';
import { ratingRules, type RatingOf } from './rating-rules.js';
import type { ExternalReview } from './review.js';
import { rulesForWriting } from './rules-store.js';

export interface BatchCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** The stored columns, and how each is read from a row of the batch's JSON. */
const COLUMNS = [
  ['review_url', 'text'],
  ['review_url_normalized', 'text'],
  ['publisher_name', 'text'],
  ['publisher_site', 'text'],
  ['claim_reviewed', 'text'],
  ['claimant', 'text'],
  ['textual_rating', 'text'],
  ['textual_rating_key', 'text'],
  ['rating', 'rating'],
  ['rating_position', 'float8'],
  ['language', 'text'],
  ['published_at', 'timestamptz'],
  ['appearance_urls', 'text[]'],
  ['source_id', 'uuid'],
  ['claim_review', 'jsonb'],
  ['content_hash', 'text'],
] as const;
const NAMES = COLUMNS.map(([name]) => name).join(', ');
// jsonb_to_recordset reads text[] from a JSON array and the enum from its label.
const RECORD = COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ');
const UPDATES = [...COLUMNS.filter(([name]) => name !== 'review_url_normalized').map(([name]) => `${name} = excluded.${name}`), 'updated_at = now()'].join(
  ', ',
);

/**
 * Writes the reviews (their normalised URLs distinct) and their appearances, in one transaction.
 * The batch goes as one JSON parameter: building a 500-row VALUES list of 16 parameters each cost
 * the query builder more than Postgres took to run it. The ratings are computed with the rules read
 * in this transaction, which keeps them in force until it commits (rules-store.ts says why).
 */
export async function writeReviews(db: Queryable, reviews: readonly ExternalReview[], sourceId: string | null): Promise<BatchCounts> {
  if (!reviews.length) return { created: 0, updated: 0, unchanged: 0 };
  return db.transaction(async (tx) => {
    // A feed fetched again is mostly the same: what is known with the same content is not offered
    // to the upsert at all (which would compute each row's search vector and lock it).
    const urls = JSON.stringify(reviews.map((r) => r.reviewUrlNormalized));
    const known = await tx
      .select({ url: externalFactChecks.reviewUrlNormalized, hash: externalFactChecks.contentHash })
      .from(externalFactChecks)
      // An array, not a join: the planner has no row estimate for the JSON and might scan the table.
      .where(sql`${externalFactChecks.reviewUrlNormalized} = any(array(select jsonb_array_elements_text(${urls}::jsonb)))`);
    const hashes = new Map(known.map((row) => [row.url, row.hash]));
    const changed = reviews.filter((r) => hashes.get(r.reviewUrlNormalized) !== r.contentHash);
    const written = changed.length ? await upsert(tx, changed, ratingRules(await rulesForWriting(tx)), sourceId) : [];
    const created = written.filter((row) => row.inserted).length;
    if (written.length) await replaceAppearances(tx, written, changed);
    return { created, updated: written.length - created, unchanged: reviews.length - written.length };
  });
}

/** The multi-row upsert: the rows it inserted or updated (not those whose content was the same after all). */
async function upsert(tx: Queryable, reviews: readonly ExternalReview[], ratingOf: RatingOf, sourceId: string | null): Promise<WrittenRow[]> {
  const rows = reviews.map((r) => ({
    review_url: r.reviewUrl,
    review_url_normalized: r.reviewUrlNormalized,
    publisher_name: r.publisherName,
    publisher_site: r.publisherSite,
    claim_reviewed: r.claimReviewed,
    claimant: r.claimant,
    textual_rating: r.textualRating,
    textual_rating_key: r.textualRatingKey,
    rating: ratingOf(r),
    rating_position: r.ratingPosition,
    language: r.language,
    published_at: r.publishedAt,
    appearance_urls: r.appearanceUrls,
    source_id: sourceId,
    claim_review: r.claimReview,
    content_hash: r.contentHash,
  }));
  const result = await tx.execute(sql`
      insert into ${externalFactChecks} (${sql.raw(NAMES)})
      select ${sql.raw(NAMES)} from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(${sql.raw(RECORD)})
      on conflict (review_url_normalized) do update set ${sql.raw(UPDATES)}
      -- The same content again writes nothing (and is not returned).
      where ${externalFactChecks.contentHash} <> excluded.content_hash
      -- xmax is 0 on a row this statement inserted, the updating transaction's ID on one it updated.
      returning id, review_url_normalized as url, (xmax = 0) as inserted`);
  // postgres.js answers the rows, PGlite an object holding them.
  return (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as WrittenRow[];
}

interface WrittenRow {
  id: string;
  url: string;
  inserted: boolean;
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

/**
 * ANALYZE the table when it has no statistics, or when they are stale by autovacuum's own rule (more
 * rows changed since than 50 + 10 % of the table): Claim.relatedFactChecks bounds its candidates by
 * the common words ANALYZE lists (src/db/external-fact-checks.ts), and without them compares every
 * row sharing a trigram. PGlite has no autovacuum, so an embedded desk's imports would otherwise
 * leave them missing, or as small as its first import, for good; on Postgres it spares the wait.
 */
export async function analyzeIfUnanalyzed(db: Queryable): Promise<boolean> {
  const [row] = await db
    .select({
      stale: sql<boolean>`not exists (select 1 from pg_stats where schemaname = current_schema() and tablename = 'external_fact_checks'
          and attname = 'search_vector' and most_common_elems is not null)
        or coalesce((select n_mod_since_analyze > 50 + 0.1 * n_live_tup from pg_stat_user_tables
          where schemaname = current_schema() and relname = 'external_fact_checks'), false)`,
    })
    .from(sql`(values (1)) as one (n)`);
  if (!row?.stale) return false;
  await db.execute(sql`analyze external_fact_checks`);
  return true;
}
