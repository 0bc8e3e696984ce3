import { and, count, desc, eq, getTableColumns, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Queryable } from '../db/connection.js';
import { articles, factChecks, type ArticleRow, type FactCheckRow } from '../db/schema.js';
import { RATINGS } from './claims/values.js';
import { cursorDate, cursorUuid, decodeCursor, invalidCursor, pageLimit, toPage, type Page, type PageArgs } from './pagination.js';
import { httpUrl, languageTag, LIMITS, optionalText, parseInput, validDate } from './validation.js';
import { EVERYONE, requireRole, type Viewer } from './viewer.js';

const filterInput = z
  .object({
    search: optionalText(LIMITS.short),
    rating: z.array(z.enum(RATINGS)).nullish(),
    articleUrl: httpUrl.nullish(),
    publishedAfter: validDate.nullish(),
    publishedBefore: validDate.nullish(),
    language: languageTag.nullish(),
  })
  .nullish();
export type FactCheckFilter = z.input<typeof filterInput>;

/** How many of the newest matches a search ranks by relevance (see listFactChecks). */
export const RANK_WINDOW = 1_000;

/** Every column but the search vector, which is only ever used inside SQL. */
const { searchVector: _searchVector, ...resultColumns } = getTableColumns(factChecks);
export type FactCheckResult = Omit<FactCheckRow, 'searchVector'>;

/**
 * OFFSET 0: Postgres neither merges such a subquery into its parent nor pushes the parent's
 * conditions into it, so the subquery keeps the index path chosen for it. (drizzle leaves out a
 * numeric offset of 0, hence the SQL.)
 */
const FENCE = sql`0` as unknown as number;

/** Partners see a fact check while it is published and not retracted. */
const visible = isNull(factChecks.retractedAt);

export async function getFactCheck(db: Queryable, viewer: Viewer | null, id: string): Promise<(FactCheckRow & { article: ArticleRow }) | null> {
  requireRole(viewer, EVERYONE);
  return getPublishedFactCheck(db, id);
}

/** The published page of a fact check is public, like any published article: no viewer needed. */
export async function getPublishedFactCheck(db: Queryable, id: string): Promise<(FactCheckRow & { article: ArticleRow }) | null> {
  const [row] = await db
    .select({ factCheck: factChecks, article: articles })
    .from(factChecks)
    .innerJoin(articles, eq(articles.id, factChecks.articleId))
    .where(and(eq(factChecks.id, id), visible));
  return row ? { ...row.factCheck, article: row.article } : null;
}

interface SearchQuery {
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
function searchQuery(text: string, language: string | null | undefined): SearchQuery {
  if (language) {
    const query = sql`(select websearch_to_tsquery(search_config(${language}), ${text}))`;
    return { anyLanguage: query, matchedBy: () => query };
  }
  return {
    anyLanguage: sql`(select search_query_in_use(${text}))`,
    matchedBy: (f) => sql`(select search_queries(${text}))[search_config_index(${f.language})]`,
  };
}

/** The columns filters apply to, on fact_checks or on a subquery of it. */
type FactCheckColumns = Record<'retractedAt' | 'publishedAt' | 'rating' | 'articleId' | 'language' | 'searchVector', AnyPgColumn>;

/** Partners see a fact check while it is published and not retracted; the filter's window narrows it. */
function publishedWithin(f: FactCheckColumns, filter: NonNullable<FactCheckFilter>) {
  return and(
    isNull(f.retractedAt),
    filter.publishedAfter ? gte(f.publishedAt, filter.publishedAfter) : undefined,
    filter.publishedBefore ? lt(f.publishedAt, filter.publishedBefore) : undefined,
  );
}

export async function listFactChecks(db: Queryable, viewer: Viewer | null, args: PageArgs & { filter?: FactCheckFilter }): Promise<Page<FactCheckResult & { rank?: number }>> {
  requireRole(viewer, EVERYONE);
  const limit = pageLimit(args.first);
  const filter = parseInput(filterInput, args.filter, 'filter') ?? {};
  const query = filter.search ? searchQuery(filter.search, filter.language) : null;
  const published = publishedWithin(factChecks, filter);
  const whereOn = (f: FactCheckColumns) =>
    and(
      publishedWithin(f, filter),
      filter.rating?.length ? inArray(f.rating, filter.rating) : undefined,
      filter.articleUrl ? eq(f.articleId, db.select({ id: articles.id }).from(articles).where(eq(articles.url, filter.articleUrl))) : undefined,
      filter.language ? eq(f.language, filter.language) : undefined,
      query ? sql`${f.searchVector} @@ ${query.matchedBy(f)}` : undefined,
    );
  const where = whereOn(factChecks);
  if (!query) {
    const totalCount = async () => Number((await db.select({ n: count() }).from(factChecks).where(where))[0]?.n ?? 0);
    let after: SQL | undefined;
    if (args.after) {
      const [at, id] = decodeCursor(args.after, 2);
      after = sql`(${factChecks.publishedAt}, ${factChecks.id}) < (${cursorDate(at).toISOString()}, ${cursorUuid(id)})`;
    }
    const rows = await db.select(resultColumns).from(factChecks).where(and(where, after)).orderBy(desc(factChecks.publishedAt), desc(factChecks.id)).limit(limit + 1);
    return toPage(rows, limit, (f) => [f.publishedAt.toISOString(), f.id], totalCount);
  }
  // Ranking every match costs ~0.4 s at a million fact checks when a word matches a seventh of
  // them; the newest RANK_WINDOW matches are ranked instead, which bounds the work (a newsroom's
  // search leans to recent anyway). Finding those without reading every match: read one bucket
  // (a week, then a quarter; drizzle/0003_search_buckets.sql) at a time, newest first, through the
  // bucket index, and stop at RANK_WINDOW. A nested loop keeps the order of its outer rows.
  const edge = (fn: 'max' | 'min') => db.select({ at: sql`${sql.raw(fn)}(${factChecks.publishedAt})` }).from(factChecks).where(published);
  // The fence keeps the filters out of this scan: ANDing in the plain search index or the date index
  // would read every match again.
  const inBucket = db
    .select(getTableColumns(factChecks))
    .from(factChecks)
    .where(sql`search_bucket_vector(${factChecks.searchVector}, ${factChecks.publishedAt}) @@ search_bucket_query(${query.anyLanguage}, buckets.bucket)`)
    .offset(FENCE)
    .as('in_bucket');
  const matchesInBucket = db
    .select(inBucket._.selectedFields)
    .from(inBucket)
    .where(whereOn(inBucket))
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
    .select(getTableColumns(factChecks))
    .from(factChecks)
    .where(published)
    .orderBy(desc(factChecks.publishedAt), desc(factChecks.id))
    .offset(FENCE)
    .as('newest');
  const unindexable = db
    .select(newest._.selectedFields)
    .from(newest)
    .where(and(whereOn(newest), sql`querytree(${query.anyLanguage}) = 'T'`))
    .limit(RANK_WINDOW);
  const candidates = bucketed.unionAll(unindexable).limit(RANK_WINDOW).as('candidates');
  const rank = sql<number>`ts_rank(${candidates.searchVector}, ${query.matchedBy(candidates)})::float8`.mapWith(Number);
  let after: SQL | undefined;
  if (args.after) {
    const [r, id] = decodeCursor(args.after, 2);
    if (typeof r !== 'number') throw invalidCursor();
    after = sql`(${rank}, ${candidates.id}) < (${r}::float8, ${cursorUuid(id)})`;
  }
  const { searchVector: _vector, ...candidateColumns } = candidates._.selectedFields; // ranked in SQL, not sent back
  const rows = await db
    .select({ ...candidateColumns, rank })
    .from(candidates)
    .where(after)
    .orderBy(desc(rank), desc(candidates.id))
    .limit(limit + 1);
  // What paging can reach, so it costs what the search costs (every match of a common word: ~0.4 s at 1M).
  const rankedCount = async () => Number((await db.select({ n: count() }).from(candidates))[0]?.n ?? 0);
  return toPage(rows as (FactCheckResult & { rank: number })[], limit, (f) => [f.rank, f.id], rankedCount);
}
