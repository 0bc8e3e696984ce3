/**
 * The outbox: an action's events are written in its own transaction (withLockedClaim), so they
 * commit with the change or not at all, and in the same statement as the action's own record (its
 * ClaimEvent): one round trip for the record, the change feed's rows and the outbox's. The events
 * that some endpoint will receive are stored, with one delivery per subscribed, enabled endpoint
 * whose owner may see the event, and a NOTIFY (sent by Postgres at commit) wakes the dispatchers.
 * No endpoint listening: no outbox rows. Events that are no claim's change (a correction request's
 * answer) go through withAddressedEvents, to the endpoints they are addressed to.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Role } from '../../model/enums.js';
import type { ResolvedRequestSnapshot } from '../../model/partner-events.js';
import { factCheckChangeRows } from '../change-feed/record.js';
import { EMBARGOED_EVENT_TYPES, FACT_CHECK_EVENT_TYPES, PARTNER_EVENT_TYPES, RECEIVED_ONCE_EVENT_TYPES } from './events.js';
import type { OutboxEvent } from './payloads.js';

export const DELIVERIES_CHANNEL = 'webhook_deliveries';

const typeList = (types: readonly string[]) =>
  sql.join(
    types.map((t) => sql`${t}::webhook_event_type`),
    sql`, `,
  );

/**
 * An endpoint with topics (`topic_ids`) gets a fact_check.* event only for a fact check whose claim
 * is under one of them after the change (claim_topics as the action left them) or was before it
 * (`topicIdsBefore`, which setClaimTopics stores in the event); and a retraction also when the
 * endpoint was sent an earlier event of that fact check (webhook_events' fact-check index, then
 * its deliveries to this endpoint), whatever the claim's topics are now. Other events, and
 * endpoints without topics, are not filtered. Written inside the `target` CTE (`event`, `endpoint`).
 */
function topicRule(events: readonly OutboxEvent[]): SQL {
  if (!events.some((e) => (FACT_CHECK_EVENT_TYPES as readonly string[]).includes(e.type))) return sql`true`;
  const factCheckId = sql`(event.data -> 'factCheck' ->> 'id')`;
  return sql`(cardinality(endpoint.topic_ids) = 0
        or event.type not in (${typeList(FACT_CHECK_EVENT_TYPES)})
        or endpoint.topic_ids && array(
          select filed.topic_id from claim_topics filed join fact_checks fc on fc.claim_id = filed.claim_id where fc.id = ${factCheckId}::uuid
          union all
          select filed.topic_id from claim_topics filed join scheduled_publications sp on sp.claim_id = filed.claim_id where sp.fact_check_id = ${factCheckId}::uuid
          union all
          select was.id::uuid from jsonb_array_elements_text(coalesce(event.data -> 'topicIdsBefore', '[]'::jsonb)) as was(id))
        or (event.type in (${typeList(RECEIVED_ONCE_EVENT_TYPES)}) and exists (
          select 1 from webhook_events seen join webhook_deliveries sent on sent.event_id = seen.id
          where (seen.data -> 'factCheck' ->> 'id') = ${factCheckId} and sent.endpoint_id = endpoint.id)))`;
}

/** events.ts's mayReceive as SQL on `owner` and `event`: partners hear published fact checks, and with embargo access scheduled ones. */
const partnerMayReceive = sql`(owner.role <> 'PARTNER' or event.type in (${typeList(PARTNER_EVENT_TYPES)})
        or (owner.embargo_access and event.type in (${typeList(EMBARGOED_EVENT_TYPES)})))`;

/** A common table expression: its name and its statement. */
export type Cte = readonly [name: string, statement: SQL];

/** `with <ctes> <main>`, the CTEs in order. */
export const withCtes = (ctes: readonly Cte[], main: SQL): SQL =>
  sql`with ${sql.join(
    ctes.map(([name, statement]) => sql`${sql.raw(name)} as (${statement})`),
    sql`, `,
  )} ${main}`;

/**
 * The events' change-feed and outbox rows as data-modifying CTEs for the statement that writes the
 * action's own record (each runs once, whatever that statement reads of it), and `notify`, a
 * query that wakes the dispatchers (at commit) when a delivery was made: it runs only if that
 * statement reads it. Null without events.
 */
export function partnerEventWrites(events: readonly OutboxEvent[], claimVersion: number): { ctes: Cte[]; notify: SQL } | null {
  if (events.length === 0) return null;
  const rows = sql.join(
    events.map((e) => sql`(gen_random_uuid(), ${e.type}::webhook_event_type, ${JSON.stringify({ ...e.data, claimVersion })}::jsonb)`),
    sql`, `,
  );
  const feed = factCheckChangeRows(events);
  return {
    ctes: [
      ...(feed ? [['feed', feed] as const] : []),
      ['event', sql`select * from (values ${rows}) as listed(id, type, data)`],
      ...outboxRows(sql`${partnerMayReceive} and ${topicRule(events)}`),
    ],
    notify: NOTIFY,
  };
}

/**
 * One statement that runs `write` (a data-modifying statement) and writes the events' change-feed
 * and outbox rows beside it (partnerEventWrites), for changes that are not a claim action's own
 * record (withLockedClaim writes that with the claim's update instead).
 */
export function withPartnerEvents(write: SQL, events: readonly OutboxEvent[], claimVersion: number): SQL {
  const writes = partnerEventWrites(events, claimVersion);
  return writes ? withCtes([['action', write], ...writes.ctes], writes.notify) : write;
}

/**
 * The outbox's CTEs after `event(id, type, data)`: a delivery to every enabled endpoint that
 * subscribes to the event and that `audience` (a condition on `endpoint`, its `owner` and `event`)
 * lets through; the events that no endpoint gets are not stored.
 */
function outboxRows(audience: SQL): Cte[] {
  return [
    [
      'target',
      sql`select endpoint.id as endpoint_id, event.id as event_id
      from event
      join webhook_endpoints endpoint on endpoint.enabled and event.type = any(endpoint.events)
      join users owner on owner.id = endpoint.owner_id
      where ${audience}`,
    ],
    [
      'written',
      sql`insert into webhook_events (id, type, data, at)
      select id, type, data, clock_timestamp() from event where id in (select event_id from target)
      returning id`,
    ],
    [
      'delivery',
      sql`insert into webhook_deliveries (endpoint_id, event_id)
      select endpoint_id, event_id from target where event_id in (select id from written)
      returning 1`,
    ],
  ];
}

/** A NOTIFY when a delivery was made (outboxRows' `delivery`). */
const NOTIFY = sql`select pg_notify(${DELIVERIES_CHANNEL}, '') from (select count(*) as n from delivery) as made where made.n > 0`;

/** An event that is no claim's change: it carries no claimVersion and writes no change-feed row. */
export type AddressedEvent = { type: 'CORRECTION_REQUEST_RESOLVED'; data: ResolvedRequestSnapshot };

/** Whose endpoints hear an addressed event: those of the users named, and those of every user with one of the roles. */
export interface Addressees {
  ownerIds: readonly string[];
  ownerRoles: readonly Role[];
}

/**
 * The outbox for events addressed to some endpoints only (a correction request's answer goes to
 * the requester's endpoints and to staff endpoints, to no other partner): `write` and the events'
 * outbox rows in one statement, as withPartnerEvents does for claim actions, but with no topic rule,
 * no change feed and no claimVersion. The endpoint must still subscribe to the event and be enabled.
 */
export function withAddressedEvents(write: SQL, events: readonly AddressedEvent[], to: Addressees): SQL {
  if (events.length === 0) return write;
  const rows = sql.join(
    events.map((e) => sql`(gen_random_uuid(), ${e.type}::webhook_event_type, ${JSON.stringify(e.data)}::jsonb)`),
    sql`, `,
  );
  const owners = to.ownerIds.length
    ? sql`endpoint.owner_id in (${sql.join(
        to.ownerIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`
    : sql`false`;
  const roles = to.ownerRoles.length
    ? sql`owner.role in (${sql.join(
        to.ownerRoles.map((r) => sql`${r}::role`),
        sql`, `,
      )})`
    : sql`false`;
  return withCtes(
    [['action', write], ['event', sql`select * from (values ${rows}) as listed(id, type, data)`], ...outboxRows(sql`(${owners} or ${roles})`)],
    NOTIFY,
  );
}
