import { describe, expect, test } from 'vitest';
import { DomainError } from '../../src/domain/coded-errors.js';
import {
  canonicalLocale,
  chooseLabel,
  DEFAULT_RATING_SCALE,
  localized,
  lookupLocale,
  parseRatingScale,
  publishedRating,
} from '../../src/domain/rating-scale/scale.js';

describe('RFC 4647 lookup', () => {
  test.each([
    [['en', 'pt-BR'], 'pt-BR', 'pt-BR'],
    [['en', 'pt'], 'pt-BR', 'pt'],
    [['en', 'pt-PT'], 'pt-BR', null], // lookup never widens to a sibling
    [['en', 'pt-BR'], 'pt', null], // nor narrows
    [['en', 'PT-br'], 'pt-br', 'PT-br'], // case-insensitive
    [['zh-Hant'], 'zh-Hant-CN-x-private1', 'zh-Hant'],
    [['de'], 'de-x-foo', 'de'], // a singleton left at the end goes with it
    [['en'], 'fr', null],
  ] as const)('%j for %s → %s', (available, range, expected) => {
    expect(lookupLocale(available, range)).toBe(expected);
  });

  test('localized falls back to the default locale', () => {
    const names = [
      { locale: 'en', text: 'False' },
      { locale: 'pt', text: 'Falso' },
    ];
    expect(localized(names, 'pt-BR', 'en')).toBe('Falso');
    expect(localized(names, 'de-AT', 'en')).toBe('False');
    expect(localized(names, null, 'en')).toBe('False');
    expect(localized([], 'pt', 'en')).toBeNull();
  });

  test('canonical BCP 47 tags', () => {
    expect(canonicalLocale('pt-br')).toBe('pt-BR');
    expect(canonicalLocale('EN')).toBe('en');
    expect(canonicalLocale('zh-hant-tw')).toBe('zh-Hant-TW');
    for (const bad of ['en_US', '', '-', 'english!', 'a'.repeat(100), 'x']) expect(canonicalLocale(bad), bad).toBeNull();
  });
});

describe('parseRatingScale', () => {
  const names = (text: string) => [{ locale: 'en', text }];
  test('default values are positions among the labels with a place; UNPROVEN goes last', () => {
    const scale = parseRatingScale({
      name: 'S',
      defaultLocale: 'EN',
      labels: [
        { key: 'u', rating: 'UNPROVEN', names: names('U') },
        { key: 'f', rating: 'FALSE', names: names('F') },
        { key: 'm', rating: 'MIXED', value: 2, names: names('M') },
        { key: 'm2', rating: 'MISLEADING', names: names('M2') },
        { key: 't', rating: 'TRUE', value: 7, names: names('T') },
      ],
    });
    expect(scale.defaultLocale).toBe('en');
    expect(scale.labels.map((l) => [l.key, l.value])).toEqual([
      ['f', 1],
      ['m', 2],
      ['m2', 3],
      ['t', 7],
      ['u', null],
    ]);
  });

  test('the default scale passes its own rules', () => {
    expect(parseRatingScale(DEFAULT_RATING_SCALE)).toEqual(DEFAULT_RATING_SCALE);
  });
});

describe('chooseLabel and publishedRating', () => {
  test('a rating alone picks the first label that means it; a label must agree with the rating', () => {
    expect(chooseLabel(DEFAULT_RATING_SCALE, { rating: 'MISLEADING' }).key).toBe('misleading');
    expect(chooseLabel(DEFAULT_RATING_SCALE, { ratingLabel: 'true', rating: 'TRUE' }).key).toBe('true');
    expect(() => chooseLabel(DEFAULT_RATING_SCALE, { ratingLabel: 'true', rating: 'FALSE' })).toThrow(DomainError);
    expect(() => chooseLabel(DEFAULT_RATING_SCALE, { ratingLabel: 'nope' })).toThrow(/not a label/);
    expect(() => chooseLabel(DEFAULT_RATING_SCALE, {})).toThrow(/required/);
  });

  test('what a publication stores with the default scale is what ClaimReview always said', () => {
    expect(publishedRating(DEFAULT_RATING_SCALE, chooseLabel(DEFAULT_RATING_SCALE, { rating: 'MOSTLY_FALSE' }), 'pt-BR', false)).toEqual({
      rating: 'MOSTLY_FALSE',
      ratingLabelKey: 'mostly-false',
      ratingLabelChosen: false,
      textualRating: 'Mostly false',
      ratingValue: 2,
      bestRating: 5,
      worstRating: 1,
    });
    expect(publishedRating(DEFAULT_RATING_SCALE, chooseLabel(DEFAULT_RATING_SCALE, { rating: 'UNPROVEN' }), 'en', false).ratingValue).toBeNull();
  });
});
