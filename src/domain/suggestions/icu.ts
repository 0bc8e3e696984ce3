/** Intl.Segmenter, made safe for client input and for bodies of a million characters. */

/** ICU's paragraph separators (UAX #29 SB4): it always breaks after them. */
export const PARAGRAPH_SEPARATORS = new Set(['\n', '\r', '\u0085', '\u2028', '\u2029']);

/**
 * Intl.Segmenter in Node 20's V8 costs time proportional to the whole input for every segment
 * (https://issues.chromium.org/issues/326176949), so a 1,000,000-character body would take minutes.
 * It is fed windows instead. A window ends after a paragraph separator where it has one (ICU breaks
 * there anyway, so nothing changes); otherwise the boundaries in its last MARGIN characters are left
 * for the next window, where ICU sees the text that follows them.
 */
const WINDOW = 8_192;
const MARGIN = 1_024;

/** ICU's sentence segments of `body`, in order; they concatenate back to `body`. */
export function* icuSentences(body: string, segmenter: Intl.Segmenter): Generator<string> {
  let pos = 0;
  while (pos < body.length) {
    let end = Math.min(body.length, pos + WINDOW);
    let exact = end === body.length;
    if (!exact) {
      const cut = afterLastParagraphSeparator(body, pos + MARGIN, end);
      if (cut > 0) [end, exact] = [cut, true];
      else if (isHighSurrogate(body.charCodeAt(end - 1))) end--;
    }
    const window = body.slice(pos, end);
    let consumed = 0;
    for (const { segment, index } of segmenter.segment(window)) {
      const segmentEnd = index + segment.length;
      // The first segment is kept even when it runs to the window's end: only a "sentence" of about
      // WINDOW characters without a single boundary is cut there, and then not inside a code point.
      if (!exact && index > 0 && segmentEnd > window.length - MARGIN) break;
      yield segment;
      consumed = segmentEnd;
    }
    pos += consumed;
  }
}

/** Index just after the last paragraph separator in [from, to) that is not the CR of a CRLF, or -1. */
function afterLastParagraphSeparator(text: string, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) {
    if (PARAGRAPH_SEPARATORS.has(text.charAt(i)) && !(text.charAt(i) === '\r' && text.charAt(i + 1) === '\n')) {
      return i + 1;
    }
  }
  return -1;
}

const isHighSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;

const segmenters = new Map<string, Intl.Segmenter>();
/** `language` comes from clients: bound the cache so odd tags cannot grow it without end. */
const MAX_CACHED_LOCALES = 16;

export function sentenceSegmenter(language: string): Intl.Segmenter {
  const locale = safeLocale(language);
  let segmenter = segmenters.get(locale);
  if (segmenter === undefined) {
    segmenter = new Intl.Segmenter(locale, { granularity: 'sentence' });
    if (segmenters.size < MAX_CACHED_LOCALES) segmenters.set(locale, segmenter);
  }
  return segmenter;
}

/** An unknown or malformed language tag falls back to English rather than throwing. */
export function safeLocale(language: string): string {
  try {
    return Intl.getCanonicalLocales(language)[0] ?? 'en';
  } catch {
    return 'en';
  }
}
