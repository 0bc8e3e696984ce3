import type { Transaction } from '../../db/connection.js';
import { factCheckChanges } from '../../db/schema.js';
import type { OutboxEvent } from '../webhooks/payloads.js';

const FEED_TYPE = { FACT_CHECK_PUBLISHED: 'PUBLISHED', FACT_CHECK_CORRECTED: 'CORRECTED', FACT_CHECK_RETRACTED: 'RETRACTED', FACT_CHECK_UPDATED: 'UPDATED' } as const;

/** The fact-check events of an action, written in its transaction; the `xid` column records which one. */
export async function recordFactCheckChanges(tx: Transaction, events: readonly OutboxEvent[]): Promise<void> {
  const rows = events.flatMap((e) => (e.type in FEED_TYPE ? [{ factCheckId: (e.data as { factCheck: { id: string } }).factCheck.id, type: FEED_TYPE[e.type as keyof typeof FEED_TYPE], at: new Date() }] : []));
  if (rows.length) await tx.insert(factCheckChanges).values(rows);
}
