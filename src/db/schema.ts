import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  customType,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const regconfig = customType<{ data: string }>({ dataType: () => 'regconfig' });
// Milliseconds, like JavaScript's Date, so that keyset cursors round-trip exactly.
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });
const createdNow = (name: string) => timestamptz(name).notNull().defaultNow();

export const role = pgEnum('role', ['ADMIN', 'EDITOR', 'REVIEWER', 'PARTNER']);
export const claimStatus = pgEnum('claim_status', ['OPEN', 'IN_REVIEW', 'DISPUTED', 'REVIEWED', 'PUBLISHED', 'DISMISSED']);
export const priority = pgEnum('priority', ['LOW', 'NORMAL', 'HIGH', 'URGENT']);
export const rating = pgEnum('rating', ['TRUE', 'MOSTLY_TRUE', 'MIXED', 'MISLEADING', 'MOSTLY_FALSE', 'FALSE', 'UNPROVEN']);
export const stance = pgEnum('stance', ['SUPPORTS', 'REFUTES', 'CONTEXT']);
export const evidenceKind = pgEnum('evidence_kind', ['PRIMARY_SOURCE', 'OFFICIAL_STATEMENT', 'DATASET', 'NEWS_REPORT', 'EXPERT', 'OTHER']);
export const assignmentState = pgEnum('assignment_state', ['ACTIVE', 'SUBMITTED', 'WITHDRAWN']);
export const confidence = pgEnum('confidence', ['LOW', 'MEDIUM', 'HIGH']);
export const claimEventType = pgEnum('claim_event_type', [
  'CREATED', 'ASSIGNED', 'ASSIGNMENT_WITHDRAWN', 'EVIDENCE_ADDED', 'VERDICT_SUBMITTED',
  'PUBLISHED', 'CORRECTED', 'DISMISSED', 'REOPENED', 'UPDATED',
]);

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  role: role('role').notNull(),
  /** False: deactivated by an admin; their tokens are refused until they are reactivated. */
  active: boolean('active').notNull().default(true),
  createdAt: createdNow('created_at'),
}, (t) => [index('users_name_idx').on(t.name, t.id)]);

export const apiTokens = pgTable('api_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
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
}, (t) => [
  index('api_tokens_user_idx').on(t.userId),
  check('api_tokens_rate_limit_range', sql`${t.rateLimitPerMinute} BETWEEN 1 AND 100000`),
]);

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

export const articles = pgTable('articles', {
  id: uuid('id').primaryKey().defaultRandom(),
  url: text('url').notNull().unique(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  publisher: text('publisher'),
  author: text('author'),
  publishedAt: timestamptz('published_at'),
  language: text('language').notNull().default('en'),
  ingestedBy: uuid('ingested_by').references(() => users.id, { onDelete: 'set null' }),
  ingestedAt: createdNow('ingested_at'),
}, (t) => [index('articles_ingested_idx').on(t.ingestedAt, t.id)]);

export const claims = pgTable('claims', {
  id: uuid('id').primaryKey().defaultRandom(),
  articleId: uuid('article_id').notNull().references(() => articles.id, { onDelete: 'restrict' }),
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
  createdBy: uuid('created_by').notNull().references(() => users.id, { onDelete: 'restrict' }),
  createdAt: createdNow('created_at'),
  updatedAt: createdNow('updated_at'),
  searchVector: tsvector('search_vector').generatedAlwaysAs(
    sql`to_tsvector('simple'::regconfig, coalesce(quote, '') || ' ' || coalesce(statement, ''))`,
  ),
}, (t) => [
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
]);

export const assignments = pgTable('assignments', {
  id: uuid('id').primaryKey().defaultRandom(),
  claimId: uuid('claim_id').notNull().references(() => claims.id, { onDelete: 'cascade' }),
  reviewerId: uuid('reviewer_id').notNull().references(() => users.id, { onDelete: 'restrict' }),
  assignedBy: uuid('assigned_by').notNull().references(() => users.id, { onDelete: 'restrict' }),
  round: integer('round').notNull(),
  state: assignmentState('state').notNull().default('ACTIVE'),
  dueAt: timestamptz('due_at'),
  assignedAt: createdNow('assigned_at'),
  updatedAt: createdNow('updated_at'),
}, (t) => [
  uniqueIndex('assignments_one_active_per_reviewer').on(t.claimId, t.reviewerId).where(sql`state = 'ACTIVE'`),
  index('assignments_claim_idx').on(t.claimId, t.assignedAt),
  index('assignments_reviewer_idx').on(t.reviewerId, t.state, sql`coalesce(${t.dueAt}, 'infinity'::timestamptz)`, t.assignedAt, t.id),
]);

export const evidence = pgTable('evidence', {
  id: uuid('id').primaryKey().defaultRandom(),
  claimId: uuid('claim_id').notNull().references(() => claims.id, { onDelete: 'cascade' }),
  kind: evidenceKind('kind').notNull(),
  url: text('url'),
  title: text('title').notNull(),
  excerpt: text('excerpt'),
  stance: stance('stance').notNull(),
  addedBy: uuid('added_by').notNull().references(() => users.id, { onDelete: 'restrict' }),
  addedAt: createdNow('added_at'),
}, (t) => [index('evidence_claim_idx').on(t.claimId, t.addedAt)]);

export const verdicts = pgTable('verdicts', {
  id: uuid('id').primaryKey().defaultRandom(),
  claimId: uuid('claim_id').notNull().references(() => claims.id, { onDelete: 'cascade' }),
  round: integer('round').notNull(),
  reviewerId: uuid('reviewer_id').notNull().references(() => users.id, { onDelete: 'restrict' }),
  assignmentId: uuid('assignment_id').notNull().references(() => assignments.id, { onDelete: 'cascade' }),
  rating: rating('rating').notNull(),
  confidence: confidence('confidence').notNull(),
  rationale: text('rationale').notNull(),
  submittedAt: createdNow('submitted_at'),
}, (t) => [
  uniqueIndex('verdicts_one_per_round_reviewer').on(t.claimId, t.round, t.reviewerId),
  index('verdicts_claim_idx').on(t.claimId, t.round, t.submittedAt),
]);

export const verdictEvidence = pgTable('verdict_evidence', {
  verdictId: uuid('verdict_id').notNull().references(() => verdicts.id, { onDelete: 'cascade' }),
  evidenceId: uuid('evidence_id').notNull().references(() => evidence.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
}, (t) => [primaryKey({ columns: [t.verdictId, t.evidenceId] })]);

export const factChecks = pgTable('fact_checks', {
  id: uuid('id').primaryKey().defaultRandom(),
  claimId: uuid('claim_id').notNull().unique().references(() => claims.id, { onDelete: 'cascade' }),
  articleId: uuid('article_id').notNull().references(() => articles.id, { onDelete: 'restrict' }),
  /** Copied from the claim at publication: partners see what was published, not later edits. */
  claimReviewed: text('claim_reviewed').notNull(),
  quote: text('quote').notNull(),
  claimant: text('claimant'),
  language: text('language').notNull(),
  rating: rating('rating').notNull(),
  summary: text('summary').notNull(),
  publishedBy: uuid('published_by').notNull().references(() => users.id, { onDelete: 'restrict' }),
  publishedAt: createdNow('published_at'),
  updatedAt: createdNow('updated_at'),
  /** Set when the claim is dismissed: partners no longer see it. */
  retractedAt: timestamptz('retracted_at'),
  /** Stemmed in the article's language (search_config(), drizzle/0004_search_config.sql). */
  searchVector: tsvector('search_vector').generatedAlwaysAs(sql`
    setweight(to_tsvector(search_config(language), coalesce(claim_reviewed, '') || ' ' || coalesce(quote, '')), 'A') ||
    setweight(to_tsvector(search_config(language), coalesce(summary, '')), 'B')`),
}, (t) => [
  index('fact_checks_published_idx').on(t.publishedAt, t.id).where(sql`retracted_at IS NULL`),
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
]);

/**
 * The text-search configurations some fact check is stemmed with, kept by triggers on fact_checks
 * (drizzle/0006_search_configs_in_use.sql): a search without a language reads the query in these
 * only, instead of in every configuration Postgres could stem with.
 */
export const searchConfigsInUse = pgTable('search_configs_in_use', {
  config: regconfig('config').primaryKey(),
});

export const corrections = pgTable('corrections', {
  id: uuid('id').primaryKey().defaultRandom(),
  factCheckId: uuid('fact_check_id').notNull().references(() => factChecks.id, { onDelete: 'cascade' }),
  note: text('note').notNull(),
  previousRating: rating('previous_rating').notNull(),
  previousSummary: text('previous_summary').notNull(),
  correctedBy: uuid('corrected_by').notNull().references(() => users.id, { onDelete: 'restrict' }),
  at: createdNow('at'),
}, (t) => [index('corrections_fact_check_idx').on(t.factCheckId, t.at)]);

export const claimEvents = pgTable('claim_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  claimId: uuid('claim_id').notNull().references(() => claims.id, { onDelete: 'cascade' }),
  actorId: uuid('actor_id').notNull().references(() => users.id, { onDelete: 'restrict' }),
  type: claimEventType('type').notNull(),
  fromStatus: claimStatus('from_status'),
  toStatus: claimStatus('to_status'),
  note: text('note'),
  /** The claim's version after this event. */
  version: integer('version').notNull(),
  at: createdNow('at'),
}, (t) => [uniqueIndex('claim_events_claim_version').on(t.claimId, t.version)]);

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
