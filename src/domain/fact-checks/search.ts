/**
 * Full-text search over published fact checks: which rows a search ranks, and how they are found.
 *
 * A search ranks the newest RANK_WINDOW matches by relevance: ranking every match costs ~0.4 s at a
 * million fact checks when a word matches a seventh of them, and a newsroom's search leans to recent
 * anyway. To find those without reading every match, each fact check's lexemes are also indexed once
 * per week and once per quarter of publication (drizzle/0003_search_buckets.sql), and the buckets are
 * read newest first until RANK_WINDOW rows are found.
 */
import { and, count, desc, eq, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import { factChecks } from '../../db/schema.js';
import { conditions, publishedWithin, resultColumns, type FactCheckColumns, type FilterValues, type ParsedFactCheckFilter } from './filter.js';
import { cursorUuid, decodeCursor, invalidCursor, toPage } from '../pagination.js';

/** How many of the newest matches a search ranks by relevance. */
export const RANK_WINDOW = 1_000;

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
  matchedBy(f: Pick<FactCheckColumns, 'language'>): SQL;
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
  const edge = (fn: 'max' | 'min') =>
    db
      .select({ at: sql`${sql.raw(fn)}(${factChecks.publishedAt})` })
      .from(factChecks)
      .where(published);
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
    topics: !!filter.topicIds?.length,
  };
  const statements = preparedSearch(db, shape);
  const values = {
    text: filter.search,
    language: filter.language,
    articleUrl: filter.articleUrl,
    appearanceUrl: filter.appearanceUrl,
    speakerId: filter.speakerId,
    limit: limit + 1,
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
  const candidates = newestMatches(
    db,
    query,
    publishedWithin(factChecks, filter),
    conditions(db, filter, (f) => sql`${f.searchVector} @@ ${query.matchedBy(f)}`),
  );
  const rank = sql<number>`ts_rank(${candidates.searchVector}, ${query.matchedBy(candidates)})::float8`;
  const after = shape.cursor ? sql`(${rank}, ${candidates.id}) < (${p('afterRank')}::float8, ${p('afterId')}::uuid)` : undefined;
  // The page is cut from the candidates' keys; only its rows are read whole.
  const page = db
    .select({ id: candidates.id, rank: rank.as('rank') })
    .from(candidates)
    .where(after)
    .orderBy(desc(rank), desc(candidates.id))
    .limit(p('limit'))
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
