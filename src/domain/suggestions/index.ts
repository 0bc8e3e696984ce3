import { spansOverlap, type Span } from '../spans.js';
import { scoreSentence } from './score.js';
import { safeLocale } from './icu.js';
import { segmentSentences } from './segment.js';

export interface ClaimSuggestion {
  quote: string;
  span: Span;
  score: number;
  reasons: string[];
}

const DEFAULT_LIMIT = 10;

/** Check-worthy sentences of `body`, best first; sentences overlapping any of `coveredSpans` (existing claims, code-point spans) are left out. */
export function suggestClaims(body: string, options: { coveredSpans?: readonly Span[]; limit?: number; language?: string } = {}): ClaimSuggestion[] {
  const limit = Math.max(0, Math.floor(options.limit ?? DEFAULT_LIMIT));
  if (limit === 0 || Number.isNaN(limit)) return [];
  const language = safeLocale(options.language ?? 'en');
  const covered = options.coveredSpans ?? [];
  const suggestions: ClaimSuggestion[] = [];
  for (const { text, span } of segmentSentences(body, language)) {
    if (covered.some((c) => spansOverlap(span, c))) continue;
    const { score, reasons } = scoreSentence(text, language);
    suggestions.push({ quote: text, span, score, reasons });
  }
  // Ties by position keep the order stable across runs and engines.
  suggestions.sort((a, b) => b.score - a.score || a.span.start - b.span.start);
  return suggestions.slice(0, limit);
}
