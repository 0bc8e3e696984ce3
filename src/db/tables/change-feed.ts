import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, index, pgTable, uuid } from 'drizzle-orm/pg-core';
import { createdNow } from './columns.js';
import { factCheckChangeType } from './enums.js';
import { factChecks } from './fact-checks.js';

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

export type FactCheckChangeRow = typeof factCheckChanges.$inferSelect;

/**
 * At most one row: what the feed adds to `xid` to make a position. 0 (no row) until `npm run
 * db:move` brought the data in from another database, whose transaction IDs mean nothing here: the
 * move stores the copied rows' xids minus this offset, and sets it so that every change made here
 * afterwards is past every position a partner was handed before (docs/operations.md, "Moving to PostgreSQL").
 */
export const changeFeedOffset = pgTable(
  'change_feed_offset',
  {
    single: boolean('single').primaryKey().default(true),
    positionOffset: bigint('position_offset', { mode: 'number' }).notNull(),
  },
  (t) => [check('change_feed_offset_single', sql`${t.single}`)],
);
