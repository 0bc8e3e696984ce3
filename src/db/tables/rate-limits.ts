/**
 * rate-limiter-flexible's store (src/domain/access/shared-budget.ts): the per-token request budget
 * and the failed-authentication budget of client addresses.
 */
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.js';

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
