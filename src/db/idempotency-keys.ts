/**
 * The Idempotency-Key store. `claimKey` runs first in the transaction that will execute the request:
 * it inserts the key's row, or finds the committed row of an earlier execution. A concurrent
 * request with the same key inserting the same row waits on the primary key until the first
 * transaction ends (Postgres; PGlite has one connection, so transactions already run one at a
 * time), for at most `waitMs` (lock_timeout), then fails with KeyInUse.
 */
import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Database, Transaction } from './connection.js';
import { idempotencyItemResults, idempotencyKeys } from './schema.js';

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type KeyClaim =
  /** The key is new (or had expired): this transaction executes the request. */
  | { kind: 'new' }
  /** An earlier execution committed under this key; its response is null while its items are still running (bulk). */
  | { kind: 'stored'; requestHash: string; response: StoredResponse | null };

export interface KeyRef {
  userId: string;
  key: string;
}

/** Another transaction holds the key (it is executing the same key right now) for longer than the wait. */
export class KeyInUse extends Error {}

const LOCK_NOT_AVAILABLE = '55P03';

/** How many of a viewer's expired keys one new key clears away (the rest go with later keys). */
const PURGE_BATCH = 20;

export async function claimKey(tx: Transaction, ref: KeyRef, options: { requestHash: string; ttlSeconds: number; waitMs: number }): Promise<KeyClaim> {
  await tx.execute(sql`select set_config('lock_timeout', ${`${Math.max(1, Math.round(options.waitMs))}ms`}, true)`);
  let inserted: unknown[];
  try {
    inserted = await tx
      .insert(idempotencyKeys)
      .values({ ...ref, requestHash: options.requestHash, expiresAt: sql`now() + ${options.ttlSeconds}::float8 * interval '1 second'` })
      .onConflictDoUpdate({
        target: [idempotencyKeys.userId, idempotencyKeys.key],
        // An expired key is a new key: the row is taken over.
        set: {
          requestHash: options.requestHash,
          createdAt: sql`now()`,
          expiresAt: sql`excluded.expires_at`,
          responseStatus: null,
          responseHeaders: null,
          responseBody: null,
        },
        setWhere: lte(idempotencyKeys.expiresAt, sql`now()`),
      })
      .returning({ userId: idempotencyKeys.userId });
  } catch (error) {
    if (sqlState(error) === LOCK_NOT_AVAILABLE) throw new KeyInUse('Another request with this Idempotency-Key is still running');
    throw error;
  }
  // Back to the connection's own setting: the request's row locks wait as they always do.
  await tx.execute(sql`reset lock_timeout`);
  if (inserted.length) {
    await tx.delete(idempotencyItemResults).where(and(eq(idempotencyItemResults.userId, ref.userId), eq(idempotencyItemResults.key, ref.key)));
    await purgeExpired(tx, ref);
    return { kind: 'new' };
  }
  const [row] = await tx
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, ref.userId), eq(idempotencyKeys.key, ref.key)));
  if (!row) return { kind: 'new' }; // cannot happen: the conflicting row was committed; treated as new to be safe
  return {
    kind: 'stored',
    requestHash: row.requestHash,
    response: row.responseStatus === null ? null : { status: row.responseStatus, headers: row.responseHeaders ?? {}, body: row.responseBody ?? '' },
  };
}

/** Stores the response of the execution under its key, in the executing transaction. */
export async function storeResponse(tx: Transaction, ref: KeyRef, response: StoredResponse): Promise<void> {
  await tx
    .update(idempotencyKeys)
    .set({ responseStatus: response.status, responseHeaders: response.headers, responseBody: response.body })
    .where(and(eq(idempotencyKeys.userId, ref.userId), eq(idempotencyKeys.key, ref.key)));
}

/** A few of this viewer's expired keys, skipping rows another transaction is taking over. */
async function purgeExpired(tx: Transaction, ref: KeyRef) {
  const expired = tx
    .select({ key: idempotencyKeys.key })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, ref.userId), lte(idempotencyKeys.expiresAt, sql`now()`)))
    .limit(PURGE_BATCH)
    .for('update', { skipLocked: true });
  await tx.delete(idempotencyKeys).where(and(eq(idempotencyKeys.userId, ref.userId), inArray(idempotencyKeys.key, expired)));
}

function sqlState(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

/**
 * Runs one item of a key whose items commit one by one (bulk actions): in one transaction that
 * locks the key's row (so two executions of the same key take their items one at a time), finds
 * the outcome an earlier execution recorded for the item, or runs `attempt` and records its
 * outcome beside what it wrote. `attempt` gets the transaction as its database: the item's own
 * transaction nests in it, and a failure it reports as an outcome rolls back only its own work.
 * Anything `attempt` throws rolls the item back, record included, so a retry runs it again.
 */
export async function runJournaledItem<T>(db: Database, ref: KeyRef, item: number, attempt: (tx: Database) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx
      .select({ key: idempotencyKeys.key })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, ref.userId), eq(idempotencyKeys.key, ref.key)))
      .for('update');
    const [done] = await tx
      .select({ outcome: idempotencyItemResults.outcome })
      .from(idempotencyItemResults)
      .where(and(eq(idempotencyItemResults.userId, ref.userId), eq(idempotencyItemResults.key, ref.key), eq(idempotencyItemResults.item, item)));
    if (done) return done.outcome as T;
    const outcome = await attempt(tx as unknown as Database);
    await tx.insert(idempotencyItemResults).values({ ...ref, item, outcome });
    return outcome;
  });
}

/**
 * Stores the response of a key whose items committed one by one, unless a concurrent execution of
 * the same key stored its own first; answers the stored response either way, so every execution
 * of the key answers alike.
 */
export async function storeFinalResponse(db: Database, ref: KeyRef, response: StoredResponse): Promise<StoredResponse> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, ref.userId), eq(idempotencyKeys.key, ref.key)))
      .for('update');
    if (row && row.responseStatus !== null) return { status: row.responseStatus, headers: row.responseHeaders ?? {}, body: row.responseBody ?? '' };
    await storeResponse(tx, ref, response);
    return response;
  });
}
