import { and, count, desc, eq, getTableColumns, gte, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Queryable } from '../db/connection.js';
import { articles, factChecks, type ArticleRow, type FactCheckRow } from '../db/schema.js';
import { RATINGS } from './claims/values.js';
import { newestMatches, searchQuery, type FactCheckColumns } from './fact-check-search.js';
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

/** Partners see a fact check while it is published and not retracted; the filter's window narrows it. */
function publishedWithin(f: FactCheckColumns, filter: NonNullable<FactCheckFilter>) {
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
function inLanguage(column: AnyPgColumn, range: string) {
  const lower = range.toLowerCase();
  return or(sql`lower(${column}) = ${lower}`, sql`lower(${column}) like ${`${lower}-%`}`);
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
      filter.language ? inLanguage(f.language, filter.language) : undefined,
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
  const candidates = newestMatches(db, query, published, whereOn);
  const rank = sql<number>`ts_rank(${candidates.searchVector}, ${query.matchedBy(candidates)})::float8`.mapWith(Number);
  let after: SQL | undefined;
  if (args.after) {
    const [r, id] = decodeCursor(args.after, 2);
    if (typeof r !== 'number') throw invalidCursor();
    after = sql`(${rank}, ${candidates.id}) < (${r}::float8, ${cursorUuid(id)})`;
  }
  // The page is cut from the candidates' keys; only its rows are read whole.
  const page = db.select({ id: candidates.id, rank: sql<number>`${rank}`.as('rank') }).from(candidates).where(after).orderBy(desc(rank), desc(candidates.id)).limit(limit + 1).as('page');
  const rows = await db
    .select({ ...resultColumns, rank: sql<number>`${page.rank}`.mapWith(Number) })
    .from(page)
    .innerJoin(factChecks, eq(factChecks.id, page.id))
    .orderBy(desc(page.rank), desc(page.id));
  // What paging can reach, so it costs what the search costs (every match of a common word: ~0.4 s at 1M).
  const rankedCount = async () => Number((await db.select({ n: count() }).from(candidates))[0]?.n ?? 0);
  return toPage(rows, limit, (f) => [f.rank, f.id], rankedCount);
}
