/**
 * externalFactChecks(filter: {search}): full-text search over other publishers' fact checks, ranked,
 * the way our own search ranks: the newest RANK_WINDOW matches by relevance (ts_rank), found newest
 * first through the week and quarter buckets of their lexemes (src/domain/full-text-search.ts), read
 * in the text-search configuration of each review's language.
 *
 * "Newest" is when the publisher published the review (external_search_date, drizzle/0019: a review
 * without a date, or dated after its import, counts from its import): a bulk import brings in years
 * of reviews at once, so the import time would put them all in one bucket.
 */
import { count, desc, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import { externalFactCheckColumns } from '../../db/external-fact-checks.js';
import { externalFactChecks } from '../../db/schema.js';
import { fetchedForPage, inlined, newestMatches, searchQuery } from '../full-text-search.js';
import { cursorUuid, decodeCursor, invalidCursor, toPage } from '../pagination.js';
import { externalConditions, type ExternalFilterValues, type ParsedExternalFilter } from './filter.js';

const t = externalFactChecks;
const searchDate = sql`external_search_date(${t.publishedAt}, ${t.importedAt})`;

/** What candidates carry: the filtered columns, the date and the key; the rest is joined to the page's rows only. */
const candidateColumns = {
  id: t.id,
  rating: t.rating,
  publisherName: t.publisherName,
  publisherSite: t.publisherSite,
  language: t.language,
  publishedAt: t.publishedAt,
  importedAt: t.importedAt,
  searchVector: t.searchVector,
  bucketDate: sql<Date>`${searchDate}`.as('bucket_date'),
};

interface SearchShape {
  language: boolean;
  ratings: number;
  appearanceUrl: boolean;
  publisherName: boolean;
  publisherSite: boolean;
  publishedAfter: boolean;
  cursor: boolean;
  /** The rows fetched for the page, written into the statement as its limit (full-text-search.ts, `fetchedForPage`). */
  pageSize: number;
}

/** A page of a search, ranked; its statement is built once per shape of filter and prepared, as our search's. */
export async function searchExternalPage(db: Queryable, filter: ParsedExternalFilter & { search: string }, cursor: string | null | undefined, limit: number) {
  const ratings = [...new Set(filter.rating ?? [])];
  let afterRank: number | null = null;
  let afterId: string | null = null;
  if (cursor) {
    const [r, id] = decodeCursor(cursor, 2);
    if (typeof r !== 'number') throw invalidCursor();
    [afterRank, afterId] = [r, cursorUuid(id)];
  }
  const statements = preparedSearch(db, {
    language: !!filter.language,
    ratings: ratings.length,
    appearanceUrl: !!filter.appearanceUrl,
    publisherName: !!filter.publisherName,
    publisherSite: !!filter.publisherSite,
    publishedAfter: !!filter.publishedAfter,
    cursor: !!cursor,
    pageSize: fetchedForPage(limit),
  });
  const values = {
    text: filter.search,
    language: filter.language,
    appearanceUrl: filter.appearanceUrl,
    publisherName: filter.publisherName,
    publisherSite: filter.publisherSite,
    publishedAfter: filter.publishedAfter?.toISOString(),
    afterRank,
    afterId,
    ...Object.fromEntries(ratings.map((r, i) => [`rating${i}`, r])),
  };
  const rows = await statements.page.execute(values);
  return toPage(
    rows,
    limit,
    (f) => [f.rank, f.id],
    async () => Number((await statements.count.execute(values))[0]?.n ?? 0),
  );
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
  const filter: ExternalFilterValues = {
    language: shape.language ? p('language') : null,
    rating: Array.from({ length: shape.ratings }, (_, i) => p(`rating${i}`)),
    appearanceUrl: shape.appearanceUrl ? p('appearanceUrl') : null,
    publisherName: shape.publisherName ? p('publisherName') : null,
    publisherSite: shape.publisherSite ? p('publisherSite') : null,
    publishedAfter: shape.publishedAfter ? p('publishedAfter') : null,
  };
  const query = searchQuery(p('text'), filter.language ?? null);
  const candidates = newestMatches(db, {
    table: t,
    columns: candidateColumns,
    date: searchDate,
    query,
    accepts: externalConditions(db, filter, (f) => sql`${f.searchVector} @@ ${query.matchedBy(f)}`),
  });
  const rank = sql<number>`ts_rank(${candidates.searchVector}, ${query.matchedBy(candidates)})::float8`;
  const after = shape.cursor ? sql`(${rank}, ${candidates.id}) < (${p('afterRank')}::float8, ${p('afterId')}::uuid)` : undefined;
  const page = db
    .select({ id: candidates.id, rank: rank.as('rank') })
    .from(candidates)
    .where(after)
    .orderBy(desc(rank), desc(candidates.id))
    .limit(inlined(shape.pageSize))
    .as('page');
  return {
    page: db
      .select({ ...externalFactCheckColumns, rank: sql<number>`${page.rank}`.mapWith(Number) })
      .from(page)
      .innerJoin(t, eq(t.id, page.id))
      .orderBy(desc(page.rank), desc(page.id))
      .prepare('external_fact_check_search'),
    count: db.select({ n: count() }).from(candidates).prepare('external_fact_check_search_count'),
  };
}
