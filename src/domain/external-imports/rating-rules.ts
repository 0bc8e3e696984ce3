/**
 * How another publisher's textual rating ("Pants on Fire", "Engañoso", "Faux") becomes one of our
 * ratings (docs/design.md, Other publishers' fact checks). Pure: the desk's rules come from the
 * store (rules-store.ts). The order of decision:
 *
 * 1. the desk's rules, matching the whole text ignoring case and accents (searchKey), and the
 *    review's language when the rule names one ("pt" matches "pt" and "pt-BR");
 * 2. the built-in rules below, the same way;
 * 3. the markup's ratingValue on its worstRating..bestRating range, in fifths (FALSE … TRUE);
 * 4. otherwise null: no rule decides.
 *
 * Among matching rules, the one whose language is the most specific wins (a "pt-BR" rule before a
 * "pt" one before one for any language), then the first in order.
 */
import type { Rating } from '../../model/enums.js';
import { searchKey } from '../../model/search-key.js';
import { BUILT_IN_RATING_RULES } from './built-in-rating-rules.js';

export interface RatingRule {
  textualRating: string;
  /** A BCP 47 tag (compared lower-case); null: any language. */
  language: string | null;
  rating: Rating;
}

/** What a rating is decided from: the stored columns of an external fact check. */
export interface RatedReview {
  textualRatingKey: string;
  language: string | null;
  /** ratingValue on worstRating..bestRating, 0..1; null without them. */
  ratingPosition: number | null;
}

export type RatingOf = (review: RatedReview) => Rating | null;

export const ratingKey = (textualRating: string) => searchKey(textualRating);

/** A rule's language covers a review's: the same tag or one of its sub-tags ("pt" covers "pt-BR"). */
export function languageCovers(ruleLanguage: string | null, reviewLanguage: string | null): boolean {
  if (ruleLanguage === null) return true;
  if (reviewLanguage === null) return false;
  const rule = ruleLanguage.toLowerCase();
  const review = reviewLanguage.toLowerCase();
  return review === rule || review.startsWith(`${rule}-`);
}

/** The fifths of the range, worst to best. */
const BY_FIFTH: readonly Rating[] = ['FALSE', 'MOSTLY_FALSE', 'MIXED', 'MOSTLY_TRUE', 'TRUE'];

export function ratingOfPosition(position: number | null): Rating | null {
  if (position === null || !Number.isFinite(position) || position < 0 || position > 1) return null;
  return BY_FIFTH[Math.min(4, Math.floor(position * 5))]!;
}

interface KeyedRule {
  languageLength: number;
  language: string | null;
  rating: Rating;
}

function index(rules: readonly RatingRule[]): Map<string, KeyedRule[]> {
  const byKey = new Map<string, KeyedRule[]>();
  for (const rule of rules) {
    const key = ratingKey(rule.textualRating);
    const language = rule.language?.toLowerCase() ?? null;
    const list = byKey.get(key) ?? [];
    list.push({ language, languageLength: language?.length ?? 0, rating: rule.rating });
    byKey.set(key, list);
  }
  // Stable: equally specific rules keep their order.
  for (const list of byKey.values()) list.sort((a, b) => b.languageLength - a.languageLength);
  return byKey;
}

const lookup = (byKey: Map<string, KeyedRule[]>, review: RatedReview) =>
  byKey.get(review.textualRatingKey)?.find((rule) => languageCovers(rule.language, review.language))?.rating ?? null;

const BUILT_IN_INDEX = index(BUILT_IN_RATING_RULES);

/** The rating rules in force: the desk's, then the built-in ones, then the numeric fallback. */
export function ratingRules(deskRules: readonly RatingRule[]): RatingOf {
  const desk = index(deskRules);
  return (review) => lookup(desk, review) ?? lookup(BUILT_IN_INDEX, review) ?? ratingOfPosition(review.ratingPosition);
}

/** ratingValue's place on worstRating..bestRating (numbers or numeric strings), 0..1; null when any is missing or off the range. */
export function ratingPosition(value: unknown, best: unknown, worst: unknown): number | null {
  const [v, b, w] = [asNumber(value), asNumber(best), asNumber(worst)];
  if (v === null || b === null || w === null || b === w) return null;
  const position = (v - w) / (b - w);
  return position >= 0 && position <= 1 ? position : null;
}

function asNumber(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : null;
}
