/** Published fact checks and their corrections (src/domain/fact-checks/). */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { articles } from './articles.js';
import { claims } from './claims.js';
import { createdNow, regconfig, timestamptz, tsvector } from './columns.js';
import { rating } from './enums.js';
import { users } from './users.js';

export const factChecks = pgTable(
  'fact_checks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    claimId: uuid('claim_id')
      .notNull()
      .unique()
      .references(() => claims.id, { onDelete: 'cascade' }),
    articleId: uuid('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'restrict' }),
    /** Copied from the claim at publication: partners see what was published, not later edits. */
    claimReviewed: text('claim_reviewed').notNull(),
    quote: text('quote').notNull(),
    claimant: text('claimant'),
    language: text('language').notNull(),
    rating: rating('rating').notNull(),
    /**
     * The desk's label as published (src/domain/rating-scale/): its name in the fact check's language,
     * its key, its value and the scale's best and worst values then. Copied, so that a later change to
     * the scale does not rewrite what was published. value null: a label that means UNPROVEN.
     */
    textualRating: text('textual_rating').notNull(),
    ratingLabelKey: text('rating_label_key').notNull(),
    /** Whether the publisher named the label (ratingLabel); false: a plain rating, which took the scale's first label for it. */
    ratingLabelChosen: boolean('rating_label_chosen').notNull().default(false),
    ratingValue: integer('rating_value'),
    bestRating: integer('best_rating').notNull(),
    worstRating: integer('worst_rating').notNull(),
    summary: text('summary').notNull(),
    publishedBy: uuid('published_by')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    publishedAt: createdNow('published_at'),
    updatedAt: createdNow('updated_at'),
    /** Set when the claim is dismissed: partners no longer see it. */
    retractedAt: timestamptz('retracted_at'),
    /** Stemmed in the article's language (search_config(), drizzle/0004_search_config.sql). */
    searchVector: tsvector('search_vector').generatedAlwaysAs(sql`
    setweight(to_tsvector(search_config(language), coalesce(claim_reviewed, '') || ' ' || coalesce(quote, '')), 'A') ||
    setweight(to_tsvector(search_config(language), coalesce(summary, '')), 'B')`),
  },
  (t) => [
    // The rows partners see (src/model/public-fact-checks.ts); as SQL text, the way migration 0001 created it.
    index('fact_checks_published_idx')
      .on(t.publishedAt, t.id)
      .where(sql`retracted_at IS NULL`),
    // deskStatistics counts retracted fact checks too, in the window of their first publication; read
    // from the index alone.
    index('fact_checks_first_published_idx').on(t.publishedAt, t.claimId, t.rating),
    index('fact_checks_search_idx').using('gin', t.searchVector),
    // Every lexeme once per week and once per quarter ('ballot@w2870', 'ballot@q220'): search reads
    // one bucket at a time, newest first. The SQL functions are in drizzle/0003_search_buckets.sql.
    // Not partial, so that the only other way to a bucket is a full scan, which the planner prices
    // right even without statistics (PGlite never analyzes by itself); no pending list, since every
    // search probes the index dozens of times and fact checks are published at a human pace.
    index('fact_checks_search_bucket_idx')
      .using('gin', sql`search_bucket_vector(${t.searchVector}, ${t.publishedAt})`)
      .with({ fastupdate: false }),
    index('fact_checks_claim_trgm_idx').using('gin', sql`${t.claimReviewed} gin_trgm_ops`),
    // setRatingScale: is a label key still used by a fact check partners see?
    index('fact_checks_rating_label_idx')
      .on(t.ratingLabelKey)
      .where(sql`retracted_at IS NULL`),
    // The link lookup and the articleUrl filter: the fact checks of one article.
    index('fact_checks_article_idx').on(t.articleId),
  ],
);

/**
 * The text-search configurations some fact check is stemmed with, kept by triggers on fact_checks
 * (drizzle/0006_search_configs_in_use.sql): a search without a language reads the query in these
 * only, instead of in every configuration Postgres could stem with.
 */
export const searchConfigsInUse = pgTable('search_configs_in_use', {
  config: regconfig('config').primaryKey(),
});

export const corrections = pgTable(
  'corrections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    factCheckId: uuid('fact_check_id')
      .notNull()
      .references(() => factChecks.id, { onDelete: 'cascade' }),
    note: text('note').notNull(),
    previousRating: rating('previous_rating').notNull(),
    /** The fact check's label as it was before the correction (see fact_checks.textual_rating). */
    previousTextualRating: text('previous_textual_rating').notNull(),
    previousRatingLabelKey: text('previous_rating_label_key').notNull(),
    previousRatingValue: integer('previous_rating_value'),
    previousBestRating: integer('previous_best_rating').notNull(),
    previousWorstRating: integer('previous_worst_rating').notNull(),
    previousSummary: text('previous_summary').notNull(),
    /** The rating and its desk name after the correction (migration 0015 filled them in for older rows). */
    rating: rating('rating').notNull(),
    textualRating: text('textual_rating').notNull(),
    /** Whether the rating or its label changed (rating, label key or textual rating). */
    ratingChanged: boolean('rating_changed').notNull(),
    correctedBy: uuid('corrected_by')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    at: createdNow('at'),
  },
  (t) => [
    index('corrections_fact_check_idx').on(t.factCheckId, t.at),
    index('corrections_at_idx').on(t.at), // deskStatistics: the corrections of a window
    index('corrections_log_idx').on(t.at, t.id), // the public corrections log, newest first
  ],
);

/**
 * Retractions of published fact checks (dismissClaim from PUBLISHED), for the public corrections
 * log: what it says (`publicNote`, never the internal reason) and the rating that was withdrawn.
 */
export const retractions = pgTable(
  'retractions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    factCheckId: uuid('fact_check_id')
      .notNull()
      .references(() => factChecks.id, { onDelete: 'cascade' }),
    publicNote: text('public_note').notNull(),
    previousRating: rating('previous_rating').notNull(),
    previousTextualRating: text('previous_textual_rating').notNull(),
    retractedBy: uuid('retracted_by').references(() => users.id, { onDelete: 'restrict' }),
    at: createdNow('at'),
  },
  (t) => [index('retractions_fact_check_idx').on(t.factCheckId, t.at), index('retractions_at_idx').on(t.at, t.id)],
);

export type FactCheckRow = typeof factChecks.$inferSelect;
export type RetractionRow = typeof retractions.$inferSelect;
export type CorrectionRow = typeof corrections.$inferSelect;
