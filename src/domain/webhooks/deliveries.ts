/** Reading deliveries and sending one again. */
import { and, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Database, Queryable } from '../../db/connection.js';
import { webhookDeliveries, webhookEndpoints, webhookEvents, type WebhookDeliveryRow, type WebhookEventRow } from '../../db/schema.js';
import { notFound } from '../coded-errors.js';
import { cursorDate, cursorUuid, decodeCursor, pageLimit, toPage, type Page, type PageArgs } from '../pagination.js';
import { requireRole, type Viewer } from '../viewer.js';
import { ownedEndpoint } from './endpoints.js';
import { ENDPOINT_OWNER_ROLES } from './events.js';
import { DELIVERIES_CHANNEL } from './outbox.js';

export type DeliveryRecord = WebhookDeliveryRow & { event: WebhookEventRow };

const withEvent = { delivery: webhookDeliveries, event: webhookEvents };
const flatten = (rows: { delivery: WebhookDeliveryRow; event: WebhookEventRow }[]): DeliveryRecord[] => rows.map((r) => ({ ...r.delivery, event: r.event }));

/** Deliveries to one endpoint the viewer may manage, newest first. */
export async function listDeliveries(db: Queryable, viewer: Viewer | null, endpointId: string, args: PageArgs): Promise<Page<DeliveryRecord>> {
  const actor = requireRole(viewer, ENDPOINT_OWNER_ROLES);
  const endpoint = await ownedEndpoint(db, actor, endpointId, 'id');
  const limit = pageLimit(args.first);
  const ofEndpoint = eq(webhookDeliveries.endpointId, endpoint.id);
  let after: SQL | undefined;
  if (args.after) {
    const [at, id] = decodeCursor(args.after, 2);
    after = sql`(${webhookDeliveries.createdAt}, ${webhookDeliveries.id}) < (${cursorDate(at).toISOString()}, ${cursorUuid(id)})`;
  }
  const rows = flatten(
    await db
      .select(withEvent)
      .from(webhookDeliveries)
      .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
      .where(and(ofEndpoint, after))
      .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
      .limit(limit + 1),
  );
  const totalCount = async () => Number((await db.select({ n: count() }).from(webhookDeliveries).where(ofEndpoint))[0]?.n ?? 0);
  return toPage(rows, limit, (d) => [d.createdAt.toISOString(), d.id], totalCount);
}

/** One delivery, if the viewer may manage its endpoint; null otherwise. */
export async function getDelivery(db: Queryable, viewer: Viewer | null, deliveryId: string): Promise<DeliveryRecord | null> {
  const actor = requireRole(viewer, ENDPOINT_OWNER_ROLES);
  const [row] = flatten(
    await db
      .select(withEvent)
      .from(webhookDeliveries)
      .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
      .where(eq(webhookDeliveries.id, deliveryId)),
  );
  if (!row) return null;
  try {
    await ownedEndpoint(db, actor, row.endpointId);
    return row;
  } catch {
    return null;
  }
}

/**
 * PENDING again, due now, with the same event ID; the retry budget counts afresh from here. An
 * attempt already in flight keeps its lease, so the two never overlap.
 */
export async function redeliverWebhook(db: Database, viewer: Viewer | null, deliveryId: string): Promise<DeliveryRecord> {
  const delivery = await getDelivery(db, viewer, deliveryId);
  if (!delivery) throw notFound('Webhook delivery', 'deliveryId');
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(webhookDeliveries)
      .set({ state: 'PENDING', nextAttemptAt: new Date(), attemptsBeforeRedelivery: sql`${webhookDeliveries.attempts}` })
      .where(eq(webhookDeliveries.id, delivery.id))
      .returning();
    await tx.execute(sql`select pg_notify(${DELIVERIES_CHANNEL}, '')`);
    return { ...updated!, event: delivery.event };
  });
}

export interface DeliveryBacklog {
  /** PENDING deliveries, to any endpoint. */
  pending: number;
  /** PENDING deliveries to enabled endpoints that are due now (what the dispatchers have yet to take). */
  due: number;
  /** How long the longest-due of those has been waiting, in seconds (0 when none is due). */
  oldestDueSeconds: number;
}

/** The queue as every process sees it (metrics); reads the partial index of PENDING deliveries only. */
export async function deliveryBacklog(db: Queryable): Promise<DeliveryBacklog> {
  const dueNow = sql`${webhookDeliveries.nextAttemptAt} <= now() and ${webhookEndpoints.enabled}`;
  const [row] = await db
    .select({
      pending: count(),
      due: sql<number>`count(*) filter (where ${dueNow})`.mapWith(Number),
      oldestDueSeconds: sql<number>`coalesce(extract(epoch from now() - min(${webhookDeliveries.nextAttemptAt}) filter (where ${dueNow})), 0)`.mapWith(Number),
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(eq(webhookDeliveries.state, 'PENDING'));
  return { pending: row?.pending ?? 0, due: row?.due ?? 0, oldestDueSeconds: Math.max(0, row?.oldestDueSeconds ?? 0) };
}
