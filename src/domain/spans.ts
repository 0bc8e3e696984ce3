/**
 * Offsets are Unicode code points, not UTF-16 units (W3C TextPositionSelector), so that partners in
 * any language compute the same numbers. JavaScript strings index by UTF-16 unit; convert here only.
 */
export interface Span {
  start: number;
  end: number;
}

/** The code points of `text` in [span.start, span.end). */
export function sliceCodePoints(text: string, span: Span): string {
  return Array.from(text).slice(span.start, span.end).join('');
}

export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

/** Code-point offset of a UTF-16 index (which must not split a surrogate pair). */
export function codePointOffset(text: string, utf16Index: number): number {
  return codePointLength(text.slice(0, utf16Index));
}

/** Every span where `quote` occurs in `text`, overlapping occurrences included, in order. */
export function findOccurrences(text: string, quote: string): Span[] {
  if (quote.length === 0) return [];
  const spans: Span[] = [];
  const quoteLength = codePointLength(quote);
  let from = 0;
  let lastIndex = 0;
  let lastOffset = 0;
  for (;;) {
    const index = text.indexOf(quote, from);
    if (index < 0) break;
    // Count incrementally so that n occurrences cost one pass over the text, not n.
    lastOffset += codePointLength(text.slice(lastIndex, index));
    lastIndex = index;
    spans.push({ start: lastOffset, end: lastOffset + quoteLength });
    from = index + 1;
  }
  return spans;
}

export function spansOverlap(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}
