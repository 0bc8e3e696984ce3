/**
 * Which process fetches a feed: a lease in the row (lease_owner, lease_expires_at), taken by one
 * statement that commits at once, so no transaction or row lock is held across the HTTP call (on
 * PGlite that would stall every request). FOR UPDATE SKIP LOCKED keeps two processes from taking
 * the same row; a lease that ran out (its process crashed) is free again. While the fetch and its
 * import run, the lease is renewed (lease-renewal.ts), so a long import keeps it. The outcome is
 * written only while the lease is still the writer's, and releases it.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Database, Queryable } from '../../db/connection.js';
import { externalSources, type ExternalSourceRow } from '../../db/schema.js';
import type { ImportReport } from '../external-imports/report.js';
import { clockNow, leaseMs, type FeedSettings } from './settings.js';

export interface Lease {
  source: ExternalSourceRow;
  /** This fetch's own token (the process and a random part): the row's lease_owner while it runs. */
  token: string;
}

const leaseFree = (now: ReturnType<typeof clockNow>) => or(isNull(externalSources.leaseOwner), lt(externalSources.leaseExpiresAt, now));

async function take(db: Database, settings: FeedSettings, processId: string, which: ReturnType<typeof and>): Promise<Lease | null> {
  const now = clockNow(settings.clock);
  const token = `${processId}/${randomUUID()}`;
  const candidate = db
    .select({ id: externalSources.id })
    .from(externalSources)
    .where(and(which, leaseFree(now)))
    .orderBy(asc(externalSources.nextFetchAt))
    .limit(1)
    .for('update', { skipLocked: true });
  const [source] = await db
    .update(externalSources)
    .set({ leaseOwner: token, leaseExpiresAt: sql`${now} + interval '1 millisecond' * ${leaseMs(settings)}::int` })
    .where(inArray(externalSources.id, candidate))
    .returning();
  return source ? { source, token } : null;
}

/** The feed due longest ago (enabled, next_fetch_at passed) whose lease is free; null when none is. */
export const takeDueLease = (db: Database, settings: FeedSettings, processId: string) =>
  take(db, settings, processId, and(eq(externalSources.enabled, true), lte(externalSources.nextFetchAt, clockNow(settings.clock))));

/** This feed now, whatever its schedule (fetchExternalSource); null while another fetch holds it. */
export const takeLeaseOf = (db: Database, settings: FeedSettings, processId: string, sourceId: string) =>
  take(db, settings, processId, eq(externalSources.id, sourceId));

export interface FetchRecord {
  ok: boolean;
  error: string | null;
  /** Null on failure; an empty report for a 304. */
  report: ImportReport | null;
  /** New validators; undefined keeps the stored ones (a 304, a failure). */
  etag?: string | null;
  lastModified?: string | null;
}

/**
 * Extends the lease by a whole lease from now, if it is still this fetch's; false once another took
 * it (or the feed was deleted). One that ran out but nobody took is still this fetch's: taking a
 * lease and renewing one both update the row, so the row lock orders them and only one matches.
 */
export async function renewLease(db: Database, settings: FeedSettings, lease: Lease): Promise<boolean> {
  const renewed = await db
    .update(externalSources)
    .set({ leaseExpiresAt: sql`${clockNow(settings.clock)} + interval '1 millisecond' * ${leaseMs(settings)}::int` })
    .where(and(eq(externalSources.id, lease.source.id), eq(externalSources.leaseOwner, lease.token)))
    .returning({ id: externalSources.id });
  return renewed.length > 0;
}

/**
 * Writes the outcome and releases the lease; null if the lease was no longer this fetch's (another
 * took it, or the feed was deleted), and then nothing is written. Like a renewal, it matches on the
 * owner alone: a lease that ran out untaken means no other fetch ran.
 */
export async function recordFetch(db: Database, settings: FeedSettings, lease: Lease, record: FetchRecord): Promise<ExternalSourceRow | null> {
  const now = clockNow(settings.clock);
  const [updated] = await db
    .update(externalSources)
    .set({
      lastFetchedAt: now,
      ...(record.ok ? { lastSuccessAt: now } : {}),
      lastError: record.error?.slice(0, 2_000) ?? null,
      lastReport: record.report,
      ...(record.etag !== undefined ? { etag: record.etag } : {}),
      ...(record.lastModified !== undefined ? { lastModified: record.lastModified } : {}),
      nextFetchAt: sql`${now} + interval '1 minute' * ${externalSources.intervalMinutes}`,
      leaseOwner: null,
      leaseExpiresAt: null,
    })
    .where(and(eq(externalSources.id, lease.source.id), eq(externalSources.leaseOwner, lease.token)))
    .returning();
  return updated ?? null;
}

export async function readSource(db: Queryable, sourceId: string): Promise<ExternalSourceRow | null> {
  const [source] = await db.select().from(externalSources).where(eq(externalSources.id, sourceId));
  return source ?? null;
}
