import { sql, type SQL } from 'drizzle-orm';
import type { OutboxEvent } from '../../model/partner-events.js';

const FEED_TYPE = {
  FACT_CHECK_PUBLISHED: 'PUBLISHED',
  FACT_CHECK_CORRECTED: 'CORRECTED',
  FACT_CHECK_RETRACTED: 'RETRACTED',
  FACT_CHECK_UPDATED: 'UPDATED',
} as const;

/**
 * The insert of the change-feed rows of an action's fact-check events, for a data-modifying CTE of
 * the action's statement (webhooks/outbox.ts), so that the record, the feed and the outbox cost one
 * round trip together. Written in the action's transaction; the `xid` column's default records
 * which one. Null when no event is a fact-check change.
 */
export function factCheckChangeRows(events: readonly OutboxEvent[]): SQL | null {
  const at = new Date().toISOString();
  const rows = events.flatMap((e) =>
    e.type in FEED_TYPE
      ? [
          sql`(${(e.data as { factCheck: { id: string } }).factCheck.id}::uuid, ${FEED_TYPE[e.type as keyof typeof FEED_TYPE]}::fact_check_change_type, ${at}::timestamptz)`,
        ]
      : [],
  );
  if (!rows.length) return null;
  return sql`insert into fact_check_changes (fact_check_id, type, at) values ${sql.join(rows, sql`, `)} returning 1`;
}
