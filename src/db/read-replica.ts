/**
 * Partner reads on a read replica (DATABASE_READ_URL, a hot standby of the primary), with the
 * primary as the fallback. Two databases come out of here: `primary` (writes, staff reads) and
 * `partner` (partner reads), which sends each statement to the replica while it answers and its
 * replay lag is within REPLICA_MAX_LAG_MS, and to the primary otherwise. Which reads are partner
 * reads is decided above (src/domain/request-database.ts); this module knows only where a statement goes.
 *
 * - The lag is measured by a periodic check on a connection of its own (not per request): 0 while the
 *   replica has replayed all the WAL it has received from a live WAL receiver, else the lesser of the
 *   time since the last transaction it replayed (pg_last_xact_replay_timestamp()) and the time since
 *   a check last found it caught up. A reading over the limit twice in a row switches partner reads
 *   to the primary; one reading within it switches them back.
 * - The replica failing (connection refused or lost, shutting down, a statement cancelled by a
 *   conflict with recovery) fails no single statement: that statement is run again on the primary,
 *   and a connection failure marks the replica down at once, until a check finds it back. A partner
 *   transaction is the exception: it takes its connection where partner reads go (the primary if the
 *   replica refuses it), and a failure inside it fails it, as on the primary.
 * - A replica snapshot is a state the primary went through (WAL replays commits in order), so a
 *   partner read served by a lagging replica is an older answer, never an inconsistent one; mixed
 *   with primary answers only when the replica fails mid-request (the primary is ahead).
 * - Every change of where partner reads go is logged once; `status()` and `onFallback()` feed the
 *   metrics (src/server/replica-metrics.ts).
 */
import type postgres from 'postgres';
import { drizzleOver, postgresClientOf, postgresPool, type Database, type DatabaseHandle, type OpenOptions } from './connection.js';
import { isDatabaseUnavailable } from './unavailable.js';

/** Why partner reads go to the primary although a replica is configured. */
export type FallbackReason = 'down' | 'lagging';

export interface ReplicaStatus {
  /** Whether DATABASE_READ_URL is set. */
  configured: boolean;
  /** Where partner reads go now. */
  target: 'replica' | 'primary';
  /** Why they go to the primary with a replica configured; null otherwise. */
  reason: FallbackReason | null;
  /** The replay lag at the last check, in ms; null when the replica did not answer it (or none is configured). */
  lagMs: number | null;
}

/** What made a partner read's statement run on the primary: the replica's state, or its failure on that statement. */
export type FallbackCause = FallbackReason | 'conflict';

export interface ReadDatabases {
  /** Writes, staff reads, and everything that is not a partner read. */
  primary: Database;
  /** Partner reads: the replica while it is up and current, the primary otherwise (or when none is configured). */
  partner: Database;
  status(): ReplicaStatus;
  /** Called for each partner-read statement the primary served in the replica's stead; returns the unsubscribe. */
  onFallback(listener: (cause: FallbackCause) => void): () => void;
  /** Runs the lag check now (tests, and the first check at start). */
  check(): Promise<ReplicaStatus>;
  close(): Promise<void>;
}

export interface ReplicaLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface ReplicaOptions extends OpenOptions {
  maxLagMs: number;
  checkIntervalMs: number;
  log: ReplicaLog;
}

/** No replica: partner reads are the primary's. */
export function primaryOnly(primary: DatabaseHandle): ReadDatabases {
  const status: ReplicaStatus = { configured: false, target: 'primary', reason: null, lagMs: null };
  return {
    primary: primary.db,
    partner: primary.db,
    status: () => ({ ...status }),
    onFallback: () => () => {},
    check: async () => ({ ...status }),
    close: async () => {},
  };
}

/** SQLSTATE 40001 on a standby: "canceling statement due to conflict with recovery" (replay needed what the statement read). */
const isRecoveryConflict = (error: unknown) => {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === '40001' && /conflict with recovery/i.test(String((e as { message?: unknown }).message))) return true;
  }
  return false;
};

/** The driver's words for a failure (drizzle wraps them), never a URL with its password. */
const describe = (error: unknown) => {
  const e = (error as { cause?: unknown }).cause ?? error;
  return e instanceof Error ? e.message : String(e);
};

interface LagReading {
  /** In recovery: a standby. Not: DATABASE_READ_URL names a primary (the same server, or a promoted standby), current by definition. */
  standby: boolean;
  /** A live WAL receiver, and everything it received replayed. */
  caughtUp: boolean;
  /** ms since the commit of the last transaction replayed; null if none was since the standby started. */
  sinceReplayMs: number | null;
}

async function readLag(check: postgres.Sql): Promise<LagReading> {
  const [row] = await check<{ standby: boolean; caught_up: boolean | null; since_replay_ms: number | null }[]>`
    select pg_is_in_recovery() as standby,
           exists (select from pg_stat_wal_receiver) and pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() as caught_up,
           (extract(epoch from now() - pg_last_xact_replay_timestamp()) * 1000)::float8 as since_replay_ms`;
  return { standby: row!.standby, caughtUp: row!.caught_up === true, sinceReplayMs: row!.since_replay_ms };
}

export async function openReadReplica(primaryHandle: DatabaseHandle, url: string, options: ReplicaOptions): Promise<ReadDatabases> {
  const primaryClient = postgresClientOf(primaryHandle);
  const replicaClient = postgresPool(url, options, 'factcheck-api partner reads');
  // The check's own connection, so that a check never waits behind partner reads (or they behind it).
  const checkClient = postgresPool(
    url,
    { ...options, poolSize: 1, statementTimeoutMs: Math.max(1_000, options.checkIntervalMs) },
    'factcheck-api replica check',
  );
  const { log, maxLagMs, checkIntervalMs } = options;

  const state: ReplicaStatus = { configured: true, target: 'primary', reason: 'down', lagMs: null };
  let announced = false;
  let readingsOverLimit = 0;
  /** When a check last found the standby caught up (Date.now()); null since it last failed. */
  let caughtUpAt: number | null = null;
  const listeners = new Set<(cause: FallbackCause) => void>();

  const moveTo = (target: 'replica' | 'primary', reason: FallbackReason | null, details: object) => {
    const changed = !announced || state.target !== target || state.reason !== reason;
    state.target = target;
    state.reason = reason;
    if (!changed) return;
    announced = true;
    if (target === 'replica') log.info({ ...details, maxLagMs }, 'partner reads go to the read replica');
    else if (reason === 'lagging') log.warn({ ...details, maxLagMs }, 'read replica lags more than REPLICA_MAX_LAG_MS: partner reads go to the primary');
    else log.warn(details, 'read replica does not answer: partner reads go to the primary');
  };
  const markDown = (error: unknown) => {
    state.lagMs = null;
    caughtUpAt = null;
    readingsOverLimit = 0;
    moveTo('primary', 'down', { error: describe(error) });
  };

  let closed = false;
  let starting = true;
  const check = async (): Promise<ReplicaStatus> => {
    if (closed) return { ...state };
    try {
      const reading = await readLag(checkClient);
      const now = Date.now();
      if (reading.caughtUp) caughtUpAt = now;
      // Two upper bounds on how old the oldest commit it has not replayed is: the time since the last
      // commit it replayed (an hour, after an idle hour), and since a check last found it caught up.
      const lagMs =
        !reading.standby || reading.caughtUp
          ? 0
          : Math.max(0, Math.min(reading.sinceReplayMs ?? Number.POSITIVE_INFINITY, caughtUpAt === null ? Number.POSITIVE_INFINITY : now - caughtUpAt));
      state.lagMs = Number.isFinite(lagMs) ? Math.round(lagMs) : null;
      if (starting && state.lagMs === null) return { ...state };
      readingsOverLimit = lagMs > maxLagMs ? readingsOverLimit + 1 : 0;
      const details = { lagMs: state.lagMs };
      // Back to the replica on one reading within the limit; off it on two over (one can be a burst of
      // WAL that arrived a moment ago). From down, one says it answers, but behind.
      if (lagMs <= maxLagMs) moveTo('replica', null, details);
      else if (readingsOverLimit >= 2 || (state.target === 'primary' && announced)) moveTo('primary', 'lagging', details);
    } catch (error) {
      if (!closed) markDown(error);
    }
    return { ...state };
  };

  const fellBack = (cause: FallbackCause) => {
    for (const listener of listeners) listener(cause);
  };

  /** Runs one statement where partner reads go now; a replica failure on it runs it again on the primary. */
  async function route<T>(use: (client: postgres.Sql) => Promise<T>): Promise<T> {
    if (state.target === 'primary') {
      fellBack(state.reason ?? 'down');
      return use(primaryClient);
    }
    try {
      return await use(replicaClient);
    } catch (error) {
      const unavailable = isDatabaseUnavailable(error);
      if (!unavailable && !isRecoveryConflict(error)) throw error;
      if (unavailable) markDown(error);
      fellBack(unavailable ? 'down' : 'conflict');
      return use(primaryClient);
    }
  }

  // drizzle's postgres.js session runs every statement as `client.unsafe(sql, params, options)`,
  // awaited or `.values()`: those go through route(). A transaction (none of the partner reads opens
  // one) stays on one server, the one partner reads go to when it begins: drizzleOver's begin()
  // (connection.ts, pipelinedTransaction) takes its connection with reserve(), routed here too, so a
  // replica found down or lagging, or refusing the connection, gives it one of the primary's (counted
  // as one fallback). Once it has its connection, a failure there is the transaction's.
  const unsafe = (query: string, params?: unknown[], queryOptions?: object) => {
    const run = <T>(use: (pending: postgres.PendingQuery<postgres.Row[]>) => Promise<T>) =>
      route((client) => use(client.unsafe(query, params as postgres.ParameterOrJSON<never>[], queryOptions)));
    return {
      values: () => run(async (pending) => pending.values()),
      then: <A, B>(onFulfilled?: (rows: postgres.RowList<postgres.Row[]>) => A, onRejected?: (error: unknown) => B) =>
        run(async (pending) => pending).then(onFulfilled, onRejected),
    };
  };
  const routed = new Proxy(replicaClient, {
    get(target, key, receiver) {
      if (key === 'unsafe') return unsafe;
      if (key === 'reserve') return () => route((client) => client.reserve());
      return Reflect.get(target, key, receiver);
    },
  });
  const partner = drizzleOver(routed, options);

  // At start the lag can be unknown for a moment (a standby just started has replayed no
  // transaction, and no check has seen it caught up yet), and one reading over the limit decides
  // nothing: up to 2 s of readings 100 ms apart for one that decides, then the primary.
  await check();
  for (let tries = 0; tries < 20 && !announced; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    await check();
  }
  starting = false;
  if (!announced) moveTo('primary', 'lagging', { lagMs: state.lagMs });
  let timer: NodeJS.Timeout | undefined;
  const loop = async () => {
    await check();
    if (!closed) timer = setTimeout(loop, checkIntervalMs).unref();
  };
  timer = setTimeout(loop, checkIntervalMs).unref();

  return {
    primary: primaryHandle.db,
    partner,
    status: () => ({ ...state }),
    onFallback(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    check,
    async close() {
      closed = true;
      clearTimeout(timer);
      await Promise.all([replicaClient.end({ timeout: 5 }), checkClient.end({ timeout: 5 })]);
    },
  };
}
