/**
 * The desk's rating scale (DESIGN.md, "The desk's rating scale"), as pure rules: the default scale,
 * validation of a new one, RFC 4647 lookup of a label's name, and which label a publication uses.
 * No I/O: src/domain/rating-scale/scale-store.ts reads and writes it.
 */
import { z } from 'zod';
import { RATINGS, type Rating } from '../../model/enums.js';
import { badInput } from '../coded-errors.js';
import { LIMITS, parseInput, requiredText } from '../validation.js';
import type { PublishedRating } from '../fact-checks/ratings.js';

export interface LocalizedText {
  locale: string;
  text: string;
}

export interface RatingLabel {
  key: string;
  rating: Rating;
  /** 1 = worst; null exactly for labels that mean UNPROVEN. */
  value: number | null;
  names: LocalizedText[];
  descriptions: LocalizedText[];
}

export interface RatingScale {
  name: string;
  /** Canonical BCP 47; every label has a name in it. */
  defaultLocale: string;
  /** Worst to best, labels that mean UNPROVEN last. */
  labels: RatingLabel[];
}

export const WORST_VALUE = 1;
export const LABELS_RANGE = { min: 2, max: 20 } as const;
export const VALUE_RANGE = { min: 1, max: 100 } as const;
const KEY = /^[a-z0-9-]{1,40}$/;

/**
 * The scale a fresh database starts with (migration 0012 writes the same rows; a test compares):
 * one label per normalized rating, in English, with the values ClaimReview always had.
 */
export const DEFAULT_RATING_SCALE: RatingScale = {
  name: 'Default',
  defaultLocale: 'en',
  labels: (
    [
      ['false', 'FALSE', 1, 'False'],
      ['mostly-false', 'MOSTLY_FALSE', 2, 'Mostly false'],
      ['misleading', 'MISLEADING', 2, 'Misleading'],
      ['mixed', 'MIXED', 3, 'Mixed'],
      ['mostly-true', 'MOSTLY_TRUE', 4, 'Mostly true'],
      ['true', 'TRUE', 5, 'True'],
      ['unproven', 'UNPROVEN', null, 'Unproven'],
    ] as const
  ).map(([key, rating, value, name]) => ({ key, rating, value, names: [{ locale: 'en', text: name }], descriptions: [] })),
};

/** The highest value of the scale (ClaimReview bestRating). */
export const bestValue = (scale: Pick<RatingScale, 'labels'>) => Math.max(WORST_VALUE, ...scale.labels.map((l) => l.value ?? WORST_VALUE));

/** A BCP 47 tag in its canonical form (pt-br → pt-BR), or null when it is not one. */
export function canonicalLocale(tag: string): string | null {
  if (!/^[A-Za-z0-9-]{1,80}$/.test(tag)) return null;
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return canonical ?? null;
  } catch {
    return null;
  }
}

/**
 * RFC 4647 §3.4 lookup: the available tag equal to the range, else to the range with its last
 * subtag removed (and a single-letter subtag left at the end removed with it), and so on; null when
 * none matches. Case-insensitive. pt-BR looks for pt-BR, then pt; it never picks pt-PT.
 */
export function lookupLocale(available: readonly string[], range: string): string | null {
  const byLower = new Map(available.map((tag) => [tag.toLowerCase(), tag]));
  const subtags = (canonicalLocale(range) ?? range).toLowerCase().split('-');
  while (subtags.length > 0) {
    const found = byLower.get(subtags.join('-'));
    if (found) return found;
    subtags.pop();
    if (subtags.length > 0 && subtags.at(-1)!.length === 1) subtags.pop();
  }
  return null;
}

/** A text in `locale` by RFC 4647 lookup, else in the default locale; null when neither has one. */
export function localized(texts: readonly LocalizedText[], locale: string | null | undefined, defaultLocale: string): string | null {
  const chosen =
    (locale
      ? lookupLocale(
          texts.map((t) => t.locale),
          locale,
        )
      : null) ??
    lookupLocale(
      texts.map((t) => t.locale),
      defaultLocale,
    );
  return texts.find((t) => t.locale === chosen)?.text ?? null;
}

/** What a publication stores of its label: the name in the fact check's language, value, best and worst. */
export function publishedRating(
  scale: RatingScale,
  label: RatingLabel,
  language: string,
  chosen: boolean,
): PublishedRating & { ratingLabelKey: string; ratingLabelChosen: boolean } {
  return {
    rating: label.rating,
    ratingLabelKey: label.key,
    ratingLabelChosen: chosen,
    textualRating: localized(label.names, language, scale.defaultLocale)!,
    ratingValue: label.value,
    bestRating: bestValue(scale),
    worstRating: WORST_VALUE,
  };
}

/**
 * The label a publication uses: the one named (its rating must agree with `rating` when both are
 * given), else the first label, worst to best, that means `rating`. BAD_USER_INPUT otherwise.
 */
export function chooseLabel(scale: RatingScale, choice: { rating?: Rating | null; ratingLabel?: string | null }): RatingLabel {
  if (choice.ratingLabel != null) {
    const label = scale.labels.find((l) => l.key === choice.ratingLabel);
    if (!label)
      throw badInput('ratingLabel', `ratingLabel "${choice.ratingLabel}" is not a label of the rating scale (${scale.labels.map((l) => l.key).join(', ')})`);
    if (choice.rating != null && choice.rating !== label.rating) {
      throw badInput('rating', `rating ${choice.rating} disagrees with ratingLabel "${label.key}", which means ${label.rating}`);
    }
    return label;
  }
  if (choice.rating == null) throw badInput('rating', 'rating or ratingLabel is required');
  const label = scale.labels.find((l) => l.rating === choice.rating);
  if (!label) throw badInput('rating', `the rating scale has no label that means ${choice.rating}: publish with a ratingLabel`);
  return label;
}

const localeTag = z.string().transform((tag, ctx) => {
  const canonical = canonicalLocale(tag);
  if (!canonical) ctx.addIssue({ code: 'custom', message: 'must be a BCP 47 language tag such as en or pt-BR' });
  return canonical ?? tag;
});

/** Texts with a BCP 47 locale each, no locale twice (after canonicalization). */
const localizedTexts = (max: number) =>
  z
    .array(z.object({ locale: localeTag, text: requiredText(max) }))
    .max(50, 'must have at most 50 translations')
    .superRefine((texts, ctx) => {
      const seen = new Set<string>();
      texts.forEach((t, i) => {
        if (seen.has(t.locale)) ctx.addIssue({ code: 'custom', path: [i, 'locale'], message: `names the locale ${t.locale} twice` });
        seen.add(t.locale);
      });
    });

const scaleInput = z.object({
  name: requiredText(LIMITS.name),
  defaultLocale: localeTag,
  labels: z
    .array(
      z.object({
        key: z.string().regex(KEY, 'must be 1 to 40 lowercase letters, digits and hyphens'),
        rating: z.enum(RATINGS),
        value: z
          .number()
          .int('must be a whole number')
          .min(VALUE_RANGE.min, `must be ${VALUE_RANGE.min} to ${VALUE_RANGE.max}`)
          .max(VALUE_RANGE.max, `must be ${VALUE_RANGE.min} to ${VALUE_RANGE.max}`)
          .nullish(),
        names: localizedTexts(LIMITS.label),
        descriptions: localizedTexts(LIMITS.note).nullish(),
      }),
    )
    .min(LABELS_RANGE.min, `must have ${LABELS_RANGE.min} to ${LABELS_RANGE.max} labels`)
    .max(LABELS_RANGE.max, `must have ${LABELS_RANGE.min} to ${LABELS_RANGE.max} labels`),
});
export type RatingScaleInput = z.input<typeof scaleInput>;

/**
 * A new scale, validated (every problem BAD_USER_INPUT naming its field, e.g. labels.2.names) and
 * normalized: locales canonical, default values filled in, labels worst to best with UNPROVEN last.
 */
export function parseRatingScale(input: RatingScaleInput): RatingScale {
  const data = parseInput(scaleInput, input);
  const keys = new Set<string>();
  let place = 0;
  let previous = 0;
  const labels = data.labels.map((label, i): RatingLabel => {
    const field = `labels.${i}`;
    if (keys.has(label.key)) throw badInput(`${field}.key`, `${field}.key "${label.key}" is used by another label`);
    keys.add(label.key);
    if (!label.names.some((n) => n.locale === data.defaultLocale))
      throw badInput(`${field}.names`, `${field}.names must include a name in the default locale ${data.defaultLocale}`);
    let value: number | null = null;
    if (label.rating === 'UNPROVEN') {
      if (label.value != null) throw badInput(`${field}.value`, `${field}.value must be null: a label that means UNPROVEN has no place on the scale`);
    } else {
      place++;
      value = label.value ?? place;
      if (value < previous)
        throw badInput(`${field}.value`, `${field}.value ${value} is below the label before it (${previous}): labels go from worst to best`);
      previous = value;
    }
    return { key: label.key, rating: label.rating, value, names: label.names, descriptions: label.descriptions ?? [] };
  });
  if (place === 0) throw badInput('labels', 'labels must include one that does not mean UNPROVEN');
  return {
    name: data.name,
    defaultLocale: data.defaultLocale,
    labels: [...labels.filter((l) => l.value !== null), ...labels.filter((l) => l.value === null)],
  };
}
