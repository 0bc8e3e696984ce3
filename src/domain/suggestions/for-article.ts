import type { Span } from '../spans.js';
import { suggestClaims, type ClaimSuggestion } from './index.js';
import { parseInput, suggestionLimit } from '../validation.js';
import { STAFF, requireRole, type Viewer } from '../viewer.js';

/** Check-worthy sentences of an article that no claim covers yet (staff only). */
export function suggestionsForArticle(
  viewer: Viewer | null,
  article: { body: string; language: string },
  claimSpans: readonly Span[],
  limit: number | null | undefined,
): ClaimSuggestion[] {
  requireRole(viewer, STAFF);
  const count = parseInput(suggestionLimit, limit ?? 10, 'limit');
  return suggestClaims(article.body, { coveredSpans: claimSpans, limit: count, language: article.language });
}
