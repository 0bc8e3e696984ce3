/**
 * Fills in articles.url_normalized where it is NULL: rows from before migration 0012, and rows
 * written without ingestArticle (bulk loads). Run after the migrations, under their lock, before
 * the server answers. The normaliser is JavaScript (normalize-url), so this runs here rather than
 * in the SQL of the migration; the partial index articles_url_unnormalized_idx makes it free once
 * done. A URL that does not parse (none should: ingestArticle validates) gets its own text.
 *
 * connection.ts runs it from migrate(); this module therefore does not import connection.ts (its
 * Queryable type included): it asks only for the two query builders it uses.
 */
import { asc, gt, inArray, isNull, and, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { normalizeLookupUrl } from '../model/lookup-url.js';
import { articles } from './schema.js';

/** What the backfill runs on: any drizzle Postgres database or transaction (connection.ts' Queryable fits). */
export type BackfillDatabase = Pick<PgDatabase<PgQueryResultHKT>, 'select' | 'update'>;

const BATCH = 1_000;

const normalized = (url: string) => {
  try {
    return normalizeLookupUrl(url);
  } catch {
    return url;
  }
};

/** Returns how many articles it normalised. */
export async function backfillNormalizedUrls(db: BackfillDatabase): Promise<number> {
  let done = 0;
  let after: string | null = null;
  for (;;) {
    const rows: { id: string; url: string }[] = await db
      .select({ id: articles.id, url: articles.url })
      .from(articles)
      .where(and(isNull(articles.urlNormalized), after ? gt(articles.id, after) : undefined))
      .orderBy(asc(articles.id))
      .limit(BATCH);
    if (rows.length === 0) return done;
    const cases = sql.join(
      rows.map((r) => sql`when ${r.id}::uuid then ${normalized(r.url)}`),
      sql` `,
    );
    await db
      .update(articles)
      .set({ urlNormalized: sql`(case ${articles.id} ${cases} end)` })
      .where(
        inArray(
          articles.id,
          rows.map((r) => r.id),
        ),
      );
    done += rows.length;
    after = rows.at(-1)!.id;
  }
}
