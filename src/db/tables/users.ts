/** Users and their API tokens (src/domain/access/users.ts, src/domain/access/). */
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdNow, timestamptz } from './columns.js';
import { role } from './enums.js';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    email: text('email').notNull().unique(),
    role: role('role').notNull(),
    /** False: deactivated by an admin; their tokens are refused until they are reactivated. */
    active: boolean('active').notNull().default(true),
    /** Partners only: may receive fact_check.scheduled before the release (set by admins; src/domain/scheduling/). */
    embargoAccess: boolean('embargo_access').notNull().default(false),
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

export type UserRow = typeof users.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;
