import { codePointLength, type Span } from '../spans.js';
import { icuSentences, PARAGRAPH_SEPARATORS, sentenceSegmenter } from './icu.js';

export interface Sentence {
  /** The sentence from its first letter, digit or opening quotation mark (QUOTE_START), without trailing whitespace; equals the body's code points at `span`. */
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
  let pending: Pending | undefined;
  let offset = 0; // code points before the current segment
  for (const segment of icuSentences(body, sentenceSegmenter(language))) {
    if (pending !== undefined && !shouldJoin(pending, segment)) {
      pushTrimmed(sentences, pending.parts.join(''), pending.start);
      pending = undefined;
    }
    pending ??= { parts: [], start: offset, length: 0, quotes: [] };
    pending.parts.push(segment);
    pending.length += segment.length;
    if (pending.length < MAX_QUOTE_JOIN) trackQuotations(pending.quotes, segment);
    offset += codePointLength(segment);
  }
  if (pending !== undefined) pushTrimmed(sentences, pending.parts.join(''), pending.start);
  return sentences;
}

/**
 * ICU segments joined so far, kept as parts with their quotation state updated part by part, so that
 * a long run of joins ("Dr. Dr. Dr. …") costs linear time rather than re-reading the whole run.
 */
interface Pending {
  parts: string[];
  /** Code-point offset in the body. */
  start: number;
  /** UTF-16 length. */
  length: number;
  /** Quotation marks still open. */
  quotes: string[];
}

/**
 * Where a quote may start: a letter, a digit, an opening quotation mark or bracket (cutting "(" would
 * leave its ")" behind), Spanish "¿" and "¡", or a currency sign before a digit ("$5 million"). Not a
 * keycap emoji ("1️⃣", a digit followed by U+20E3). Whatever comes before, an emoji or a symbol
 * ("🚨 The mayor said…", "➡️", "•", "***"), decorates the sentence and is not part of the claim.
 */
const QUOTE_START = /\p{L}|\p{N}(?!\uFE0F?\u20E3)|[\p{Pi}\p{Ps}"'¿¡]|\p{Sc}(?=\p{N})/u;

function pushTrimmed(out: Sentence[], raw: string, start: number): void {
  const trimmed = raw.trimEnd();
  const at = trimmed.search(QUOTE_START); // a UTF-16 index, on a code-point boundary (the u flag)
  if (at < 0) return;
  const text = trimmed.slice(at);
  // A run of punctuation or emoji is no statement anyone could check.
  if (!/[\p{L}\p{N}]/u.test(text)) return;
  const begin = start + codePointLength(trimmed.slice(0, at));
  out.push({ text, span: { start: begin, end: begin + codePointLength(text) } });
}

/** Longer than any real quoted passage: a stray quotation mark must not swallow a whole document. */
const MAX_QUOTE_JOIN = 1_000;

function shouldJoin(pending: Pending, next: string): boolean {
  const previous = pending.parts[pending.parts.length - 1] ?? '';
  // A line break is the author's own boundary (headlines, paragraphs); ICU always breaks there too.
  if (PARAGRAPH_SEPARATORS.has(previous.charAt(previous.length - 1))) return false;
  const head = next.trimStart();
  // ICU breaks after "?" or "!" even when the sentence goes on: “Are we safe?” she asked.
  if (/^[\p{Ll},;:)\]}”’»]/u.test(head)) return true;
  if (endsWithAbbreviation(previous.slice(-64), head)) return true;
  return pending.length < MAX_QUOTE_JOIN && pending.quotes.length > 0;
}

/** Abbreviations that are practically never the last word of a sentence. */
const TITLE_ABBREVIATIONS = new Set(
  (
    'mr mrs ms dr prof sen rep gov gen lt col maj capt cmdr adm sgt cpl rev hon pres supt det insp ' +
    'st mt ft no nos vs v e.g i.e approx est dept jan feb aug sept oct nov dec'
  )
    .split(' ')
    .map((word) => `${word}.`),
);

/** Words that open a new sentence, so "…the U.S. Then…" is a boundary but "…the U.S. Senate…" is not. */
const SENTENCE_OPENERS = new Set(
  (
    'the a an he she it they we i you but and then this that these those there here in on at as after ' +
    'before meanwhile however its his her their our so yet still if when while what who why how'
  ).split(' '),
);

/** `tail` is the end of the previous ICU segment, which holds the abbreviation and the name before it. */
function endsWithAbbreviation(tail: string, head: string): boolean {
  const last = /([^\s([{“"]+)\s*$/u.exec(tail)?.[1];
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

/** Updates the stack of open quotation marks with `text`: a break inside a quotation is not a sentence end. */
function trackQuotations(open: string[], text: string): void {
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
}
