import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  ASSIGNMENT_STATES,
  CLAIM_EVENT_TYPES,
  CLAIM_STATUSES,
  CONFIDENCES,
  EVIDENCE_KINDS,
  FACT_CHECK_CHANGE_TYPES,
  PRIORITIES,
  RATINGS,
  ROLES,
  STANCES,
  WEBHOOK_DELIVERY_STATES,
  WEBHOOK_EVENT_TYPES,
} from '../model/enums.js';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const regconfig = customType<{ data: string }>({ dataType: () => 'regconfig' });
// Milliseconds, like JavaScript's Date, so that keyset cursors round-trip exactly.
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });
const createdNow = (name: string) => timestamptz(name).notNull().defaultNow();

export const role = pgEnum('role', ROLES);
export const claimStatus = pgEnum('claim_status', CLAIM_STATUSES);
export const priority = pgEnum('priority', PRIORITIES);
export const rating = pgEnum('rating', RATINGS);
export const stance = pgEnum('stance', STANCES);
export const evidenceKind = pgEnum('evidence_kind', EVIDENCE_KINDS);
export const assignmentState = pgEnum('assignment_state', ASSIGNMENT_STATES);
export const confidence = pgEnum('confidence', CONFIDENCES);
export const claimEventType = pgEnum('claim_event_type', CLAIM_EVENT_TYPES);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    email: text('email').notNull().unique(),
    role: role('role').notNull(),
    /** False: deactivated by an admin; their tokens are refused until they are reactivated. */
    active: boolean('active').notNull().default(true),
    createdAt: createdNow('created_at'),
  },
  (t) => [index('users_name_idx').on(t.name, t.id)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    /** Hex SHA-256 of the bearer token; the token itself is never stored. */
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdNow('created_at'),
    revokedAt: timestamptz('revoked_at'),
    /** Refused after this instant; null: never. */
    expiresAt: timestamptz('expires_at'),
    /** The first use in the latest minute it was used in (written at most once a minute, src/domain/access/last-used.ts). */
    lastUsedAt: timestamptz('last_used_at'),
    /** Requests per minute across every process; null: the default of the user's role (config). */
    rateLimitPerMinute: integer('rate_limit_per_minute'),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId), check('api_tokens_rate_limit_range', sql`${t.rateLimitPerMinute} BETWEEN 1 AND 100000`)],
);

/**
 * rate-limiter-flexible's RateLimiterDrizzle store: one row per counted key (a token, or a client
 * address's failed authentications), points used in the window that ends at `expire`. Processes
 * take points in leases (src/domain/access/shared-budget.ts), so a row is written once per lease,
 * not once per request.
 */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  points: integer('points').notNull(),
  expire: timestamptz('expire'),
});

export const articles = pgTable(
  'articles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    url: text('url').notNull().unique(),
    /**
     * normalizeLookupUrl(url) (src/model/lookup-url.ts), for the link lookup. Written by ingestArticle;
     * null for rows written otherwise (older rows, bulk loads) until the next start fills it in
     * (src/db/normalized-urls.ts).
     */
    urlNormalized: text('url_normalized'),
    title: text('title').notNull(),
    body: text('body').notNull(),
    publisher: text('publisher'),
    author: text('author'),
    publishedAt: timestamptz('published_at'),
    language: text('language').notNull().default('en'),
    ingestedBy: uuid('ingested_by').references(() => users.id, { onDelete: 'set null' }),
    ingestedAt: createdNow('ingested_at'),
  },
  (t) => [
    index('articles_ingested_idx').on(t.ingestedAt, t.id),
    // The link lookup (src/domain/fact-checks/filter.ts): md5, since a normalised URL (non-ASCII
    // percent-encoded) can outgrow a btree entry; the lookup compares the URL itself as well.
    index('articles_url_normalized_idx').on(sql`md5(${t.urlNormalized})`),
    // What the start-up backfill still has to do: empty once it has run, so a start checks it for free.
    index('articles_url_unnormalized_idx')
      .on(t.id)
      .where(sql`url_normalized IS NULL`),
  ],
);

export const claims = pgTable(
  'claims',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    articleId: uuid('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'restrict' }),
    quote: text('quote').notNull(),
    /** Code-point offsets into the article body, half-open. */
    spanStart: integer('span_start').notNull(),
    spanEnd: integer('span_end').notNull(),
    statement: text('statement').notNull(),
    claimant: text('claimant'),
    priority: priority('priority').notNull().default('NORMAL'),
    requiredVerdicts: integer('required_verdicts').notNull().default(1),
    dueAt: timestamptz('due_at'),
    /** Denormalised result of deriveStatus(), rewritten by every action, so lists can filter and index it. */
    status: claimStatus('status').notNull().default('OPEN'),
    round: integer('round').notNull().default(1),
    dismissed: boolean('dismissed').notNull().default(false),
    /** The round in which the fact check was last published; PUBLISHED only while it equals `round`. */
    publishedRound: integer('published_round'),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    createdAt: createdNow('created_at'),
    updatedAt: createdNow('updated_at'),
    searchVector: tsvector('search_vector').generatedAlwaysAs(sql`to_tsvector('simple'::regconfig, coalesce(quote, '') || ' ' || coalesce(statement, ''))`),
  },
  (t) => [
    check('claims_span_valid', sql`${t.spanStart} >= 0 AND ${t.spanEnd} > ${t.spanStart}`),
    check('claims_required_verdicts_range', sql`${t.requiredVerdicts} BETWEEN 1 AND 5`),
    check('claims_round_positive', sql`${t.round} >= 1`),
    // Ascending on purpose: scanned backwards they serve ORDER BY … DESC, whereas drizzle's .desc()
    // writes DESC NULLS LAST, which that ORDER BY (NULLS FIRST) cannot use.
    index('claims_article_idx').on(t.articleId, t.createdAt, t.id),
    index('claims_created_idx').on(t.createdAt, t.id),
    index('claims_status_idx').on(t.status, t.createdAt, t.id),
    // The sort keys of DUE_AT_ASC and PRIORITY_DESC (src/domain/claims/queries.ts), expression for expression.
    index('claims_due_idx').on(sql`coalesce(${t.dueAt}, 'infinity'::timestamptz)`, t.id),
    index('claims_priority_idx').on(
      sql`(CASE ${t.priority} WHEN 'URGENT' THEN 0 WHEN 'HIGH' THEN 1 WHEN 'NORMAL' THEN 2 ELSE 3 END)`,
      sql`coalesce(${t.dueAt}, 'infinity'::timestamptz)`,
      t.id,
    ),
    index('claims_search_idx').using('gin', t.searchVector),
    // One claim per article, span and statement (src/domain/claims/duplicates.ts); md5, since a
    // statement of 2,000 code points can outgrow a btree entry.
    uniqueIndex('claims_one_per_span_statement').on(t.articleId, t.spanStart, t.spanEnd, sql`md5(${t.statement})`),
  ],
);

export const assignments = pgTable(
  'assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    claimId: uuid('claim_id')
      .notNull()
      .references(() => claims.id, { onDelete: 'cascade' }),
    reviewerId: uuid('reviewer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    assignedBy: uuid('assigned_by')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    round: integer('round').notNull(),
    state: assignmentState('state').notNull().default('ACTIVE'),
    dueAt: timestamptz('due_at'),
    assignedAt: createdNow('assigned_at'),
    updatedAt: createdNow('updated_at'),
  },
  (t) => [
    uniqueIndex('assignments_one_active_per_reviewer')
      .on(t.claimId, t.reviewerId)
      .where(sql`state = 'ACTIVE'`),
    index('assignments_claim_idx').on(t.claimId, t.assignedAt),
    index('assignments_reviewer_idx').on(t.reviewerId, t.state, sql`coalesce(${t.dueAt}, 'infinity'::timestamptz)`, t.assignedAt, t.id),
    // deskStatistics (src/domain/desk-statistics/statement.ts): each reviewer's open and overdue
    // assignments, and who was assigned in a window, read from the index alone.
    index('assignments_active_due_idx')
      .on(t.reviewerId, t.dueAt)
      .where(sql`state = 'ACTIVE'`),
    index('assignments_assigned_idx').on(t.assignedAt, t.reviewerId),
  ],
);

export const evidence = pgTable(
  'evidence',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    claimId: uuid('claim_id')
      .notNull()
      .references(() => claims.id, { onDelete: 'cascade' }),
    kind: evidenceKind('kind').notNull(),
    url: text('url'),
    title: text('title').notNull(),
    excerpt: text('excerpt'),
    stance: stance('stance').notNull(),
    addedBy: uuid('added_by')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    addedAt: createdNow('added_at'),
  },
  (t) => [index('evidence_claim_idx').on(t.claimId, t.addedAt)],
);

export const verdicts = pgTable(
  'verdicts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    claimId: uuid('claim_id')
      .notNull()
      .references(() => claims.id, { onDelete: 'cascade' }),
    round: integer('round').notNull(),
    reviewerId: uuid('reviewer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    assignmentId: uuid('assignment_id')
      .notNull()
      .references(() => assignments.id, { onDelete: 'cascade' }),
    rating: rating('rating').notNull(),
    confidence: confidence('confidence').notNull(),
    rationale: text('rationale').notNull(),
    submittedAt: createdNow('submitted_at'),
  },
  (t) => [
    uniqueIndex('verdicts_one_per_round_reviewer').on(t.claimId, t.round, t.reviewerId),
    index('verdicts_claim_idx').on(t.claimId, t.round, t.submittedAt),
    // deskStatistics: the verdicts of a window, read from the index alone.
    index('verdicts_submitted_idx').on(t.submittedAt, t.reviewerId, t.assignmentId),
  ],
);

export const verdictEvidence = pgTable(
  'verdict_evidence',
  {
    verdictId: uuid('verdict_id')
      .notNull()
      .references(() => verdicts.id, { onDelete: 'cascade' }),
    evidenceId: uuid('evidence_id')
      .notNull()
      .references(() => evidence.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.verdictId, t.evidenceId] })],
);

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
    correctedBy: uuid('corrected_by')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    at: createdNow('at'),
  },
  (t) => [
    index('corrections_fact_check_idx').on(t.factCheckId, t.at),
    index('corrections_at_idx').on(t.at), // deskStatistics: the corrections of a window
  ],
);

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

export const claimEvents = pgTable(
  'claim_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    claimId: uuid('claim_id')
      .notNull()
      .references(() => claims.id, { onDelete: 'cascade' }),
    actorId: uuid('actor_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    type: claimEventType('type').notNull(),
    fromStatus: claimStatus('from_status'),
    toStatus: claimStatus('to_status'),
    note: text('note'),
    /** The claim's version after this event. */
    version: integer('version').notNull(),
    at: createdNow('at'),
  },
  (t) => [
    uniqueIndex('claim_events_claim_version').on(t.claimId, t.version),
    // deskStatistics: the review rounds that reached their required verdicts, when, agreeing or not.
    index('claim_events_round_reached_idx')
      .on(t.at, t.toStatus)
      .where(sql`from_status = 'IN_REVIEW' AND to_status IN ('REVIEWED', 'DISPUTED')`),
  ],
);

/**
 * Other places where a claim was made or repeated (addClaimAppearance). One row per claim and
 * normalised URL; at most one first appearance per claim.
 */
export const claimAppearances = pgTable(
  'claim_appearances',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    claimId: uuid('claim_id')
      .notNull()
      .references(() => claims.id, { onDelete: 'cascade' }),
    /** As given. */
    url: text('url').notNull(),
    /** normalizeLookupUrl(url): what the no-op check and the link lookup compare. */
    urlNormalized: text('url_normalized').notNull(),
    appearedAt: timestamptz('appeared_at'),
    archivedUrl: text('archived_url'),
    firstAppearance: boolean('first_appearance').notNull().default(false),
    addedBy: uuid('added_by')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    createdAt: createdNow('created_at'),
  },
  (t) => [
    // md5 for the same reason as articles_url_normalized_idx; these also serve the per-claim loader.
    uniqueIndex('claim_appearances_one_per_url').on(t.claimId, sql`md5(${t.urlNormalized})`),
    uniqueIndex('claim_appearances_one_first')
      .on(t.claimId)
      .where(sql`first_appearance`),
    index('claim_appearances_url_normalized_idx').on(sql`md5(${t.urlNormalized})`, t.claimId),
  ],
);

export const webhookEventType = pgEnum('webhook_event_type', WEBHOOK_EVENT_TYPES);
export const webhookDeliveryState = pgEnum('webhook_delivery_state', WEBHOOK_DELIVERY_STATES);
export const factCheckChangeType = pgEnum('fact_check_change_type', FACT_CHECK_CHANGE_TYPES);

export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    events: webhookEventType('events').array().notNull(),
    description: text('description'),
    enabled: boolean('enabled').notNull().default(true),
    /** `whsec_…` as is, or `enc:v1:…` (AES-256-GCM under WEBHOOK_SECRET_KEY; src/domain/webhooks/secrets.ts). */
    secret: text('secret').notNull(),
    /** Deliveries in a row that ended FAILED; WEBHOOK_DISABLE_AFTER of them disable the endpoint. */
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    createdAt: createdNow('created_at'),
  },
  (t) => [index('webhook_endpoints_owner_idx').on(t.ownerId, t.createdAt, t.id), index('webhook_endpoints_created_idx').on(t.createdAt, t.id)],
);

/** One row per event, written in the transaction of the change (the outbox); its id is the webhook-id. */
export const webhookEvents = pgTable('webhook_events', {
  id: uuid('id').primaryKey().defaultRandom(),
  type: webhookEventType('type').notNull(),
  /** What the payload is rendered from (src/domain/webhooks/payloads.ts), as it was at the change. */
  data: jsonb('data').notNull(),
  at: createdNow('at'),
});

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id')
      .notNull()
      .references(() => webhookEvents.id, { onDelete: 'cascade' }),
    state: webhookDeliveryState('state').notNull().default('PENDING'),
    attempts: integer('attempts').notNull().default(0),
    /** `attempts` when it was last redelivered: the retry budget counts from there. */
    attemptsBeforeRedelivery: integer('attempts_before_redelivery').notNull().default(0),
    nextAttemptAt: createdNow('next_attempt_at'),
    /** A dispatcher's lease: while in the future, the attempt in flight is that dispatcher's alone. */
    lockedUntil: timestamptz('locked_until'),
    leaseId: uuid('lease_id'),
    lastAttemptAt: timestamptz('last_attempt_at'),
    lastResponseStatus: integer('last_response_status'),
    lastError: text('last_error'),
    createdAt: createdNow('created_at'),
  },
  (t) => [
    index('webhook_deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`state = 'PENDING'`),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt, t.id),
  ],
);

/**
 * The partners' change feed. `xid` is the writing transaction's ID: the feed hands out only rows
 * whose transaction is older than every transaction still running (src/domain/change-feed/), so a
 * late commit can never land behind a cursor already handed out.
 */
export const factCheckChanges = pgTable(
  'fact_check_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    xid: bigint('xid', { mode: 'number' })
      .notNull()
      .default(sql`(pg_current_xact_id()::text)::bigint`),
    factCheckId: uuid('fact_check_id')
      .notNull()
      .references(() => factChecks.id, { onDelete: 'cascade' }),
    type: factCheckChangeType('type').notNull(),
    at: createdNow('at'),
  },
  (t) => [index('fact_check_changes_position_idx').on(t.xid, t.id)],
);

export type UserRow = typeof users.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;
export type ArticleRow = typeof articles.$inferSelect;
export type ClaimRow = typeof claims.$inferSelect;
export type AssignmentRow = typeof assignments.$inferSelect;
export type EvidenceRow = typeof evidence.$inferSelect;
export type VerdictRow = typeof verdicts.$inferSelect;
export type FactCheckRow = typeof factChecks.$inferSelect;
export type CorrectionRow = typeof corrections.$inferSelect;
export type ClaimEventRow = typeof claimEvents.$inferSelect;
export type RatingScaleRow = typeof ratingScales.$inferSelect;
export type RatingLabelRow = typeof ratingLabels.$inferSelect;
export type ClaimAppearanceRow = typeof claimAppearances.$inferSelect;
export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookEventRow = typeof webhookEvents.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type FactCheckChangeRow = typeof factCheckChanges.$inferSelect;

export * from './idempotency-schema.js';
