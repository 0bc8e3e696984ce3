import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, pgTable, uuid } from 'drizzle-orm/pg-core';
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
