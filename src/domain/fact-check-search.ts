/**
 * Full-text search over published fact checks: which rows a search ranks, and how they are found.
 *
 * A search ranks the newest RANK_WINDOW matches by relevance: ranking every match costs ~0.4 s at a
 * million fact checks when a word matches a seventh of them, and a newsroom's search leans to recent
 * anyway. To find those without reading every match, each fact check's lexemes are also indexed once
 * per week and once per quarter of publication (drizzle/0003_search_buckets.sql), and the buckets are
 * read newest first until RANK_WINDOW rows are found.
 */
import { and, desc, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Queryable } from '../db/connection.js';
import { factChecks } from '../db/schema.js';

/** How many of the newest matches a search ranks by relevance. */
export const RANK_WINDOW = 1_000;

/** The columns filters apply to, on fact_checks or on a subquery of it. */
export type FactCheckColumns = Record<'retractedAt' | 'publishedAt' | 'rating' | 'articleId' | 'language' | 'searchVector', AnyPgColumn>;

/** What candidates carry: the filtered columns and the key; the rest is joined to the page's rows only. */
const candidateColumns = {
  id: factChecks.id,
  publishedAt: factChecks.publishedAt,
  retractedAt: factChecks.retractedAt,
  rating: factChecks.rating,
  articleId: factChecks.articleId,
  language: factChecks.language,
  searchVector: factChecks.searchVector,
};

export interface SearchQuery {
  /** What the index is asked for: holds every match of `matchedBy`, in every language in use. */
  anyLanguage: SQL;
  /** The query a fact check matches: read in the configuration its own vector was stemmed with. */
  matchedBy(f: FactCheckColumns): SQL;
}

/**
 * websearch syntax, read in the configuration of the filter's language, or else of each fact
 * check's own (drizzle/0004_search_config.sql to 0006_search_configs_in_use.sql). Each reading is
 * a subquery, so that it runs once per statement: statements are prepared, and a generic plan
 * would otherwise parse the text again for every row it tests.
 */
export function searchQuery(text: Placeholder | string, language: Placeholder | string | null | undefined): SearchQuery {
  if (language) {
    const query = sql`(select websearch_to_tsquery(search_config(${language}), ${text}))`;
    return { anyLanguage: query, matchedBy: () => query };
  }
  return {
    anyLanguage: sql`(select search_query_in_use(${text}))`,
    matchedBy: (f) => sql`(select search_queries(${text}))[search_config_index(${f.language})]`,
  };
}

/**
 * OFFSET 0: Postgres neither merges such a subquery into its parent nor pushes the parent's
 * conditions into it, so the subquery keeps the index path chosen for it. (drizzle leaves out a
 * numeric offset of 0, hence the SQL.)
 */
const FENCE = sql`0` as unknown as number;

/**
 * The newest RANK_WINDOW fact checks within `published` that `accepts` (the query, read in each
 * row's language, and the other filters), as a subquery. A nested loop keeps the order of its
 * outer rows, so the buckets are read newest first and reading stops at RANK_WINDOW.
 */
export function newestMatches(db: Queryable, query: SearchQuery, published: SQL | undefined, accepts: (f: FactCheckColumns) => SQL | undefined) {
  const edge = (fn: 'max' | 'min') => db.select({ at: sql`${sql.raw(fn)}(${factChecks.publishedAt})` }).from(factChecks).where(published);
  // The fence keeps the filters out of this scan: ANDing in the plain search index or the date index
  // would read every match again.
  const inBucket = db
    .select(candidateColumns)
    .from(factChecks)
    .where(sql`search_bucket_vector(${factChecks.searchVector}, ${factChecks.publishedAt}) @@ search_bucket_query(${query.anyLanguage}, buckets.bucket)`)
    .offset(FENCE)
    .as('in_bucket');
  const matchesInBucket = db
    .select(inBucket._.selectedFields)
    .from(inBucket)
    .where(accepts(inBucket))
    .orderBy(desc(inBucket.publishedAt), desc(inBucket.id))
    .limit(RANK_WINDOW)
    .as('matches');
  const bucketed = db
    .select(matchesInBucket._.selectedFields)
    .from(sql`search_buckets_newest_first((${edge('max')}), (${edge('min')})) as buckets(bucket)`)
    .crossJoinLateral(matchesInBucket)
    .where(sql`querytree(${query.anyLanguage}) <> 'T'`);
  // A query that needs no word ("-election", "a or -b") matches nearly everything, and an index can
  // only enumerate all of it (for every bucket): the newest rows are tested in date order instead.
  const newest = db
    .select(candidateColumns)
    .from(factChecks)
    .where(published)
    .orderBy(desc(factChecks.publishedAt), desc(factChecks.id))
    .offset(FENCE)
    .as('newest');
  const unindexable = db
    .select(newest._.selectedFields)
    .from(newest)
    .where(and(accepts(newest), sql`querytree(${query.anyLanguage}) = 'T'`))
    .limit(RANK_WINDOW);
  return bucketed.unionAll(unindexable).limit(RANK_WINDOW).as('candidates');
}
