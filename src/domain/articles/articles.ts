import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Queryable } from '../../db/connection.js';
import { countWhere } from '../../db/keyset.js';
import { articles, type ArticleRow } from '../../db/schema.js';
import { conflict } from '../coded-errors.js';
import { cursorTime, cursorUuid, keysetPage, type KeysetOrder, type Page, type PageArgs } from '../pagination.js';
import { httpUrl, languageTag, LIMITS, optionalText, parseInput, requiredText, validDate } from '../validation.js';
import type { Loaders } from '../../db/loaders.js';
import { EDITORS, requireRole, type Viewer } from '../viewer.js';
import { requireReader } from '../visibility.js';
import { normalizeLookupUrl } from '../../model/lookup-url.js';

const ingestInput = z.object({
  url: httpUrl,
  title: requiredText(LIMITS.title),
  body: requiredText(LIMITS.body),
  publisher: optionalText(LIMITS.short),
  author: optionalText(LIMITS.short),
  publishedAt: validDate.nullish(),
  language: languageTag.nullish().transform((l) => l ?? 'en'),
});
export type IngestArticleInput = z.input<typeof ingestInput>;

/** Idempotent on (url, body): the same URL with another body is a CONFLICT, never an overwrite. */
export async function ingestArticle(db: Database, viewer: Viewer | null, input: IngestArticleInput): Promise<{ article: ArticleRow; created: boolean }> {
  const actor = requireRole(viewer, EDITORS);
  const data = parseInput(ingestInput, input);
  const [inserted] = await db
    .insert(articles)
    .values({ ...data, urlNormalized: normalizeLookupUrl(data.url), ingestedBy: actor.id })
    .onConflictDoNothing({ target: articles.url })
    .returning();
  if (inserted) return { article: inserted, created: true };
  const [existing] = await db.select().from(articles).where(eq(articles.url, data.url));
  if (!existing) throw conflict('The article was removed while ingesting it; retry');
  if (existing.body !== data.body) {
    throw conflict(`An article with URL ${data.url} exists with a different body; a source is never overwritten`);
  }
  return { article: existing, created: false };
}

const newestIngestedFirst: KeysetOrder<ArticleRow> = {
  keys: [articles.ingestedAt, articles.id],
  direction: 'desc',
  cursorOf: (a) => [a.ingestedAt.toISOString(), a.id],
  parse: ([at, id]) => [cursorTime(at), cursorUuid(id)],
};

/** One article, or null (staff only). */
export async function getArticle(loaders: Loaders, viewer: Viewer | null, id: string) {
  requireReader(viewer, 'Article');
  return loaders.article.load(id);
}

export async function listArticles(db: Queryable, viewer: Viewer | null, args: PageArgs): Promise<Page<ArticleRow>> {
  requireReader(viewer, 'Article');
  return keysetPage(db.select().from(articles).$dynamic(), newestIngestedFirst, args, undefined, () => countWhere(db, articles, undefined));
}
