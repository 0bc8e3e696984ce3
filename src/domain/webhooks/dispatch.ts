/**
 * The dispatcher's database side. A delivery is claimed by one short statement that commits (a
 * lease: locked_until and a lease ID), the HTTP attempt is made with no transaction or lock held,
 * and the outcome is written only if the lease is still this attempt's. Claiming uses
 * FOR UPDATE SKIP LOCKED, so concurrent dispatchers (processes) never claim the same delivery, and
 * a claimed delivery is invisible to others until its lease runs out (a dispatcher killed mid-attempt
 * leaves it to be tried again then).
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, inArray, isNull, lte, ne, notInArray, or, sql } from 'drizzle-orm';
import standardWebhooks from 'standardwebhooks';
import type { Database } from '../../db/connection.js';
import { users, webhookDeliveries, webhookEndpoints, webhookEvents } from '../../db/schema.js';
import { organization } from '../../db/schema.js';
import { profileOf } from '../organization/profile.js';
import { retryDelayMs } from './backoff.js';
import { mayReceive } from './events.js';
import { renderPayload, type PayloadSettings } from './payloads.js';
import { openSecret } from './secrets.js';
import type { AttemptResult } from './send.js';

export interface DispatchSettings {
  timeoutMs: number;
  retryBaseMs: number;
  maxAttempts: number;
  disableAfter: number;
  secretKey: string | null;
  allowPrivateUrls: boolean;
  payload: PayloadSettings;
}

export interface ClaimedDelivery {
  deliveryId: string;
  leaseId: string;
  endpointId: string;
  url: string;
  /** The request to make, signed; null with `error` when it cannot be built (e.g. an unreadable secret). */
  request: { headers: Record<string, string>; body: string } | null;
  error: string | null;
  /** Failed attempts counted toward the retry budget, before this one. */
  failedSoFar: number;
  /** How late this attempt starts: from when the delivery fell due to its claim (database clock). */
  lagSeconds: number;
}

/** The lease outlives the attempt's own deadline, so a live attempt is never taken over. */
export const leaseMs = (settings: Pick<DispatchSettings, 'timeoutMs'>) => settings.timeoutMs + 5_000;

/**
 * Claims the delivery due longest ago, skipping endpoints in `busyEndpointIds`; null when none is due.
 * A delivery its endpoint's owner may no longer receive (a partner whose embargo access was
 * withdrawn since the event was written: events.ts, mayReceive) is not sent: it ends FAILED at once,
 * with no attempt and no count against the endpoint, and the next is claimed.
 */
export async function claimNextDelivery(db: Database, settings: DispatchSettings, busyEndpointIds: readonly string[]): Promise<Claim> {
  for (;;) {
    const claim = await claimOne(db, settings, busyEndpointIds);
    if (claim !== WITHHELD) return claim;
  }
}

/**
 * The delivery claimed (null: none was due), and whether another was due beside it as the claim saw
 * it (false: no need to look again until something wakes the dispatcher).
 */
export interface Claim {
  delivery: ClaimedDelivery | null;
  more: boolean;
}

const WITHHELD = Symbol('withheld');

async function claimOne(db: Database, settings: DispatchSettings, busyEndpointIds: readonly string[]): Promise<Claim | typeof WITHHELD> {
  const leaseId = randomUUID();
  const dueNow = and(
    eq(webhookDeliveries.state, 'PENDING'),
    lte(webhookDeliveries.nextAttemptAt, sql`now()`),
    or(isNull(webhookDeliveries.lockedUntil), lte(webhookDeliveries.lockedUntil, sql`now()`)),
    eq(webhookEndpoints.enabled, true),
    busyEndpointIds.length ? notInArray(webhookDeliveries.endpointId, [...busyEndpointIds]) : undefined,
  );
  const due = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(dueNow)
    .orderBy(asc(webhookDeliveries.nextAttemptAt))
    .limit(1)
    .for('update', { of: webhookDeliveries, skipLocked: true });
  // The lease and what the attempt needs (the endpoint, the event, the organisation's profile as it
  // is now: ClaimReview's author is rendered at sending) in one statement.
  const lease = db.$with('lease').as(
    db
      .update(webhookDeliveries)
      .set({ lockedUntil: sql`now() + ${`${leaseMs(settings)} milliseconds`}::interval`, leaseId, lastAttemptAt: sql`now()` })
      .where(inArray(webhookDeliveries.id, due))
      .returning({
        id: webhookDeliveries.id,
        endpointId: webhookDeliveries.endpointId,
        eventId: webhookDeliveries.eventId,
        attempts: webhookDeliveries.attempts,
        attemptsBeforeRedelivery: webhookDeliveries.attemptsBeforeRedelivery,
        nextAttemptAt: webhookDeliveries.nextAttemptAt,
        lastAttemptAt: webhookDeliveries.lastAttemptAt,
      }),
  );
  const [row] = await db
    .with(lease)
    .select({
      claimed: {
        id: lease.id,
        endpointId: lease.endpointId,
        eventId: lease.eventId,
        attempts: lease.attempts,
        attemptsBeforeRedelivery: lease.attemptsBeforeRedelivery,
        nextAttemptAt: lease.nextAttemptAt,
        lastAttemptAt: lease.lastAttemptAt,
      },
      url: webhookEndpoints.url,
      secret: webhookEndpoints.secret,
      type: webhookEvents.type,
      data: webhookEvents.data,
      at: webhookEvents.at,
      organization: organization,
      owner: { role: users.role, embargoAccess: users.embargoAccess },
      // The statement's snapshot still shows the claimed delivery as due: it is left out by its ID.
      more: sql<boolean>`exists (${db
        .select({ one: sql`1` })
        .from(webhookDeliveries)
        .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
        .where(and(dueNow, ne(webhookDeliveries.id, lease.id)))})`,
    })
    .from(lease)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, lease.endpointId))
    .innerJoin(users, eq(users.id, webhookEndpoints.ownerId))
    .innerJoin(webhookEvents, eq(webhookEvents.id, lease.eventId))
    .leftJoin(organization, sql`true`);
  if (!row) return { delivery: null, more: false };
  const { claimed, more } = row;
  if (!mayReceive(row.owner, row.type)) {
    await db
      .update(webhookDeliveries)
      .set({ state: 'FAILED', lockedUntil: null, leaseId: null, lastError: `withheld: the endpoint's owner may no longer receive ${row.type}` })
      .where(and(eq(webhookDeliveries.id, claimed.id), eq(webhookDeliveries.leaseId, leaseId)));
    return WITHHELD;
  }
  const lagSeconds = Math.max(0, ((claimed.lastAttemptAt ?? claimed.nextAttemptAt).getTime() - claimed.nextAttemptAt.getTime()) / 1000);
  const base = {
    deliveryId: claimed.id,
    leaseId,
    endpointId: claimed.endpointId,
    url: row.url,
    failedSoFar: claimed.attempts - claimed.attemptsBeforeRedelivery,
    lagSeconds,
  };
  try {
    const payload = { ...settings.payload, organization: profileOf(row.organization, settings.payload.site) };
    const body = JSON.stringify(renderPayload(row.type, row.data, row.at, payload));
    const timestamp = new Date();
    const signature = new standardWebhooks.Webhook(openSecret(row.secret, settings.secretKey)).sign(claimed.eventId, timestamp, body);
    const headers = { 'webhook-id': claimed.eventId, 'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'webhook-signature': signature };
    return { delivery: { ...base, request: { headers, body }, error: null }, more };
  } catch (error) {
    return { delivery: { ...base, request: null, error: `cannot sign: ${(error as Error).message}` }, more };
  }
}

/**
 * Writes what the attempt got, if the lease is still this one's: DELIVERED, PENDING again after
 * the equal-jitter backoff, or FAILED when the budget is spent. An endpoint whose deliveries end
 * FAILED `disableAfter` times in a row is disabled; a delivery that gets through resets the count.
 */
export async function recordAttempt(
  db: Database,
  settings: DispatchSettings,
  claimed: ClaimedDelivery,
  result: AttemptResult,
): Promise<{ state: 'DELIVERED' | 'PENDING' | 'FAILED' | 'LEASE_LOST'; nextAttemptAt: Date }> {
  const failed = claimed.failedSoFar + 1;
  const state = result.delivered ? 'DELIVERED' : failed >= settings.maxAttempts ? 'FAILED' : 'PENDING';
  const nextAttemptAt = state === 'PENDING' ? new Date(Date.now() + retryDelayMs(failed, settings.retryBaseMs)) : new Date();
  // The delivery's outcome and its endpoint's count of failures in a row, in one statement (atomic
  // without a transaction of its own: one round trip instead of four).
  const recorded = db.$with('recorded').as(
    db
      .update(webhookDeliveries)
      .set({
        state,
        nextAttemptAt,
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        lockedUntil: null,
        leaseId: null,
        lastResponseStatus: result.status,
        lastError: result.error?.slice(0, 2_000) ?? null,
      })
      .where(and(eq(webhookDeliveries.id, claimed.deliveryId), eq(webhookDeliveries.leaseId, claimed.leaseId), gt(webhookDeliveries.lockedUntil, sql`now()`)))
      .returning({ endpointId: webhookDeliveries.endpointId }),
  );
  const itsEndpoint = inArray(webhookEndpoints.id, db.select({ id: recorded.endpointId }).from(recorded));
  const counted =
    state === 'DELIVERED'
      ? [
          db.$with('counted').as(
            db
              .update(webhookEndpoints)
              .set({ consecutiveFailures: 0 })
              .where(and(itsEndpoint, gt(webhookEndpoints.consecutiveFailures, 0))),
          ),
        ]
      : state === 'FAILED'
        ? [
            db.$with('counted').as(
              db
                .update(webhookEndpoints)
                .set({
                  consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1`,
                  enabled: sql`${webhookEndpoints.enabled} and ${webhookEndpoints.consecutiveFailures} + 1 < ${settings.disableAfter}`,
                })
                .where(itsEndpoint),
            ),
          ]
        : [];
  const [written] = await db
    .with(recorded, ...counted)
    .select({ endpointId: recorded.endpointId })
    .from(recorded);
  return { state: written ? state : 'LEASE_LOST', nextAttemptAt };
}
