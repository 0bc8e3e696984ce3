/** The rating rules for other publishers' textual ratings (src/domain/external-imports/rating-rules.ts). */
import { describe, expect, test } from 'vitest';
import { BUILT_IN_RATING_RULES } from '../../src/domain/external-imports/built-in-rating-rules.js';
import { languageCovers, ratingKey, ratingOfPosition, ratingPosition, ratingRules } from '../../src/domain/external-imports/rating-rules.js';

const review = (textualRating: string, language: string | null = null, position: number | null = null) => ({
  textualRatingKey: ratingKey(textualRating),
  language,
  ratingPosition: position,
});

describe('built-in rules', () => {
  const builtIn = ratingRules([]);
  test.each([
    ['False', 'FALSE'],
    ['FALSO', 'FALSE'],
    ['Faux', 'FALSE'],
    ['falsch', 'FALSE'],
    ['Pants on Fire!', 'FALSE'],
    ['Mostly False', 'MOSTLY_FALSE'],
    ['Half True', 'MIXED'],
    ['Half-true', 'MIXED'],
    ['Partly false', 'MIXED'],
    ['Misleading', 'MISLEADING'],
    ['Engañoso', 'MISLEADING'],
    ['Enganoso', 'MISLEADING'],
    ['ENGAÑOSO', 'MISLEADING'],
    ['Trompeur', 'MISLEADING'],
    ['Irreführend', 'MISLEADING'],
    ['irrefuhrend', 'MISLEADING'],
    ['Missing context', 'MISLEADING'],
    ['Satire', 'MISLEADING'],
    ['True', 'TRUE'],
    ['Verdadero', 'TRUE'],
    ['Verdadeiro', 'TRUE'],
    ['Vrai', 'TRUE'],
    ['Richtig', 'TRUE'],
    ['Mostly True', 'MOSTLY_TRUE'],
    ['Größtenteils falsch', 'MOSTLY_FALSE'],
    ['Unproven', 'UNPROVEN'],
    ['Insustentável', 'UNPROVEN'],
  ])('%s is %s', (label, rating) => {
    expect(builtIn(review(label))).toBe(rating);
  });

  test('whole text only: a label inside a longer text does not match', () => {
    expect(builtIn(review('False, but only in part'))).toBeNull();
    expect(builtIn(review('Not false'))).toBeNull();
  });

  test('no label is given two ratings', () => {
    const byKey = new Map<string, string>();
    for (const rule of BUILT_IN_RATING_RULES) {
      const key = ratingKey(rule.textualRating);
      expect(byKey.get(key) ?? rule.rating, rule.textualRating).toBe(rule.rating);
      byKey.set(key, rule.rating);
    }
  });
});

describe('order of decision', () => {
  test("the desk's rules before the built-in ones; a language rule only for its language and sub-tags, the most specific first", () => {
    const rules = ratingRules([
      { textualRating: 'False', language: null, rating: 'MOSTLY_FALSE' },
      { textualRating: 'Exagerado', language: 'pt', rating: 'MOSTLY_FALSE' },
      { textualRating: 'exagerado', language: 'pt-br', rating: 'MIXED' },
    ]);
    expect(rules(review('FALSE', 'en'))).toBe('MOSTLY_FALSE');
    expect(rules(review('Exagerado', 'pt-PT'))).toBe('MOSTLY_FALSE');
    expect(rules(review('Exagerado', 'pt-BR'))).toBe('MIXED');
    expect(rules(review('Exagerado', 'pt'))).toBe('MOSTLY_FALSE');
    expect(rules(review('Exagerado', 'es'))).toBe('MISLEADING'); // the built-in rule
    expect(rules(review('Exagerado', null))).toBe('MISLEADING');
    expect(rules(review('Three Pinocchios', 'en', 0.5))).toBe('MIXED'); // the numeric fallback
    expect(rules(review('Three Pinocchios', 'en'))).toBeNull();
  });

  test('languageCovers', () => {
    expect(languageCovers(null, null)).toBe(true);
    expect(languageCovers('pt', 'PT-br')).toBe(true);
    expect(languageCovers('pt', 'pt')).toBe(true);
    expect(languageCovers('pt', 'ptx')).toBe(false);
    expect(languageCovers('pt-br', 'pt')).toBe(false);
    expect(languageCovers('en', null)).toBe(false);
  });
});

describe('numeric fallback', () => {
  test('fifths of the range, FALSE to TRUE', () => {
    expect([0, 0.19, 0.2, 0.39, 0.4, 0.59, 0.6, 0.79, 0.8, 1].map(ratingOfPosition)).toEqual([
      'FALSE',
      'FALSE',
      'MOSTLY_FALSE',
      'MOSTLY_FALSE',
      'MIXED',
      'MIXED',
      'MOSTLY_TRUE',
      'MOSTLY_TRUE',
      'TRUE',
      'TRUE',
    ]);
    expect([null, -0.1, 1.1, NaN].map(ratingOfPosition)).toEqual([null, null, null, null]);
  });

  test('the position: numbers or numeric strings, any direction of range, null when missing or off it', () => {
    expect(ratingPosition(3, 5, 1)).toBe(0.5);
    expect(ratingPosition('4', '5', '1')).toBe(0.75);
    expect(ratingPosition(1, 1, 5)).toBe(1); // a scale whose best is its lowest number
    expect(ratingPosition(3, 5, undefined)).toBeNull();
    expect(ratingPosition(3, 3, 3)).toBeNull();
    expect(ratingPosition(6, 5, 1)).toBeNull();
    expect(ratingPosition('', 5, 1)).toBeNull();
  });
});
