/**
 * The outbox: an action's events are written in its own transaction (withLockedClaim), so they
 * commit with the change or not at all. One statement per action: the events that some endpoint
 * will receive, one delivery per subscribed, enabled endpoint whose owner may see the event, and a
 * NOTIFY (sent by Postgres at commit) that wakes the dispatchers. No endpoint listening: no rows.
 * The same statement writes the change feed's rows (change-feed/record.ts): one round trip for both.
 */
import { sql } from 'drizzle-orm';
import type { Transaction } from '../../db/connection.js';
import { factCheckChangesCte } from '../change-feed/record.js';
import { PARTNER_EVENT_TYPES } from './events.js';
import type { OutboxEvent } from './payloads.js';

export const DELIVERIES_CHANNEL = 'webhook_deliveries';

/** The change-feed rows and the outbox rows of an action's events, in one statement. */
export async function writePartnerEvents(tx: Transaction, events: readonly OutboxEvent[], claimVersion: number): Promise<void> {
  if (events.length === 0) return;
  const rows = sql.join(
    events.map((e) => sql`(gen_random_uuid(), ${e.type}::webhook_event_type, ${JSON.stringify({ ...e.data, claimVersion })}::jsonb)`),
    sql`, `,
  );
  const partnerTypes = sql.join(PARTNER_EVENT_TYPES.map((t) => sql`${t}::webhook_event_type`), sql`, `);
  await tx.execute(sql`
    with ${factCheckChangesCte(events) ?? sql``}
    event(id, type, data) as (values ${rows}),
    target as (
      select endpoint.id as endpoint_id, event.id as event_id
      from event
      join webhook_endpoints endpoint on endpoint.enabled and event.type = any(endpoint.events)
      join users owner on owner.id = endpoint.owner_id
      where owner.role <> 'PARTNER' or event.type in (${partnerTypes})
    ),
    written as (
      insert into webhook_events (id, type, data, at)
      select id, type, data, clock_timestamp() from event where id in (select event_id from target)
      returning id
    ),
    delivery as (
      insert into webhook_deliveries (endpoint_id, event_id)
      select endpoint_id, event_id from target where event_id in (select id from written)
      returning 1
    )
    select pg_notify(${DELIVERIES_CHANNEL}, '') from (select count(*) as n from delivery) as made where made.n > 0`);
}
