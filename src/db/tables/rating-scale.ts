/** The desk's rating scale and its labels (src/domain/rating-scale/, src/db/rating-scale.ts). */
import { sql } from 'drizzle-orm';
import { check, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdNow } from './columns.js';
import { rating } from './enums.js';

/**
 * The desk's rating scale: one per installation (a single row, id 1), replaced whole by
 * setRatingScale (src/domain/rating-scale/). Migration 0012 seeds the default English scale.
 */
export const ratingScales = pgTable(
  'rating_scales',
  {
    id: integer('id').primaryKey().default(1),
    name: text('name').notNull(),
    /** A canonical BCP 47 tag; every label has a name in it. */
    defaultLocale: text('default_locale').notNull(),
    updatedAt: createdNow('updated_at'),
  },
  (t) => [check('rating_scales_single_row', sql`${t.id} = 1`)],
);

/** A localized text: `{ locale, text }`, the locale a canonical BCP 47 tag. */
export interface LocalizedTextRow {
  locale: string;
  text: string;
}

export const ratingLabels = pgTable(
  'rating_labels',
  {
    key: text('key').primaryKey(),
    /** Worst to best as the admin listed them (labels that mean UNPROVEN are listed last). */
    position: integer('position').notNull(),
    rating: rating('rating').notNull(),
    /** Its place on the scale, 1 = worst; null exactly for labels that mean UNPROVEN. */
    value: integer('value'),
    names: jsonb('names').$type<LocalizedTextRow[]>().notNull(),
    descriptions: jsonb('descriptions').$type<LocalizedTextRow[]>().notNull().default([]),
  },
  (t) => [
    check('rating_labels_value', sql`(${t.rating} = 'UNPROVEN') = (${t.value} IS NULL) AND (${t.value} IS NULL OR ${t.value} >= 1)`),
    uniqueIndex('rating_labels_position').on(t.position),
  ],
);

export type RatingScaleRow = typeof ratingScales.$inferSelect;
export type RatingLabelRow = typeof ratingLabels.$inferSelect;
