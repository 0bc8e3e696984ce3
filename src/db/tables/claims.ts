/**
 * Claims and what hangs off them (src/domain/claims/): their event log, reviewers' assignments,
 * evidence, verdicts and the evidence each verdict cites, and where else a claim appeared.
 */
import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { articles } from './articles.js';
import { claimants } from './claimants.js';
import { createdNow, timestamptz, tsvector } from './columns.js';
import { assignmentState, claimEventType, claimStatus, confidence, evidenceKind, priority, rating, stance } from './enums.js';
import { users } from './users.js';

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
    /** The claimant entity (src/domain/claimants/); never a merged one (mergeClaimants moves its claims). */
    speakerId: uuid('speaker_id').references(() => claimants.id, { onDelete: 'restrict' }),
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
    index('claims_speaker_idx')
      .on(t.speakerId, t.createdAt, t.id)
      .where(sql`speaker_id IS NOT NULL`),
    // One claim per article, span and statement (src/domain/claims/duplicates.ts); md5, since a
    // statement of 2,000 code points can outgrow a btree entry.
    uniqueIndex('claims_one_per_span_statement').on(t.articleId, t.spanStart, t.spanEnd, sql`md5(${t.statement})`),
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

export type ClaimRow = typeof claims.$inferSelect;
export type AssignmentRow = typeof assignments.$inferSelect;
export type EvidenceRow = typeof evidence.$inferSelect;
export type VerdictRow = typeof verdicts.$inferSelect;
export type ClaimEventRow = typeof claimEvents.$inferSelect;
export type ClaimAppearanceRow = typeof claimAppearances.$inferSelect;
