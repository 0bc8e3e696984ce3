import { and, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import { articles, factChecks, type ArticleRow, type FactCheckRow } from '../../db/schema.js';
import { conditions, filterInput, publishedWithin, resultColumns, type FactCheckFilter, type FactCheckResult } from './filter.js';
import { searchPage } from './search.js';
import { cursorDate, cursorUuid, decodeCursor, pageLimit, toPage, type Page, type PageArgs } from '../pagination.js';
import { parseInput } from '../validation.js';
import { EVERYONE, requireRole, type Viewer } from '../viewer.js';

export type { FactCheckFilter, FactCheckResult };

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

export async function listFactChecks(db: Queryable, viewer: Viewer | null, args: PageArgs & { filter?: FactCheckFilter }): Promise<Page<FactCheckResult & { rank?: number }>> {
  requireRole(viewer, EVERYONE);
  const limit = pageLimit(args.first);
  const filter = parseInput(filterInput, args.filter, 'filter') ?? {};
  if (filter.search) return searchPage(db, { ...filter, search: filter.search }, args.after, limit);
  const where = conditions(db, filter)(factChecks);
  const totalCount = async () => Number((await db.select({ n: count() }).from(factChecks).where(where))[0]?.n ?? 0);
  let after: SQL | undefined;
  if (args.after) {
    const [at, id] = decodeCursor(args.after, 2);
    after = sql`(${factChecks.publishedAt}, ${factChecks.id}) < (${cursorDate(at).toISOString()}, ${cursorUuid(id)})`;
  }
  const rows = await db.select(resultColumns).from(factChecks).where(and(where, after)).orderBy(desc(factChecks.publishedAt), desc(factChecks.id)).limit(limit + 1);
  return toPage(rows, limit, (f) => [f.publishedAt.toISOString(), f.id], totalCount);
}

