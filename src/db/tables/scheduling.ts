/**
 * Publications waiting for their time (src/domain/scheduling/). The fact check's row is written at
 * the release, with the ID fixed here; until then nothing partners or the public read can see it.
 */
import { boolean, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { claims } from './claims.js';
import { createdNow, timestamptz } from './columns.js';
import { rating } from './enums.js';
import { users } from './users.js';

export const scheduledPublications = pgTable(
  'scheduled_publications',
  {
    claimId: uuid('claim_id')
      .primaryKey()
      .references(() => claims.id, { onDelete: 'cascade' }),
    /** The ID the fact check will have (and its URL with it). */
    factCheckId: uuid('fact_check_id').notNull().unique(),
    publishAt: timestamptz('publish_at').notNull(),
    /** The label as it will be published (see fact_checks.textual_rating). */
    rating: rating('rating').notNull(),
    textualRating: text('textual_rating').notNull(),
    ratingLabelKey: text('rating_label_key').notNull(),
    ratingLabelChosen: boolean('rating_label_chosen').notNull().default(false),
    ratingValue: integer('rating_value'),
    bestRating: integer('best_rating').notNull(),
    worstRating: integer('worst_rating').notNull(),
    summary: text('summary').notNull(),
    scheduledBy: uuid('scheduled_by')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    scheduledAt: createdNow('scheduled_at'),
  },
  (t) => [index('scheduled_publications_due_idx').on(t.publishAt), index('scheduled_publications_label_idx').on(t.ratingLabelKey)],
);

export type ScheduledPublicationRow = typeof scheduledPublications.$inferSelect;
