/**
 * The newest matches of a full-text search, found without reading every match: our fact checks'
 * search and other publishers' (src/domain/fact-checks/search.ts, src/domain/external-fact-checks/search.ts)
 * both rank the newest RANK_WINDOW matches (beyond the recent weeks, by quarter: `newestMatches`), and
 * both find them through the week and quarter buckets their lexemes are indexed under
 * (drizzle/0003_search_buckets.sql), read newest first until RANK_WINDOW rows are found.
 */
import { and, desc, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { AnyPgColumn, PgTable, SubqueryWithSelection } from 'drizzle-orm/pg-core';
import type { Queryable } from '../db/connection.js';

/** How many of the newest matches a search ranks by relevance. */
export const RANK_WINDOW = 1_000;

export interface SearchQuery {
  /** What the index is asked for: holds every match of `matchedBy`, in every language in use. */
  anyLanguage: SQL;
  /** The query a row matches: read in the configuration its own vector was stemmed with. */
  matchedBy(row: { language: AnyPgColumn }): SQL;
}

/**
 * websearch syntax, read in the configuration of the filter's language, or else of each row's own
 * (drizzle/0004_search_config.sql to 0006_search_configs_in_use.sql). Each reading is a subquery, so
 * that it runs once per statement: statements are prepared, and a generic plan would otherwise parse
 * the text again for every row it tests.
 */
export function searchQuery(text: Placeholder | string, language: Placeholder | string | null | undefined): SearchQuery {
  if (language) {
    const query = sql`(select websearch_to_tsquery(search_config(${language}), ${text}))`;
    return { anyLanguage: query, matchedBy: () => query };
  }
  return {
    anyLanguage: sql`(select search_query_in_use(${text}))`,
    matchedBy: (row) => sql`(select search_queries(${text}))[search_config_index(${row.language})]`,
  };
}

/**
 * A number written into the statement, not sent as a parameter, for limit() and offset(). A search's
 * plan is then the same whatever its values: Postgres estimates a LIMIT given as a parameter at a
 * tenth of its input, so the generic plan looked dearer than each custom one, and every execution
 * of the prepared statement was planned again (~5 ms of 13 at 1M). With every limit written in, it
 * switches to the generic plan after five executions.
 */
export const inlined = (n: number) => sql.raw(String(Math.trunc(n))) as unknown as number;

/**
 * The rows a search statement fetches for a page of `limit` (and one more, to tell whether a page
 * follows): a few sizes, so that the statements written with them (`inlined`) stay few whatever
 * `first` clients send; the rows beyond the page are dropped (pagination.ts, toPage).
 */
export const fetchedForPage = (limit: number) => [11, 21, 51, 101].find((size) => size > limit) ?? limit + 1;

/**
 * OFFSET 0: Postgres neither merges such a subquery into its parent nor pushes the parent's
 * conditions into it, so the subquery keeps the index path chosen for it. (drizzle leaves out a
 * numeric offset of 0, hence the SQL.)
 */
const FENCE = inlined(0);
const WINDOW = inlined(RANK_WINDOW);

/** What a candidate needs beyond the columns its filters read: its key, its vector and the date its bucket is of. */
type CandidateColumns = { id: AnyPgColumn; searchVector: AnyPgColumn; bucketDate: SQL.Aliased<Date> };

export interface BucketSearch<C extends CandidateColumns> {
  table: PgTable;
  /** The candidates' columns, `bucketDate` the date the rows were indexed under (the same expression as the bucket index's). */
  columns: C;
  /** `columns.bucketDate`'s expression over `table`. */
  date: SQL;
  /** Rows out of reach whatever the query (e.g. not yet published): also left out of the buckets' range. */
  within?: SQL;
  query: SearchQuery;
  /** The query, read in each row's language, and the other filters, over a subquery's columns. */
  accepts(row: NoInfer<C>): SQL | undefined;
}

/**
 * RANK_WINDOW rows that `accepts`, newest first by bucket, as a subquery: every match of the newer
 * buckets and, from the bucket where the window fills, the newest of a week, or the first found (in
 * storage order) of an older quarter. A nested loop keeps the order of its outer rows, so the
 * buckets are read newest first and reading stops at RANK_WINDOW.
 */
export function newestMatches<C extends CandidateColumns>(db: Queryable, search: BucketSearch<C>): SubqueryWithSelection<C, 'candidates'> {
  const { table, date, within, query } = search;
  // drizzle's builder types do not follow a generic selection: built over the constraint, typed at the end.
  const columns: CandidateColumns = search.columns;
  const accepts = search.accepts as (row: CandidateColumns) => SQL | undefined;
  // The newest and oldest dates as columns of a lateral join, not subquery arguments: only then does
  // Postgres inline search_buckets_newest_first (with subqueries it runs the SQL function, planning
  // its body each time: ~5 ms at 1M against 0.1).
  const buckets = sql`(select max(${date}) as newest, min(${date}) as oldest from ${table}${within ? sql` where ${within}` : sql``}) as edges
    cross join lateral search_buckets_newest_first(edges.newest, edges.oldest) as buckets(bucket)`;
  // The fence keeps the filters out of this scan: ANDing in the plain search index or the date index
  // would read every match again.
  const inBucket = db
    .select(columns)
    .from(table)
    .where(sql`search_bucket_vector(${columns.searchVector}, ${date}) @@ search_bucket_query(${query.anyLanguage}, buckets.bucket)`)
    .offset(FENCE)
    .as('in_bucket');
  const inBucketColumns = inBucket._.selectedFields;
  // A week's matches newest first; a quarter's unsorted. Sorting needs every match of the bucket, and
  // where the window fills in an old, dense quarter (a bulk import's undated reviews, a common word
  // of years ago) that was most of the rows read: ~4,300 against ~1,400 for "election" at 1M external
  // reviews. Unsorted, the scan stops when the window is full. Weeks (this quarter and the last) stay
  // sorted: there the newest must come first, and the window must hold while rows are updated
  // (storage order changes with an update). The bucket test is on the outer row alone, so each
  // probe runs one branch.
  const inWeek = sql`starts_with(buckets.bucket, 'w')`;
  const weekMatches = db
    .select(inBucketColumns)
    .from(inBucket)
    .where(and(inWeek, accepts(inBucketColumns)))
    .orderBy(desc(inBucketColumns.bucketDate), desc(inBucketColumns.id))
    .limit(WINDOW);
  const quarterMatches = db
    .select(inBucketColumns)
    .from(inBucket)
    .where(and(sql`not ${inWeek}`, accepts(inBucketColumns)))
    .limit(WINDOW);
  const matchesInBucket = weekMatches.unionAll(quarterMatches).as('matches');
  const bucketed = db
    .select(matchesInBucket._.selectedFields)
    .from(buckets)
    .crossJoinLateral(matchesInBucket)
    .where(sql`querytree(${query.anyLanguage}) <> 'T'`);
  // A query that needs no word ("-election", "a or -b") matches nearly everything, and an index can
  // only enumerate all of it (for every bucket): the newest rows are tested in date order instead.
  const newest = db.select(columns).from(table).where(within).orderBy(desc(date), desc(columns.id)).offset(FENCE).as('newest');
  const newestColumns = newest._.selectedFields;
  const unindexable = db
    .select(newest._.selectedFields)
    .from(newest)
    .where(and(accepts(newestColumns), sql`querytree(${query.anyLanguage}) = 'T'`))
    .limit(WINDOW);
  return bucketed.unionAll(unindexable).limit(WINDOW).as('candidates') as unknown as SubqueryWithSelection<C, 'candidates'>;
}
