/**
 * The Idempotency-Key store (src/server/idempotency.ts, src/db/idempotency-keys.ts, README
 * "Retry-safe mutations"): infrastructure rather than the domain's data, keyed by the viewer.
 */
import { foreignKey, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdNow, timestamptz } from './columns.js';
import { users } from './users.js';

/**
 * One row per (viewer, key). A whole-request key is inserted, executed and given its response in one
 * transaction, so a committed row always has a response; `response_status` null marks a key whose
 * work runs in several transactions (bulk actions, one per item), still in progress.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    /** SHA-256 (hex) of the canonical JSON of query, operationName and variables. */
    requestHash: text('request_hash').notNull(),
    createdAt: createdNow('created_at'),
    expiresAt: timestamptz('expires_at').notNull(),
    responseStatus: integer('response_status'),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    responseBody: text('response_body'),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);

/**
 * Per-item outcomes of a key whose items commit one by one (bulk actions): each item's own
 * transaction writes its row, so a retry after a crash midway returns the stored items and runs
 * only those without a row.
 */
export const idempotencyItemResults = pgTable(
  'idempotency_item_results',
  {
    userId: uuid('user_id').notNull(),
    key: text('key').notNull(),
    item: integer('item').notNull(),
    outcome: jsonb('outcome').notNull(),
    createdAt: createdNow('created_at'),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.key, t.item] }),
    foreignKey({ columns: [t.userId, t.key], foreignColumns: [idempotencyKeys.userId, idempotencyKeys.key] }).onDelete('cascade'),
  ],
);

export type IdempotencyKeyRow = typeof idempotencyKeys.$inferSelect;
