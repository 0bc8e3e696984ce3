import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codePointLength, sliceCodePoints, spansOverlap, type Span } from '../../src/domain/spans.js';
import { suggestClaims } from '../../src/domain/suggestions/index.js';

/** Pieces chosen to stress code-point arithmetic and the segmenter's repairs, not to read well. */
const piece = fc.constantFrom(
  'Prices',
  'rose',
  '12%',
  'routinely',
  'apparently',
  'U.S.',
  'Dr.',
  '(D-NY).',
  'said',
  'because',
  'never',
  'Tuesday',
  'will',
  'meet',
  'F.',
  'the',
  'is',
  'set',
  'to',
  '3,000',
  '👍🏽',
  '🇮🇱',
  '👨‍👩‍👧',
  'e\u0301',
  'n\u0303o',
  '\u0301',
  '東京',
  '日本は晴れ。',
  '？',
  '😀',
  '.',
  '?',
  '!',
  ',',
  '“',
  '”',
  '"',
  '„',
  '«',
  '»',
  '…',
  ' ',
  ' ',
  '  ',
  '\n',
  '\n\n',
  '\t',
);
// Joined without separators so that marks and emoji also land right against words and punctuation.
const body = fc.array(fc.oneof(piece, fc.constant(' ')), { maxLength: 80 }).map((pieces) => pieces.join(''));

const coveredSpans = (text: string): fc.Arbitrary<Span[]> => {
  const length = codePointLength(text);
  const span = fc.tuple(fc.nat({ max: length }), fc.nat({ max: length })).map(([a, b]): Span => ({ start: Math.min(a, b), end: Math.max(a, b) }));
  return fc.array(span, { maxLength: 3 });
};

const input = body.chain((text) =>
  fc.record({
    text: fc.constant(text),
    covered: coveredSpans(text),
    limit: fc.option(fc.integer({ min: -3, max: 30 }), { nil: undefined }),
  }),
);

describe('suggestClaims properties', () => {
  it('returns exact code-point quotes, bounded scores, sorted, uncovered and deterministic results', () => {
    fc.assert(
      fc.property(input, ({ text, covered, limit }) => {
        const options = { coveredSpans: covered, limit };
        const result = suggestClaims(text, options);

        expect(result.length).toBeLessThanOrEqual(Math.max(0, limit ?? 10));
        for (const s of result) {
          expect(sliceCodePoints(text, s.span)).toBe(s.quote);
          expect(s.quote.length).toBeGreaterThan(0);
          // From a letter, digit (not a keycap), opening quotation mark or bracket, ¿ ¡, or a currency sign before a digit.
          expect(s.quote).toMatch(/^(?:\p{L}|\p{N}(?!\uFE0F?\u20E3)|[\p{Pi}\p{Ps}"'¿¡]|\p{Sc}\p{N})/u);
          expect(s.score).toBeGreaterThanOrEqual(0);
          expect(s.score).toBeLessThanOrEqual(1);
          expect(covered.some((c) => spansOverlap(c, s.span))).toBe(false);
        }
        for (let i = 1; i < result.length; i++) {
          const [prev, next] = [result[i - 1]!, result[i]!];
          const ordered = prev.score > next.score || (prev.score === next.score && prev.span.start < next.span.start);
          expect(ordered).toBe(true);
        }
        expect(suggestClaims(text, options)).toEqual(result);
      }),
      { numRuns: 500 },
    );
  });

  it('never returns overlapping sentences', () => {
    fc.assert(
      fc.property(body, (text) => {
        const spans = suggestClaims(text, { limit: 1_000 })
          .map((s) => s.span)
          .sort((a, b) => a.start - b.start);
        for (let i = 1; i < spans.length; i++) expect(spans[i - 1]!.end).toBeLessThanOrEqual(spans[i]!.start);
      }),
      { numRuns: 300 },
    );
  });
});
