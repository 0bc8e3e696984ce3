import { BIAS, FEATURES, type SentenceView } from './features.js';

export interface SentenceScore {
  score: number;
  reasons: string[];
}

/** Pure: the same sentence and language always give the same score and reasons, in FEATURES order. */
export function scoreSentence(text: string, language = 'en'): SentenceScore {
  const english = language.toLowerCase().startsWith('en');
  const view = viewOf(text, language);
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

function viewOf(text: string, language: string): SentenceView {
  const words: string[] = [];
  for (const { segment, isWordLike } of wordSegmenter(language).segment(text)) {
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
