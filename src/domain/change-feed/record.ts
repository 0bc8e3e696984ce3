import { sql, type SQL } from 'drizzle-orm';
import type { OutboxEvent } from '../../model/partner-events.js';

const FEED_TYPE = {
  FACT_CHECK_PUBLISHED: 'PUBLISHED',
  FACT_CHECK_CORRECTED: 'CORRECTED',
  FACT_CHECK_RETRACTED: 'RETRACTED',
  FACT_CHECK_UPDATED: 'UPDATED',
} as const;

/**
 * The change-feed rows of an action's fact-check events, as a data-modifying CTE (`feed as (insert …)`)
 * for the action's statement (webhooks/outbox.ts), so that the record, the feed and the outbox cost one round
 * trip together. Written in the action's transaction; the `xid` column's default records which one.
 * Null when no event is a fact-check change.
 */
export function factCheckChangesCte(events: readonly OutboxEvent[]): SQL | null {
  const at = new Date().toISOString();
  const rows = events.flatMap((e) =>
    e.type in FEED_TYPE
      ? [
          sql`(${(e.data as { factCheck: { id: string } }).factCheck.id}::uuid, ${FEED_TYPE[e.type as keyof typeof FEED_TYPE]}::fact_check_change_type, ${at}::timestamptz)`,
        ]
      : [],
  );
  if (!rows.length) return null;
  return sql`feed as (insert into fact_check_changes (fact_check_id, type, at) values ${sql.join(rows, sql`, `)} returning 1),`;
}
