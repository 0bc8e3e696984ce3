import { and, count, desc, eq, getTableColumns, gte, inArray, isNull, lt, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Queryable } from '../db/connection.js';
import { articles, factChecks, type ArticleRow, type FactCheckRow } from '../db/schema.js';
import { RATINGS } from './claims/values.js';
import { newestMatches, searchQuery, type FactCheckColumns, type SearchQuery } from './fact-check-search.js';
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

/** Every column but the search vector, which is only ever used inside SQL. */
const { searchVector: _searchVector, ...resultColumns } = getTableColumns(factChecks);
export type FactCheckResult = Omit<FactCheckRow, 'searchVector'>;

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
    .where(and(eq(factChecks.id, id), publishedWithin(factChecks, {})));
  return row ? { ...row.factCheck, article: row.article } : null;
}

/** A filter value, or a placeholder for it in a statement prepared once and run with many values. */
type Bound<T> = T | Placeholder;
interface FilterValues {
  search?: Bound<string> | null;
  rating?: Bound<string>[] | null;
  articleUrl?: Bound<string> | null;
  publishedAfter?: Bound<Date> | null;
  publishedBefore?: Bound<Date> | null;
  language?: Bound<string> | null;
}

/** Partners see a fact check while it is published and not retracted; the filter's window narrows it. */
function publishedWithin(f: FactCheckColumns, filter: FilterValues) {
  return and(
    isNull(f.retractedAt),
    filter.publishedAfter ? gte(f.publishedAt, filter.publishedAfter) : undefined,
    filter.publishedBefore ? lt(f.publishedAt, filter.publishedBefore) : undefined,
  );
}

/**
 * RFC 4647 basic filtering, as BCP 47 intends a language range: 'pt' is pt, pt-BR and pt-PT;
 * 'pt-BR' is pt-BR only. Case-insensitive; the tag was validated (letters, digits, hyphens).
 */
function inLanguage(column: AnyPgColumn, range: Bound<string>) {
  return or(sql`lower(${column}) = lower(${range})`, sql`lower(${column}) like lower(${range}) || '-%'`);
}

/** Every condition of the filter, on fact_checks or on a subquery of it. */
function conditions(db: Queryable, filter: FilterValues, query: SearchQuery | null) {
  return (f: FactCheckColumns) =>
    and(
      publishedWithin(f, filter),
      filter.rating?.length ? inArray(f.rating, filter.rating) : undefined,
      filter.articleUrl ? eq(f.articleId, db.select({ id: articles.id }).from(articles).where(eq(articles.url, filter.articleUrl))) : undefined,
      filter.language ? inLanguage(f.language, filter.language) : undefined,
      query ? sql`${f.searchVector} @@ ${query.matchedBy(f)}` : undefined,
    );
}

export async function listFactChecks(db: Queryable, viewer: Viewer | null, args: PageArgs & { filter?: FactCheckFilter }): Promise<Page<FactCheckResult & { rank?: number }>> {
  requireRole(viewer, EVERYONE);
  const limit = pageLimit(args.first);
  const filter = parseInput(filterInput, args.filter, 'filter') ?? {};
  if (filter.search) return searchPage(db, { ...filter, search: filter.search }, args.after, limit);
  const where = conditions(db, filter, null)(factChecks);
  const totalCount = async () => Number((await db.select({ n: count() }).from(factChecks).where(where))[0]?.n ?? 0);
  let after: SQL | undefined;
  if (args.after) {
    const [at, id] = decodeCursor(args.after, 2);
    after = sql`(${factChecks.publishedAt}, ${factChecks.id}) < (${cursorDate(at).toISOString()}, ${cursorUuid(id)})`;
  }
  const rows = await db.select(resultColumns).from(factChecks).where(and(where, after)).orderBy(desc(factChecks.publishedAt), desc(factChecks.id)).limit(limit + 1);
  return toPage(rows, limit, (f) => [f.publishedAt.toISOString(), f.id], totalCount);
}

/**
 * A page of a search, ranked. Its statement is built once per shape of filter (which filters are
 * given, how many ratings, whether a cursor is) and prepared: drizzle took ~1.3 ms of CPU to build it
 * on every request, a quarter of the request.
 */
async function searchPage(db: Queryable, filter: FilterValues & { search: string }, cursor: string | null | undefined, limit: number) {
  const ratings = [...new Set(filter.rating ?? [])];
  let afterRank: number | null = null;
  let afterId: string | null = null;
  if (cursor) {
    const [r, id] = decodeCursor(cursor, 2);
    if (typeof r !== 'number') throw invalidCursor();
    [afterRank, afterId] = [r, cursorUuid(id)];
  }
  const shape: SearchShape = {
    language: !!filter.language, ratings: ratings.length, articleUrl: !!filter.articleUrl,
    publishedAfter: !!filter.publishedAfter, publishedBefore: !!filter.publishedBefore, cursor: !!cursor,
  };
  const statements = preparedSearch(db, shape);
  const values = {
    text: filter.search, language: filter.language, articleUrl: filter.articleUrl, limit: limit + 1, afterRank, afterId,
    publishedAfter: (filter.publishedAfter as Date | null | undefined)?.toISOString(),
    publishedBefore: (filter.publishedBefore as Date | null | undefined)?.toISOString(),
    ...Object.fromEntries(ratings.map((r, i) => [`rating${i}`, r])),
  };
  const rows = await statements.page.execute(values);
  // What paging can reach, so it costs what the search costs (every match of a common word: ~0.4 s at 1M).
  const rankedCount = async () => Number((await statements.count.execute(values))[0]?.n ?? 0);
  return toPage(rows, limit, (f) => [f.rank, f.id], rankedCount);
}

interface SearchShape {
  language: boolean;
  ratings: number;
  articleUrl: boolean;
  publishedAfter: boolean;
  publishedBefore: boolean;
  cursor: boolean;
}

const preparedSearches = new WeakMap<Queryable, Map<string, ReturnType<typeof prepareSearch>>>();

function preparedSearch(db: Queryable, shape: SearchShape) {
  let byShape = preparedSearches.get(db);
  if (!byShape) preparedSearches.set(db, (byShape = new Map()));
  const key = JSON.stringify(shape);
  let statements = byShape.get(key);
  if (!statements) byShape.set(key, (statements = prepareSearch(db, shape)));
  return statements;
}

function prepareSearch(db: Queryable, shape: SearchShape) {
  const p = (name: string) => sql.placeholder(name);
  const filter: FilterValues = {
    language: shape.language ? p('language') : null,
    rating: Array.from({ length: shape.ratings }, (_, i) => p(`rating${i}`)),
    articleUrl: shape.articleUrl ? p('articleUrl') : null,
    publishedAfter: shape.publishedAfter ? p('publishedAfter') : null,
    publishedBefore: shape.publishedBefore ? p('publishedBefore') : null,
  };
  const query = searchQuery(p('text'), filter.language ?? null);
  const candidates = newestMatches(db, query, publishedWithin(factChecks, filter), conditions(db, filter, query));
  const rank = sql<number>`ts_rank(${candidates.searchVector}, ${query.matchedBy(candidates)})::float8`;
  const after = shape.cursor ? sql`(${rank}, ${candidates.id}) < (${p('afterRank')}::float8, ${p('afterId')}::uuid)` : undefined;
  // The page is cut from the candidates' keys; only its rows are read whole.
  const page = db.select({ id: candidates.id, rank: rank.as('rank') }).from(candidates).where(after).orderBy(desc(rank), desc(candidates.id)).limit(p('limit')).as('page');
  return {
    page: db
      .select({ ...resultColumns, rank: sql<number>`${page.rank}`.mapWith(Number) })
      .from(page)
      .innerJoin(factChecks, eq(factChecks.id, page.id))
      .orderBy(desc(page.rank), desc(page.id))
      .prepare('fact_check_search'),
    count: db.select({ n: count() }).from(candidates).prepare('fact_check_search_count'),
  };
}
