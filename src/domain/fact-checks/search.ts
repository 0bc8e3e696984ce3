/**
 * Full-text search over published fact checks: which rows a search ranks, and how they are found.
 *
 * A search ranks the newest RANK_WINDOW matches by relevance: ranking every match costs ~0.4 s at a
 * million fact checks when a word matches a seventh of them, and a newsroom's search leans to recent
 * anyway. To find those without reading every match, each fact check's lexemes are also indexed once
 * per week and once per quarter of publication, and the buckets are read newest first until
 * RANK_WINDOW rows are found (src/domain/full-text-search.ts, shared with other publishers' search).
 */
import { count, desc, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import { factChecks } from '../../db/schema.js';
import { conditions, publishedWithin, resultColumns, type FilterValues, type ParsedFactCheckFilter } from './filter.js';
import { fetchedForPage, inlined, newestMatches, searchQuery } from '../full-text-search.js';
import { cursorUuid, decodeCursor, invalidCursor, toPage } from '../pagination.js';

/** What candidates carry: the filtered columns and the key; the rest is joined to the page's rows only. */
const candidateColumns = {
  id: factChecks.id,
  publishedAt: factChecks.publishedAt,
  retractedAt: factChecks.retractedAt,
  rating: factChecks.rating,
  articleId: factChecks.articleId,
  language: factChecks.language,
  searchVector: factChecks.searchVector,
  bucketDate: sql<Date>`${factChecks.publishedAt}`.as('bucket_date'),
};

/**
 * A page of a search, ranked. Its statement is built once per shape of filter (which filters are
 * given, how many ratings, whether a cursor is) and prepared: drizzle took ~1.3 ms of CPU to build it
 * on every request, a quarter of the request.
 */
export async function searchPage(db: Queryable, filter: ParsedFactCheckFilter & { search: string }, cursor: string | null | undefined, limit: number) {
  const ratings = [...new Set(filter.rating ?? [])];
  let afterRank: number | null = null;
  let afterId: string | null = null;
  if (cursor) {
    const [r, id] = decodeCursor(cursor, 2);
    if (typeof r !== 'number') throw invalidCursor();
    [afterRank, afterId] = [r, cursorUuid(id)];
  }
  const shape: SearchShape = {
    language: !!filter.language,
    ratings: ratings.length,
    articleUrl: !!filter.articleUrl,
    appearanceUrl: !!filter.appearanceUrl,
    speakerId: !!filter.speakerId,
    publishedAfter: !!filter.publishedAfter,
    publishedBefore: !!filter.publishedBefore,
    cursor: !!cursor,
    pageSize: fetchedForPage(limit),
    topics: !!filter.topicIds?.length,
  };
  const statements = preparedSearch(db, shape);
  const values = {
    text: filter.search,
    language: filter.language,
    articleUrl: filter.articleUrl,
    appearanceUrl: filter.appearanceUrl,
    speakerId: filter.speakerId,
    afterRank,
    afterId,
    publishedAfter: filter.publishedAfter?.toISOString(),
    publishedBefore: filter.publishedBefore?.toISOString(),
    topicIds: filter.topicIds?.length ? `{${filter.topicIds.join(',')}}` : undefined,
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
  appearanceUrl: boolean;
  speakerId: boolean;
  publishedAfter: boolean;
  publishedBefore: boolean;
  cursor: boolean;
  /** The rows fetched for the page, written into the statement as its limit (full-text-search.ts, `fetchedForPage`). */
  pageSize: number;
  topics: boolean;
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
    appearanceUrl: shape.appearanceUrl ? p('appearanceUrl') : null,
    speakerId: shape.speakerId ? p('speakerId') : null,
    publishedAfter: shape.publishedAfter ? p('publishedAfter') : null,
    publishedBefore: shape.publishedBefore ? p('publishedBefore') : null,
    topicIds: shape.topics ? p('topicIds') : null,
  };
  const query = searchQuery(p('text'), filter.language ?? null);
  const candidates = newestMatches(db, {
    table: factChecks,
    columns: candidateColumns,
    date: sql`${factChecks.publishedAt}`,
    within: publishedWithin(factChecks, filter),
    query,
    accepts: conditions(db, filter, (f) => sql`${f.searchVector} @@ ${query.matchedBy(f)}`),
  });
  const rank = sql<number>`ts_rank(${candidates.searchVector}, ${query.matchedBy(candidates)})::float8`;
  const after = shape.cursor ? sql`(${rank}, ${candidates.id}) < (${p('afterRank')}::float8, ${p('afterId')}::uuid)` : undefined;
  // The page is cut from the candidates' keys; only its rows are read whole.
  const page = db
    .select({ id: candidates.id, rank: rank.as('rank') })
    .from(candidates)
    .where(after)
    .orderBy(desc(rank), desc(candidates.id))
    .limit(inlined(shape.pageSize))
    .as('page');
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
