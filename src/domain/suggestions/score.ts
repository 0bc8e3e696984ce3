import { BIAS, FEATURES, type SentenceView } from './features.js';
import { safeLocale } from './icu.js';

export interface SentenceScore {
  score: number;
  reasons: string[];
}

/** Pure: the same sentence and language always give the same score and reasons, in FEATURES order. */
export function scoreSentence(text: string, language = 'en'): SentenceScore {
  const locale = safeLocale(language);
  const english = locale.toLowerCase().startsWith('en');
  const view = viewOf(text, locale);
  let logit = BIAS;
  const reasons: string[] = [];
  for (const feature of FEATURES) {
    if (!english && feature.anyLanguage !== true) continue;
    if (!feature.test(view)) continue;
    logit += feature.weight;
    reasons.push(feature.reason);
  }
  // Three decimals: enough to rank, and equal-looking scores then really are equal (ties go by position).
  return { score: Math.round(1000 / (1 + Math.exp(-logit))) / 1000, reasons };
}

/**
 * Words decide only "named entity" and "very short", which the start of a sentence settles; capping
 * them keeps a pathological one-sentence body from paying Intl.Segmenter's per-segment cost (see
 * icu.ts) once per word.
 */
const WORD_SCAN_LENGTH = 2_000;

function viewOf(text: string, language: string): SentenceView {
  const words: string[] = [];
  for (const { segment, isWordLike } of wordSegmenter(language).segment(text.slice(0, WORD_SCAN_LENGTH))) {
    if (isWordLike === true) words.push(segment);
  }
  return { text, lower: text.toLowerCase().replace(/[‘’]/g, "'"), words };
}

let cached: { language: string; segmenter: Intl.Segmenter } | undefined;

function wordSegmenter(language: string): Intl.Segmenter {
  if (cached?.language !== language) {
    cached = { language, segmenter: new Intl.Segmenter(language, { granularity: 'word' }) };
  }
  return cached.segmenter;
}
