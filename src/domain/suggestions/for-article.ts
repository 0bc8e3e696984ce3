import type { ArticleRecord, Loaders } from '../../db/loaders.js';
import { suggestClaims, type ClaimSuggestion } from './index.js';
import { parseInput, suggestionLimit } from '../validation.js';
import type { Viewer } from '../viewer.js';
import { requireReader } from '../visibility.js';

/** Check-worthy sentences of an article that no claim covers yet (staff only). */
export async function suggestionsForArticle(
  loaders: Loaders,
  viewer: Viewer | null,
  article: ArticleRecord,
  limit: number | null | undefined,
): Promise<ClaimSuggestion[]> {
  requireReader(viewer, 'ClaimSuggestion');
  const count = parseInput(suggestionLimit, limit ?? 10, 'limit');
  const [claims, body] = await Promise.all([loaders.claimsByArticle.load(article.id), article.body ?? loaders.articleBody.load(article.id)]);
  const covered = claims.map((c) => ({ start: c.spanStart, end: c.spanEnd }));
  return suggestClaims(body, { coveredSpans: covered, limit: count, language: article.language });
}
