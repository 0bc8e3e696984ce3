/** Partners' webhook endpoints, the outbox of events and their deliveries (src/domain/webhooks/). */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdNow, timestamptz } from './columns.js';
import { webhookDeliveryState, webhookEventType } from './enums.js';
import { users } from './users.js';

export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    events: webhookEventType('events').array().notNull(),
    description: text('description'),
    /** fact_check.* events only for fact checks filed under one of these topics; empty: all (src/domain/webhooks/outbox.ts). */
    topicIds: uuid('topic_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    enabled: boolean('enabled').notNull().default(true),
    /** `whsec_…` as is, or `enc:v1:…` (AES-256-GCM under WEBHOOK_SECRET_KEY; src/domain/webhooks/secrets.ts). */
    secret: text('secret').notNull(),
    /** Deliveries in a row that ended FAILED; WEBHOOK_DISABLE_AFTER of them disable the endpoint. */
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    createdAt: createdNow('created_at'),
  },
  (t) => [index('webhook_endpoints_owner_idx').on(t.ownerId, t.createdAt, t.id), index('webhook_endpoints_created_idx').on(t.createdAt, t.id)],
);

/** One row per event, written in the transaction of the change (the outbox); its id is the webhook-id. */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    type: webhookEventType('type').notNull(),
    /** What the payload is rendered from (src/domain/webhooks/payloads.ts), as it was at the change. */
    data: jsonb('data').notNull(),
    at: createdNow('at'),
  },
  // A topic-filtered endpoint that received a fact check's events also gets its retraction (outbox.ts).
  (t) => [index('webhook_events_fact_check_idx').on(sql`(${t.data} -> 'factCheck' ->> 'id')`)],
);

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id')
      .notNull()
      .references(() => webhookEvents.id, { onDelete: 'cascade' }),
    state: webhookDeliveryState('state').notNull().default('PENDING'),
    attempts: integer('attempts').notNull().default(0),
    /** `attempts` when it was last redelivered: the retry budget counts from there. */
    attemptsBeforeRedelivery: integer('attempts_before_redelivery').notNull().default(0),
    nextAttemptAt: createdNow('next_attempt_at'),
    /** A dispatcher's lease: while in the future, the attempt in flight is that dispatcher's alone. */
    lockedUntil: timestamptz('locked_until'),
    leaseId: uuid('lease_id'),
    lastAttemptAt: timestamptz('last_attempt_at'),
    lastResponseStatus: integer('last_response_status'),
    lastError: text('last_error'),
    createdAt: createdNow('created_at'),
  },
  (t) => [
    index('webhook_deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`state = 'PENDING'`),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt, t.id),
  ],
);

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookEventRow = typeof webhookEvents.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
