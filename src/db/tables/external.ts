/**
 * Other publishers' fact checks, brought in from their ClaimReview markup (src/domain/external/):
 * the reviews, the URLs where their claims appeared (the link lookup), the feeds they come
 * through, and the desk's own rules for reading their textual ratings.
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdNow, timestamptz, tsvector } from './columns.js';
import { rating } from './enums.js';
import { users } from './users.js';

export const externalSources = pgTable(
  'external_sources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    url: text('url').notNull(),
    intervalMinutes: integer('interval_minutes').notNull().default(60),
    enabled: boolean('enabled').notNull().default(true),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdNow('created_at'),
    updatedAt: createdNow('updated_at'),
    /** When the fetch job should next fetch it; a new feed is due at once. */
    nextFetchAt: createdNow('next_fetch_at'),
    /**
     * The lease (src/domain/external/feeds.ts): the process fetching it and until when. Taken in a
     * short transaction that commits before the fetch; an expired lease is free again.
     */
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: timestamptz('lease_expires_at'),
    lastFetchedAt: timestamptz('last_fetched_at'),
    lastSuccessAt: timestamptz('last_success_at'),
    lastError: text('last_error'),
    /** The last fetch's report (ImportReport, its skipped list cut at the first 100), so that a caller waiting on another process's fetch can answer it. */
    lastReport: jsonb('last_report'),
    /** Conditional GET: the validators of the last successful answer. */
    etag: text('etag'),
    lastModified: text('last_modified'),
  },
  (t) => [
    index('external_sources_created_idx').on(t.createdAt, t.id),
    index('external_sources_due_idx')
      .on(t.nextFetchAt)
      .where(sql`enabled`),
    check('external_sources_interval_range', sql`${t.intervalMinutes} BETWEEN 5 AND 10080`),
  ],
);

export const externalFactChecks = pgTable(
  'external_fact_checks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reviewUrl: text('review_url').notNull(),
    /** normalizeLookupUrl(reviewUrl): what makes a review the same one again. */
    reviewUrlNormalized: text('review_url_normalized').notNull().unique(),
    publisherName: text('publisher_name').notNull(),
    publisherSite: text('publisher_site'),
    claimReviewed: text('claim_reviewed').notNull(),
    claimant: text('claimant'),
    textualRating: text('textual_rating').notNull(),
    /** searchKey(textualRating) (lower case, no accents): what the rating rules match. */
    textualRatingKey: text('textual_rating_key').notNull(),
    /** From the rules at import, re-mapped by setExternalRatingRules; null when no rule decides. */
    rating: rating('rating'),
    /** The markup's ratingValue on its worstRating..bestRating range, 0..1 (the numeric fallback); null without them. */
    ratingPosition: doublePrecision('rating_position'),
    language: text('language'),
    publishedAt: timestamptz('published_at'),
    appearanceUrls: text('appearance_urls')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    sourceId: uuid('source_id').references(() => externalSources.id, { onDelete: 'set null' }),
    importedAt: createdNow('imported_at'),
    updatedAt: createdNow('updated_at'),
    claimReview: jsonb('claim_review').notNull(),
    /** A hash of what the import stores: the same content again is `unchanged`. */
    contentHash: text('content_hash').notNull(),
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql`setweight(to_tsvector(search_config(language), coalesce(claim_reviewed, '')), 'A') || setweight(to_tsvector(search_config(language), coalesce(claimant, '')), 'B')`,
    ),
  },
  (t) => [
    index('external_fact_checks_imported_idx').on(t.importedAt, t.id),
    index('external_fact_checks_search_idx').using('gin', t.searchVector),
    index('external_fact_checks_claim_trgm_idx').using('gin', sql`${t.claimReviewed} gin_trgm_ops`),
    index('external_fact_checks_publisher_idx').on(t.publisherName),
    // drizzle/0019_external_reads.sql (hand-written): the search's date and buckets, publishers newest first.
    index('external_fact_checks_search_date_idx').on(sql`external_search_date(${t.publishedAt}, ${t.importedAt})`, t.id),
    index('external_fact_checks_search_bucket_idx')
      .using('gin', sql`search_bucket_vector(${t.searchVector}, external_search_date(${t.publishedAt}, ${t.importedAt}))`)
      .with({ fastupdate: false }),
    index('external_fact_checks_publisher_imported_idx').on(t.publisherName, t.importedAt, t.id),
    index('external_fact_checks_source_idx').on(t.sourceId),
    // setExternalRatingRules re-maps by textual rating, batch by batch.
    index('external_fact_checks_rating_key_idx').on(t.textualRatingKey, t.id),
  ],
);

/** The link lookup: one row per (normalised appearance URL, review). */
export const externalFactCheckAppearances = pgTable(
  'external_fact_check_appearances',
  {
    urlNormalized: text('url_normalized').notNull(),
    externalFactCheckId: uuid('external_fact_check_id')
      .notNull()
      .references(() => externalFactChecks.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.urlNormalized, t.externalFactCheckId] }), index('external_fact_check_appearances_fact_check_idx').on(t.externalFactCheckId)],
);

/** The desk's rules, in order (the built-in ones are code: src/domain/external/rating-rules.ts). */
export const externalRatingRules = pgTable(
  'external_rating_rules',
  {
    position: integer('position').primaryKey(),
    textualRating: text('textual_rating').notNull(),
    textualRatingKey: text('textual_rating_key').notNull(),
    /** Lower-case BCP 47 tag; null: any language. */
    language: text('language'),
    rating: rating('rating').notNull(),
  },
  (t) => [index('external_rating_rules_key_idx').on(t.textualRatingKey)],
);

/**
 * The re-map that the last change of the desk's rules owes the stored ratings (one row,
 * src/domain/external-imports/rules-store.ts): which change (its generation, + 1 at each), whether
 * rows are left to re-map, the last ID re-mapped (the re-map walks by ID) and the ratings changed so
 * far. The change writes it with the rules; each re-map batch advances it in that batch's
 * transaction. So a re-map cut short (its process killed, a deploy) is finished from where it
 * stopped, by any process (src/jobs/rating-remap.ts), and two walkers never do a batch twice.
 */
export const externalRatingRemap = pgTable(
  'external_rating_remap',
  {
    single: boolean('single').primaryKey().default(true),
    generation: bigint('generation', { mode: 'number' }).notNull().default(0),
    pending: boolean('pending').notNull().default(false),
    /** The last row re-mapped; null: none yet (or none left, when not pending). */
    afterId: uuid('after_id'),
    changed: bigint('changed', { mode: 'number' }).notNull().default(0),
    /** The last change or batch: how long a pending re-map has stood still. */
    updatedAt: createdNow('updated_at'),
  },
  (t) => [check('external_rating_remap_single', sql`${t.single}`)],
);

export type ExternalSourceRow = typeof externalSources.$inferSelect;
export type ExternalFactCheckRow = typeof externalFactChecks.$inferSelect;
export type ExternalRatingRuleRow = typeof externalRatingRules.$inferSelect;
export type ExternalRatingRemapRow = typeof externalRatingRemap.$inferSelect;
