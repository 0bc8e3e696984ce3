import { codePointLength, type Span } from '../spans.js';

export interface Sentence {
  /** The sentence without surrounding whitespace; equals the body's code points at `span`. */
  text: string;
  span: Span;
}

/**
 * Sentence boundaries come from ICU (Intl.Segmenter). ICU's English rules break after every
 * "Dr." or "U.S." followed by a capital, and inside quotations ("“We must go. Now,” he said.");
 * `shouldJoin` repairs only those known misfires, it never finds boundaries itself.
 */
export function segmentSentences(body: string, language = 'en'): Sentence[] {
  const sentences: Sentence[] = [];
  let pending = '';
  let pendingStart = 0; // code-point offset of `pending` in body
  let offset = 0;
  for (const segment of icuSentences(body, sentenceSegmenter(language))) {
    if (pending !== '' && !shouldJoin(pending, segment)) {
      pushTrimmed(sentences, pending, pendingStart);
      pending = '';
    }
    if (pending === '') pendingStart = offset;
    pending += segment;
    offset += codePointLength(segment);
  }
  if (pending !== '') pushTrimmed(sentences, pending, pendingStart);
  return sentences;
}

function pushTrimmed(out: Sentence[], raw: string, start: number): void {
  const text = raw.trim();
  // A run of punctuation or emoji is no statement anyone could check.
  if (!/[\p{L}\p{N}]/u.test(text)) return;
  const lead = codePointLength(raw.slice(0, raw.length - raw.trimStart().length));
  const begin = start + lead;
  out.push({ text, span: { start: begin, end: begin + codePointLength(text) } });
}

/** Longer than any real quoted passage: a stray quotation mark must not swallow a whole document. */
const MAX_QUOTE_JOIN = 1_000;

/** ICU's paragraph separators (UAX #29 SB4): it always breaks after them. */
const PARAGRAPH_SEPARATORS = new Set(['\n', '\r', '\u0085', '\u2028', '\u2029']);

/**
 * Intl.Segmenter in Node 20's V8 costs time proportional to the whole input for every segment
 * (https://issues.chromium.org/issues/326176949), so a 1,000,000-character body would take minutes.
 * It is fed windows instead. A window ends after a paragraph separator where it has one (ICU breaks
 * there anyway, so nothing changes); otherwise the boundaries in its last MARGIN characters are left
 * for the next window, where ICU sees the text that follows them.
 */
const WINDOW = 8_192;
const MARGIN = 1_024;

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

function shouldJoin(current: string, next: string): boolean {
  // A line break is the author's own boundary (headlines, paragraphs); ICU always breaks there too.
  if (PARAGRAPH_SEPARATORS.has(current.charAt(current.length - 1))) return false;
  const head = next.trimStart();
  // ICU breaks after "?" or "!" even when the sentence goes on: “Are we safe?” she asked.
  if (/^[\p{Ll},;:)\]}”’»]/u.test(head)) return true;
  if (endsWithAbbreviation(current, head)) return true;
  return current.length < MAX_QUOTE_JOIN && hasOpenQuotation(current);
}

/** Abbreviations that are practically never the last word of a sentence. */
const TITLE_ABBREVIATIONS = new Set(
  ('mr mrs ms dr prof sen rep gov gen lt col maj capt cmdr adm sgt cpl rev hon pres supt det insp ' +
    'st mt ft no nos vs v e.g i.e approx est dept jan feb aug sept oct nov dec')
    .split(' ')
    .map((word) => `${word}.`),
);

/** Words that open a new sentence, so "…the U.S. Then…" is a boundary but "…the U.S. Senate…" is not. */
const SENTENCE_OPENERS = new Set(
  ('the a an he she it they we i you but and then this that these those there here in on at as after ' +
    'before meanwhile however its his her their our so yet still if when while what who why how')
    .split(' '),
);

function endsWithAbbreviation(current: string, head: string): boolean {
  // Only the end matters; slicing keeps repeated joins linear in the sentence's length.
  const tail = current.slice(-64);
  const last = /([^\s(\[{“"]+)\s*$/u.exec(tail)?.[1];
  if (last === undefined) return false;
  if (TITLE_ABBREVIATIONS.has(last.toLowerCase())) return true;
  const nextWord = /^[\p{L}\p{M}]{1,64}/u.exec(head)?.[0] ?? '';
  const capitalised = /^\p{Lu}/u.test(nextWord);
  const continuesName = capitalised && !SENTENCE_OPENERS.has(nextWord.toLowerCase());
  // A middle initial: "John F. Kennedy".
  if (/^\p{Lu}\.$/u.test(last)) return continuesName && /\p{Lu}\p{Ll}+\s+\p{Lu}\.\s*$/u.test(tail);
  // "U.S.", "D.C.", "U.N.": part of a name such as "the U.S. Senate".
  if (/^(?:\p{Lu}\.){2,}$/u.test(last)) return continuesName;
  return false;
}

/** Whether `text` leaves a quotation open, so that ICU's break inside it is not a sentence end. */
function hasOpenQuotation(text: string): boolean {
  const open: string[] = [];
  for (const ch of text) {
    const top = open[open.length - 1];
    if (ch === '„' || ch === '«') open.push(ch);
    else if (ch === '»') {
      if (top === '«') open.pop();
    } else if (ch === '“') {
      // German „…“ closes with the English opening mark.
      if (top === '„') open.pop();
      else open.push(ch);
    } else if (ch === '”') {
      if (top === '“' || top === '„') open.pop();
    } else if (ch === '"') {
      if (top === '"') open.pop();
      else open.push(ch);
    }
  }
  return open.length > 0;
}

const segmenters = new Map<string, Intl.Segmenter>();
/** `language` comes from clients: bound the cache so odd tags cannot grow it without end. */
const MAX_CACHED_LOCALES = 16;

function sentenceSegmenter(language: string): Intl.Segmenter {
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
