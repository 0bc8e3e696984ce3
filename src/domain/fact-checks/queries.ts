import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import type { Loaders } from '../../db/loaders.js';
import { countWhere } from '../../db/keyset.js';
import { articles, factChecks, type ArticleRow, type FactCheckRow } from '../../db/schema.js';
import { conditions, filterInput, publishedWithin, resultColumns, type FactCheckFilter, type FactCheckResult } from './filter.js';
import { searchPage } from './search.js';
import { cursorTime, cursorUuid, keysetPage, pageLimit, type KeysetOrder, type Page, type PageArgs } from '../pagination.js';
import { parseInput, similarLimit } from '../validation.js';
import type { Viewer } from '../viewer.js';
import { requireReader } from '../visibility.js';

export type { FactCheckFilter, FactCheckResult };

/** One fact check while partners may see it; its article, joined, is primed for FactCheck.article. */
export async function getFactCheck(
  db: Queryable,
  loaders: Loaders,
  viewer: Viewer | null,
  id: string,
): Promise<(FactCheckRow & { article: ArticleRow }) | null> {
  requireReader(viewer, 'FactCheck');
  const factCheck = await getPublishedFactCheck(db, id);
  if (factCheck) loaders.article.prime(factCheck.articleId, factCheck.article);
  return factCheck;
}

/** Fact checks partners may see whose claim reads like this one (pg_trgm, 0..1), most similar first. */
export async function similarFactChecks(loaders: Loaders, claimId: string, limit: number | null | undefined) {
  const matches = await loaders.similarFactChecks(parseInput(similarLimit, limit ?? 5, 'limit')).load(claimId);
  const rows = await loaders.factCheck.loadMany(matches.map((m) => m.factCheckId));
  return matches.map((m, i) => ({ factCheck: rows[i], similarity: Math.min(1, Math.max(0, m.similarity)) }));
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

const newestPublishedFirst: KeysetOrder<FactCheckResult> = {
  keys: [factChecks.publishedAt, factChecks.id],
  direction: 'desc',
  cursorOf: (f) => [f.publishedAt.toISOString(), f.id],
  parse: ([at, id]) => [cursorTime(at), cursorUuid(id)],
};

export async function listFactChecks(
  db: Queryable,
  viewer: Viewer | null,
  args: PageArgs & { filter?: FactCheckFilter },
): Promise<Page<FactCheckResult & { rank?: number }>> {
  requireReader(viewer, 'FactCheck');
  const limit = pageLimit(args.first);
  const filter = parseInput(filterInput, args.filter, 'filter') ?? {};
  if (filter.search) return searchPage(db, { ...filter, search: filter.search }, args.after, limit);
  const where = conditions(db, filter)(factChecks);
  return keysetPage(db.select(resultColumns).from(factChecks).$dynamic(), newestPublishedFirst, args, where, () => countWhere(db, factChecks, where));
}
