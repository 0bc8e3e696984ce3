/** Fuzzed operations on the rating scale (src/domain/rating-scale/): replacing it, and reading it in any locale. */
import fc from 'fast-check';
import { LIMITS } from '../../../src/domain/validation.js';
import { RATINGS } from '../../../src/model/enums.js';
import { input } from '../fuzz/arbitraries.js';
import { ADMINS, ADMINS_MOSTLY, EVERYONE, from, type Families } from '../fuzz/family.js';
import { enumOf, int, languageTag, mostly, text, wrongType } from '../hostile-input.js';

/** The default scale's keys: fact checks use them, so a scale that keeps them mostly passes (removing one in use is CONFLICT). */
const DEFAULT_KEYS = ['false', 'mostly-false', 'misleading', 'mixed', 'mostly-true', 'true', 'unproven'] as const;
export const labelKey = mostly(
  fc.oneof(fc.constantFrom(...DEFAULT_KEYS), fc.stringMatching(/^[a-z0-9-]{1,40}$/)),
  fc.oneof(text(50), fc.constantFrom<unknown>('A B', 'x'.repeat(41), '')),
);
const localizedTexts = (limit: number) =>
  mostly(fc.array(fc.record({ locale: languageTag, text: text(limit) }), { maxLength: 3 }), fc.oneof(wrongType, fc.constant(null)));
const ratingLabelInput = fc.record(
  {
    key: labelKey,
    rating: enumOf(RATINGS),
    value: fc.oneof(fc.constantFrom(undefined, null), int(1, 100)),
    names: localizedTexts(LIMITS.label).map((names) => (Array.isArray(names) ? [{ locale: 'en', text: 'Label' }, ...names] : names)),
    descriptions: fc.oneof(fc.constant(undefined), localizedTexts(LIMITS.note)),
  },
  { requiredKeys: ['key', 'rating', 'names'] },
);
/** Mostly the default scale's labels (renamed, revalued, in other languages) with a few more; sometimes anything. */
const scaleLabels = mostly(
  fc
    .tuple(fc.array(ratingLabelInput, { maxLength: 4 }), fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), { minLength: 7, maxLength: 7 }))
    .map(([extra, names]) => [
      ...DEFAULT_KEYS.map((key, i) => ({
        key,
        rating: key.toUpperCase().replace('-', '_'),
        names: [
          { locale: 'en', text: names[i] },
          { locale: 'pt-BR', text: names[i] },
        ],
      })),
      ...extra,
    ]),
  fc.oneof(fc.array(ratingLabelInput, { maxLength: 22 }), wrongType),
  4,
);
const SCALE_FIELDS =
  'name defaultLocale bestValue worstValue labels { key rating value name names { locale text } pt: name(locale: "pt") description(locale: "pt-BR") }';

/** Rating-scale families, keyed by root field. */
export const ratingScaleFamilies = {
  setRatingScale: {
    weight: 1,
    document: `mutation($i: SetRatingScaleInput!) { setRatingScale(input: $i) { ratingScale { ${SCALE_FIELDS} } } }`,
    roles: ADMINS,
    principal: ADMINS_MOSTLY,
    variables: input({
      name: text(LIMITS.name),
      defaultLocale: fc.oneof({ weight: 4, arbitrary: fc.constant('en') }, { weight: 1, arbitrary: languageTag }),
      labels: scaleLabels,
    }),
  },
  ratingScale: {
    weight: 1,
    document: `query($locale: String) { ratingScale { ${SCALE_FIELDS} any: labels { name(locale: $locale) description(locale: $locale) } } }`,
    roles: EVERYONE,
    principal: from({ partner: 3 }),
    variables: fc.record({ locale: fc.oneof(fc.constant(undefined), languageTag) }),
  },
} satisfies Families;
