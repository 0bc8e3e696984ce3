/** The organisation's public profile and correction requests (src/domain/organization/, src/domain/correction-requests/). */
import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdNow, timestamptz } from './columns.js';
import { correctionRequestState } from './enums.js';
import { factChecks } from './fact-checks.js';
import { users } from './users.js';

/** One row at most (`singleton` is always true): absent, the profile is ORG_NAME and ORG_URL. */
export const organization = pgTable(
  'organization',
  {
    singleton: boolean('singleton').primaryKey().default(true),
    name: text('name').notNull(),
    url: text('url').notNull(),
    logo: text('logo'),
    correctionsPolicy: text('corrections_policy'),
    verificationFactCheckingPolicy: text('verification_fact_checking_policy'),
    ownershipFundingInfo: text('ownership_funding_info'),
    ethicsPolicy: text('ethics_policy'),
    publishingPrinciples: text('publishing_principles'),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'restrict' }),
    updatedAt: createdNow('updated_at'),
  },
  (t) => [check('organization_one_row', sql`${t.singleton}`)],
);

export const correctionRequests = pgTable(
  'correction_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    factCheckId: uuid('fact_check_id')
      .notNull()
      .references(() => factChecks.id, { onDelete: 'cascade' }),
    requestedBy: uuid('requested_by')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    requesterName: text('requester_name'),
    message: text('message').notNull(),
    state: correctionRequestState('state').notNull().default('OPEN'),
    createdAt: createdNow('created_at'),
    resolvedAt: timestamptz('resolved_at'),
    resolvedBy: uuid('resolved_by').references(() => users.id, { onDelete: 'restrict' }),
    resolutionNote: text('resolution_note'),
  },
  (t) => [
    index('correction_requests_created_idx').on(t.createdAt, t.id),
    index('correction_requests_state_idx').on(t.state, t.createdAt, t.id),
    index('correction_requests_requester_idx').on(t.requestedBy, t.createdAt, t.id),
  ],
);

export type OrganizationRow = typeof organization.$inferSelect;
export type CorrectionRequestRow = typeof correctionRequests.$inferSelect;
