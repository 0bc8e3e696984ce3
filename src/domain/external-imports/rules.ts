/**
 * externalRatingRules (editors, admins) and setExternalRatingRules (admins): the desk's rules for
 * reading other publishers' textual ratings, listed before the built-in ones.
 */
import { z } from 'zod';
import type { Queryable } from '../../db/connection.js';
import { RATINGS, type Rating } from '../../model/enums.js';
import { ADMINS, EDITORS, requireRole, type Viewer } from '../viewer.js';
import { languageTag, LIMITS, parseInput, requiredText } from '../validation.js';
import { BUILT_IN_RATING_RULES } from './built-in-rating-rules.js';
import { ratingKey, type RatingRule } from './rating-rules.js';
import { readDeskRules, remapRatings, replaceDeskRules } from './rules-store.js';
import { DEFAULT_IMPORT_SETTINGS } from './settings.js';

export const MAX_DESK_RULES = 500;
export const DEFAULT_REMAP_BATCH_SIZE = DEFAULT_IMPORT_SETTINGS.remapBatchSize;

export interface ListedRatingRule extends RatingRule {
  custom: boolean;
}

const listed = (desk: readonly RatingRule[]): ListedRatingRule[] => [
  ...desk.map((rule) => ({ ...rule, custom: true })),
  ...BUILT_IN_RATING_RULES.map((rule) => ({ ...rule, custom: false })),
];

export async function listExternalRatingRules(db: Queryable, viewer: Viewer | null): Promise<ListedRatingRule[]> {
  requireRole(viewer, EDITORS);
  return listed(await readDeskRules(db));
}

const ruleInput = z.object({
  textualRating: requiredText(LIMITS.label)
    .transform((s) => s.trim())
    .refine((s) => ratingKey(s) !== '', 'must hold a letter or a digit'),
  language: languageTag
    .transform((s) => s.toLowerCase())
    .nullish()
    .transform((v) => v ?? null),
  rating: z.enum(RATINGS),
});
const rulesInput = z.object({
  rules: z
    .array(ruleInput)
    .max(MAX_DESK_RULES, `must hold at most ${MAX_DESK_RULES} rules`)
    .refine((rules) => new Set(rules.map((r) => `${ratingKey(r.textualRating)}\u0000${r.language ?? ''}`)).size === rules.length, {
      message: 'must not hold two rules for the same textual rating and language',
    }),
});
export type SetExternalRatingRulesInput = z.input<typeof rulesInput>;

/**
 * Replaces the desk's rules, then re-maps what is stored batch by batch; answers every rule in force
 * and how many ratings its re-map changed (a re-map that newer rules overtake stops there: theirs
 * re-maps every row; rules-store.ts). The re-map owed is recorded with the rules: cut short (the
 * process killed), it is finished by the job of whichever process runs it next (src/jobs/rating-remap.ts).
 */
export async function setExternalRatingRules(
  db: Queryable,
  viewer: Viewer | null,
  input: SetExternalRatingRulesInput,
  batchSize = DEFAULT_REMAP_BATCH_SIZE,
): Promise<{ rules: ListedRatingRule[]; remapped: number }> {
  requireRole(viewer, ADMINS);
  const { rules } = parseInput(rulesInput, input);
  const desk = rules.map((r) => ({ textualRating: r.textualRating, language: r.language, rating: r.rating as Rating }));
  const generation = await replaceDeskRules(db, desk);
  const remapped = await remapRatings(db, generation, batchSize);
  return { rules: listed(desk), remapped };
}
