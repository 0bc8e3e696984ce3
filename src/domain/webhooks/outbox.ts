/**
 * The outbox: an action's events are written in its own transaction (withLockedClaim), so they
 * commit with the change or not at all, and in the same statement as the action's own record (its
 * ClaimEvent): one round trip for the record, the change feed's rows and the outbox's. The events
 * that some endpoint will receive are stored, with one delivery per subscribed, enabled endpoint
 * whose owner may see the event, and a NOTIFY (sent by Postgres at commit) wakes the dispatchers.
 * No endpoint listening: no outbox rows.
 */
import { sql, type SQL } from 'drizzle-orm';
import { factCheckChangesCte } from '../change-feed/record.js';
import { PARTNER_EVENT_TYPES } from './events.js';
import type { OutboxEvent } from './payloads.js';

export const DELIVERIES_CHANNEL = 'webhook_deliveries';

/**
 * One statement that runs `write` (a data-modifying statement) and writes the events' change-feed
 * and outbox rows beside it, as data-modifying CTEs (each runs once, whatever the final select reads).
 */
export function withPartnerEvents(write: SQL, events: readonly OutboxEvent[], claimVersion: number): SQL {
  if (events.length === 0) return write;
  const rows = sql.join(
    events.map((e) => sql`(gen_random_uuid(), ${e.type}::webhook_event_type, ${JSON.stringify({ ...e.data, claimVersion })}::jsonb)`),
    sql`, `,
  );
  const partnerTypes = sql.join(
    PARTNER_EVENT_TYPES.map((t) => sql`${t}::webhook_event_type`),
    sql`, `,
  );
  return sql`
    with action as (${write}),
    ${factCheckChangesCte(events) ?? sql``}
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
    select pg_notify(${DELIVERIES_CHANNEL}, '') from (select count(*) as n from delivery) as made where made.n > 0`;
}
