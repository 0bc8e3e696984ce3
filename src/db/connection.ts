import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { migrationsFolder } from '../paths.js';
import { StartupError } from '../startup-error.js';
import { lockDataFolder } from './data-folder-lock.js';
import { connectionTarget } from './hosts.js';
import { freeBytes, PgliteGuard, type StorageState } from './pglite-guard.js';
import { backfillNormalizedUrls } from './normalized-urls.js';
import { listenPglite, listenPostgres, type ListenHandlers } from './notifications.js';
import * as schema from './schema.js';
import { TransactionFailures } from './transaction-failures.js';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Anything that runs queries: the database or a transaction in progress. */
export type Queryable = Database | Transaction;

/**
 * Told about every statement drizzle runs (metrics): when it starts and how it ended. The time
 * includes the wait for a free connection. `transaction` says a transaction began or ended.
 */
export interface QueryObserver {
  queryStarted(): void;
  queryEnded(seconds: number, failed: boolean): void;
  transactionStarted(): void;
  transactionEnded(): void;
  /**
   * Tracing: told each statement's SQL text (placeholders, never the values) as it starts; returns
   * what to call when it ends.
   */
  statementStarted?(sql: string): (failed: boolean) => void;
}

export interface DatabaseHandle {
  db: Database;
  kind: 'postgres' | 'pglite';
  /** Connections the pool may open (PGlite: 1, it runs one statement at a time). */
  poolSize: number;
  /** Reports every statement to `observer` from now on; returns the way to stop. */
  observe(observer: QueryObserver): () => void;
  /**
   * Applies pending migrations from drizzle/, then fills in what SQL cannot (articles' normalised
   * URLs, src/db/normalized-urls.ts); safe to call from several processes at once.
   */
  migrate(): Promise<void>;
  /** Throws unless the database answers. */
  ping(): Promise<void>;
  /** LISTEN on `channel` (NOTIFY from any process on this database); resolves to the unsubscribe. */
  listen(channel: string, handlers: ListenHandlers): Promise<() => Promise<void>>;
  /**
   * Embedded only: why the database stopped for good (a PANIC, e.g. a WAL segment that a full disk
   * could not hold; src/db/pglite-guard.ts), null while it runs. Nothing answers until a restart.
   */
  stopped?(): Error | null;
  /**
   * Embedded on a folder only: a consistent copy of the whole database (PGlite's dumpDataDir, a
   * gzipped tar of its data folder). PGlite runs one statement at a time: statements wait while it
   * is built, in memory (docs/operations.md, "Backups").
   */
  dumpDataDir?(): Promise<Blob>;
  /** Embedded on a folder only: records the port the server listens on in the folder's lock file, for db:backup to find it. */
  announcePort?(port: number): void;
  close(): Promise<void>;
}

export interface OpenOptions {
  poolSize?: number;
  /**
   * Postgres only: a request's statement running longer is cancelled (0: never), so that a query
   * nobody foresaw cannot hold a connection for minutes. Migrations have none: an index can take
   * longer to build.
   */
  statementTimeoutMs?: number;
  /**
   * Postgres only: give up opening a connection after this long (postgres.js waits 30 s by
   * default), so that while the database is unreachable requests fail fast instead of queueing.
   */
  connectTimeoutMs?: number;
  /** PGlite only: start from a dump made by dumpDataDir() (fast test databases). */
  loadDataDir?: Blob;
  /** Called with every SQL statement drizzle sends (tests count statements per request with it). */
  onQuery?: (sql: string) => void;
  /**
   * PGlite on a folder only: refuse statements that may write while the folder's file system has
   * less than this many bytes free (0 or unset: never), src/db/pglite-guard.ts.
   */
  minFreeBytes?: number;
  /** PGlite on a folder only: told when writes start being refused for want of space, and when they are accepted again. */
  onStorageChange?: (state: StorageState) => void;
  /** PGlite only: told once if the database stops (a PANIC): every statement fails from then on. */
  onStopped?: (error: Error) => void;
}

const queryLogger = (onQuery: OpenOptions['onQuery']) => (onQuery ? { logger: { logQuery: (query: string) => onQuery(query) } } : {});

const MIGRATION_LOCK_KEY = 727_271_001;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/**
 * Seconds a pool connection waits before its next connection attempt after a failed one. A request
 * waits for that attempt, and postgres.js' default (3^failures / 100 s, up to 20 s, the failures
 * counted across the pool) grew to 10-20 s within a second of an outage: requests hung that long,
 * and /readyz stayed 503 that long after the database was back. Capped at half a second, requests
 * during an outage fail within about that, and a pool of 10 tries at most 20 connections a second.
 */
const reconnectBackoff = (failures: number) => Math.min(0.05 * 2 ** failures, 0.5);

export async function openDatabase(url: string, options: OpenOptions = {}): Promise<DatabaseHandle> {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url, options);
  if (url === 'memory:' || url.startsWith('memory:')) return openPglite(undefined, options);
  if (url.startsWith('pglite:')) return openPglite(url.slice('pglite:'.length), options);
  throw new Error(`DATABASE_URL must be postgres://…, pglite:<dir> or memory: (got ${url.split(':')[0]}:)`);
}

/**
 * The observers of one handle; with none attached, a statement costs one length check. The list
 * is replaced, never changed: a statement tells its end to the observers it told its start, with
 * no copy per statement.
 */
class Observers {
  list: readonly QueryObserver[] = [];
  add(observer: QueryObserver) {
    this.list = [...this.list, observer];
    return () => void (this.list = this.list.filter((o) => o !== observer));
  }
  /** Times `run` (a promise or postgres.js' lazy query) without changing what it returns. */
  query<T extends PromiseLike<unknown>>(sql: string, run: () => T): T {
    const observers = this.list;
    if (!observers.length) return run();
    let statementEnds: ((failed: boolean) => void)[] | undefined;
    for (const o of observers) {
      o.queryStarted();
      if (o.statementStarted) (statementEnds ??= []).push(o.statementStarted(sql));
    }
    const started = performance.now();
    const ended = (failed: boolean) => {
      const seconds = (performance.now() - started) / 1000;
      for (const o of observers) o.queryEnded(seconds, failed);
      if (statementEnds) for (const end of statementEnds) end(failed);
    };
    const result = run();
    // postgres.js runs a query when it is first awaited, one microtask later: drizzle's .values()
    // right after this call still applies. The derived promise handles the rejection it observes.
    result.then(
      () => ended(false),
      () => ended(true),
    );
    return result;
  }
  async transaction<T>(run: () => Promise<T>): Promise<T> {
    const observers = this.list;
    if (!observers.length) return run();
    for (const o of observers) o.transactionStarted();
    try {
      return await run();
    } finally {
      for (const o of observers) o.transactionEnded();
    }
  }
}

/**
 * drizzle asks postgres.js to server-prepare only queries given a name; a dashboard page then costs
 * ~6 ms of planning on every request. Preparing every statement lets Postgres reuse the parse and,
 * after a few executions, the plan; statements in transactions too (a claim action's record, with
 * the partners' rows, is 0.5 ms of planning otherwise). Each connection keeps what it prepared
 * until postgres.js retires it (max_lifetime, 30 to 60 minutes), which bounds that cache.
 */
function preparingAll(client: postgres.Sql, observers: Observers): postgres.Sql {
  const unsafe = preparedUnsafe(client, observers);
  const begin = ((...args: unknown[]) => {
    const run = args.pop() as (tx: postgres.TransactionSql) => Promise<unknown>;
    const mode = typeof args[0] === 'string' ? args[0] : '';
    return observers.transaction(() => pipelinedTransaction(client, observers, mode, run));
  }) as postgres.Sql['begin'];
  return new Proxy(client, { get: (target, key, receiver) => (key === 'unsafe' ? unsafe : key === 'begin' ? begin : Reflect.get(target, key, receiver)) });
}

/**
 * A transaction on a reserved connection whose BEGIN goes out with its first statements: postgres.js'
 * own begin() waits for BEGIN's answer before it runs the callback, a round trip of its own in every
 * transaction (src/db/pipeline.ts). As there: ROLLBACK after a failure, COMMIT after success (a
 * rolled-back commit throws), savepoints for nested transactions, and no statement once it has
 * ended. What it throws is the first failure of its statements rather than a later statement's
 * 25P02 (src/db/transaction-failures.ts). A mode (begin('read only', …)) must be a list of
 * transaction modes, checked before a connection is reserved. Its statements are prepared and timed.
 */
async function pipelinedTransaction<T>(client: postgres.Sql, observers: Observers, mode: string, run: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  const checkedMode = transactionMode(mode); // before a connection is reserved
  const reserved = await client.reserve();
  let open = true;
  const failures = new TransactionFailures();
  // BEGIN, COMMIT, ROLLBACK and savepoints: not drizzle's, so neither prepared nor timed (as postgres.js' own).
  const control = (text: string) => failures.track(reserved.unsafe(text));
  const begun = control(checkedMode ? `begin ${checkedMode}` : 'begin').answer;
  begun.catch(() => {}); // awaited below: its failure is also the first statement's
  try {
    // A BEGIN that fails leaves the connection outside any transaction: the statements sent behind it
    // would each run, and commit, on their own. A plain BEGIN (drizzle's: it sets a transaction's
    // options with SET TRANSACTION, a statement inside it) can only fail with its connection, and then
    // so do the statements behind it, none of which runs. (Or a cancel request landing in the
    // microseconds it runs: this process sends none, and it waits for nothing a statement timeout
    // could end.) A valid mode can be refused on a working connection, though: READ WRITE or
    // SERIALIZABLE on a hot standby. So with a mode, the callback starts once BEGIN has answered: a
    // round trip more, only in transactions begun with one (none of the server's are).
    if (checkedMode) await begun;
    const result = await run(scopedClient(reserved, observers, () => open, failures, control));
    await begun;
    // Closed before COMMIT goes out, not once it is answered: a statement sent meanwhile (a branch of
    // a Promise.all still running) would run after it, outside the transaction.
    open = false;
    const done = await control('commit').answer;
    if (done.command !== 'COMMIT') {
      // A statement failed that nobody awaited (or whose failure was caught): that is the failure.
      // Its answer came before COMMIT's, but a rejection reaches its handler a few microtasks later.
      await failures.answered();
      throw failures.first ?? new Error('The server rolled back the transaction instead of committing it');
    }
    return result;
  } catch (error) {
    open = false;
    await control('rollback').answer.catch(() => {}); // a broken connection ended it already
    throw failures.instead(error);
  } finally {
    open = false;
    reserved.release();
  }
}

/** One of BEGIN's transaction modes (PostgreSQL's grammar; case and runs of whitespace as it takes them). */
const TRANSACTION_MODE = String.raw`(?:isolation\s+level\s+(?:serializable|repeatable\s+read|read\s+committed|read\s+uncommitted)|read\s+write|read\s+only|(?:not\s+)?deferrable)`;
/** A list of them, separated by commas or by whitespace alone, as BEGIN takes it. */
const TRANSACTION_MODES = new RegExp(String.raw`^${TRANSACTION_MODE}(?:\s*,\s*${TRANSACTION_MODE}|\s+${TRANSACTION_MODE})*$`, 'i');

/**
 * `mode` as BEGIN is sent it (trimmed, whitespace collapsed; '' for none), or an error if it is not a
 * list of transaction modes: refused whole, not sanitised into a BEGIN that fails (see above) or that
 * means something else.
 */
function transactionMode(mode: string): string {
  const trimmed = mode.trim().replace(/\s+/g, ' ');
  if (trimmed && !TRANSACTION_MODES.test(trimmed)) {
    throw new Error(
      `Not a transaction mode: ${JSON.stringify(mode)} (expected isolation level serializable | repeatable read | read committed | read uncommitted, read write | read only, [not] deferrable)`,
    );
  }
  return trimmed;
}

/**
 * The transaction's client: statements prepared and timed, refused once it ended, their failures
 * tracked (a 25P02 rejects with the failure that caused it); savepoint() as postgres.js' own.
 */
function scopedClient(
  reserved: postgres.ReservedSql,
  observers: Observers,
  isOpen: () => boolean,
  failures: TransactionFailures,
  control: (text: string) => { at: number; answer: Promise<postgres.RowList<postgres.Row[]>> },
): postgres.TransactionSql {
  const prepared = preparedUnsafe(reserved as unknown as postgres.Sql, observers);
  const unsafe = ((...args: Parameters<postgres.Sql['unsafe']>) => {
    if (!isOpen()) throw new Error('The transaction has ended');
    const pending = prepared(...args);
    const { answer } = failures.track(pending);
    // drizzle asks for rows as arrays right after this call, before the statement starts: passed on.
    return Object.assign(answer, { values: () => (pending.values(), answer) });
  }) as unknown as postgres.Sql['unsafe'];
  let savepoints = 0;
  const savepoint = (async (...args: unknown[]) => {
    const run = args.pop() as (sp: postgres.TransactionSql) => Promise<unknown>;
    const name = `s${savepoints++}`;
    const begun = control(`savepoint ${name}`);
    await begun.answer;
    try {
      const result = await run(client);
      await control(`release savepoint ${name}`).answer;
      return result;
    } catch (error) {
      const thrown = failures.instead(error);
      const rollback = control(`rollback to savepoint ${name}`);
      try {
        await rollback.answer;
        // Undone: what failed in it is no longer the transaction's failure, and the transaction goes on.
        failures.rolledBack(begun.at, rollback.at);
      } catch {
        // The transaction failed as a whole (a broken connection): it throws what failed first.
      }
      throw thrown;
    }
  }) as postgres.TransactionSql['savepoint'];
  const client: postgres.TransactionSql = new Proxy(reserved as unknown as postgres.TransactionSql, {
    get: (target, key, receiver) => (key === 'unsafe' ? unsafe : key === 'savepoint' ? savepoint : Reflect.get(target, key, receiver)),
  });
  return client;
}

/** `client.unsafe()` with every statement prepared and timed; like postgres.js' own, it also takes (query, options). */
function preparedUnsafe(client: postgres.Sql | postgres.TransactionSql, observers: Observers): postgres.Sql['unsafe'] {
  type Params = Parameters<postgres.Sql['unsafe']>[1];
  return ((query: string, params?: Params | postgres.UnsafeQueryOptions, options?: postgres.UnsafeQueryOptions) => {
    const [values, given] = Array.isArray(params) || params === undefined ? [params ?? [], options] : [[], params];
    return observers.query(query, () => {
      const pending = client.unsafe(query, values, { ...given, prepare: true });
      // Handed to the connection now (it starts one microtask later, after drizzle's .values()), not
      // when first awaited: statements sent without awaiting run in the order they were made
      // (src/db/pipeline.ts). The read replica's router (read-replica.ts) has no execute(): it
      // starts a statement when drizzle reads it, and runs no transaction.
      (pending as Partial<Pick<typeof pending, 'execute'>>).execute?.();
      return pending;
    });
  }) as postgres.Sql['unsafe'];
}

/**
 * PGlite for drizzle, with query() timed and transactions counted (methods bound: PGlite keeps
 * private fields), and every statement shown to the guard first (the disk's reserve, the fence).
 */
function observedPglite(client: PGlite, observers: Observers, guard: PgliteGuard): PGlite {
  const admitted = <T>(sql: string, run: () => Promise<T>): Promise<T> => {
    try {
      guard.admit(sql);
    } catch (error) {
      return Promise.reject(error);
    }
    return observers.query(sql, run);
  };
  const guardedTx = (tx: Transaction_): Transaction_ =>
    new Proxy(tx, {
      get: (target, key) => (key === 'query' ? (...a: Parameters<Transaction_['query']>) => admitted(a[0], () => target.query(...a)) : bound(target, key)),
    });
  const query = (...a: Parameters<PGlite['query']>) => admitted(a[0], () => client.query(...a));
  const transaction = <T>(run: (tx: Transaction_) => Promise<T>) => observers.transaction(() => client.transaction((tx) => run(guardedTx(tx))));
  return new Proxy(client, { get: (target, key) => (key === 'query' ? query : key === 'transaction' ? transaction : bound(target, key)) });
}
type Transaction_ = Parameters<Parameters<PGlite['transaction']>[0]>[0];
const bound = (target: object, key: string | symbol) => {
  const value = Reflect.get(target, key, target) as unknown;
  return typeof value === 'function' && key !== 'constructor' ? value.bind(target) : value;
};

/**
 * A postgres.js pool as every Postgres connection of the server is opened: the connect timeout, the
 * capped reconnection backoff, no JIT, the statement timeout. `applicationName` shows in
 * pg_stat_activity (the read replica's pool says so).
 */
export function postgresPool(url: string, options: OpenOptions, applicationName = 'factcheck-api'): postgres.Sql {
  // A URL naming several hosts: each connection goes to the one that fits (src/db/hosts.ts).
  const target = connectionTarget(url, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
  return postgres(target.url, {
    ...target.options,
    max: options.poolSize ?? 10,
    connect_timeout: (options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS) / 1000,
    backoff: reconnectBackoff,
    onnotice: () => {},
    // Short OLTP statements: Postgres' JIT costs more (~20 ms on a large search) than it saves.
    connection: { application_name: applicationName, jit: 'off', statement_timeout: options.statementTimeoutMs ?? 0 },
  });
}

/** drizzle over a postgres.js client (every statement prepared), as the server queries. */
export function drizzleOver(client: postgres.Sql, options: Pick<OpenOptions, 'onQuery'> = {}, observers = new Observers()): Database {
  return drizzlePostgres(preparingAll(client, observers), { schema, ...queryLogger(options.onQuery) }) as unknown as Database;
}

/** The postgres.js client under a Postgres handle's drizzle instance (the read replica falls back to it). */
export function postgresClientOf(handle: DatabaseHandle): postgres.Sql {
  if (handle.kind !== 'postgres') throw new Error('not a Postgres database');
  return (handle.db as unknown as { $client: postgres.Sql }).$client;
}

function openPostgres(url: string, options: OpenOptions): DatabaseHandle {
  const connect_timeout = (options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS) / 1000;
  const client = postgresPool(url, options);
  const observers = new Observers();
  const db = drizzleOver(client, options, observers);
  return {
    db,
    kind: 'postgres',
    poolSize: options.poolSize ?? 10,
    observe: (observer) => observers.add(observer),
    async migrate() {
      // One connection holds the advisory lock for the whole migration, so concurrent starts queue.
      const target = connectionTarget(url, connect_timeout * 1000);
      const single = postgres(target.url, { ...target.options, max: 1, connect_timeout, onnotice: () => {} });
      try {
        await single`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        const migrator = drizzlePostgres(single, { schema });
        await migratePostgres(migrator, { migrationsFolder });
        await backfillNormalizedUrls(migrator);
      } finally {
        await single.end({ timeout: 5 });
      }
    },
    async ping() {
      await client`select 1`;
    },
    async listen(channel, handlers) {
      return listenPostgres(connectionTarget(url, connect_timeout * 1000), channel, handlers);
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}

async function openPglite(dataDir: string | undefined, options: OpenOptions): Promise<DatabaseHandle> {
  const minFreeBytes = dataDir ? (options.minFreeBytes ?? 0) : 0;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // Before PGlite touches the folder: a second process must not write to it at all.
  const lock = dataDir ? lockDataFolder(dataDir) : null;
  let client: PGlite;
  try {
    // Opening writes (recovery after a crash, the shutdown checkpoint later): not on a disk already below the reserve.
    const free = dataDir && minFreeBytes > 0 ? freeBytes(dataDir) : Infinity;
    if (free < minFreeBytes) {
      throw new StartupError(
        `the file system of the embedded database folder ${dataDir} has ${Math.floor(free / 1024 / 1024)} MB free, less than ` +
          `PGLITE_MIN_FREE_MB (${Math.floor(minFreeBytes / 1024 / 1024)} MB): free some space (or lower PGLITE_MIN_FREE_MB) and start again`,
      );
    }
    client = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      extensions: { pg_trgm },
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const guard = new PgliteGuard(client, {
    dataDir: dataDir ?? '',
    minFreeBytes,
    ...(options.onStorageChange ? { onStorageChange: options.onStorageChange } : {}),
    ...(options.onStopped ? { onStopped: options.onStopped } : {}),
  });
  const observers = new Observers();
  const db = drizzlePglite(observedPglite(client, observers, guard), { schema, ...queryLogger(options.onQuery) }) as unknown as Database;
  return {
    db,
    kind: 'pglite',
    poolSize: 1,
    observe: (observer) => observers.add(observer),
    async migrate() {
      const migrator = drizzlePglite(client, { schema });
      await migratePglite(migrator, { migrationsFolder });
      await backfillNormalizedUrls(migrator);
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async listen(channel, handlers) {
      const unlisten = await listenPglite(client, channel, handlers);
      return async () => {
        if (!guard.stopped) await unlisten();
      };
    },
    stopped: () => guard.stopped,
    ...(lock
      ? {
          // Under PGlite's query lock: the statement running finishes first, the next waits for the dump. It may
          // fall between two statements of an open transaction: the copy is then crash-consistent (a restore
          // replays the WAL, and the unfinished transaction is not in it), as pg_basebackup's is.
          dumpDataDir: () => client.dumpDataDir('gzip'),
          announcePort: (port: number) => lock.announce(port),
        }
      : {}),
    async close() {
      // A stopped PGlite is not entered again, not even to close it: the next start replays its WAL.
      if (!client.closed && !guard.stopped) await client.close();
      lock?.release();
    },
  };
}

/** PGlite only: a snapshot of the whole database, to open copies of it quickly. */
export async function dumpPglite(handle: DatabaseHandle): Promise<Blob> {
  const client = (handle.db as unknown as { $client: PGlite }).$client;
  return client.dumpDataDir('none');
}
