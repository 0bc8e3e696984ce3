/**
 * The Postgres driver (postgres.js) when a connection dies under it, on a real server, with the
 * database opened as the server opens it (src/db/connection.ts: drizzle over a postgres.js pool,
 * every statement prepared, the capped reconnection backoff). Issue 32; docs/contributing.md, "Stack
 * notes", says which postgres.js version and which upstream bugs these tests pin down:
 *
 * (a) pg_terminate_backend mid-query: the query fails coded (SERVICE_UNAVAILABLE), the process does
 *     not crash (porsager/postgres#1154: a write scheduled on the closed socket threw from a
 *     setImmediate), and the next queries run;
 * (b) pg_terminate_backend mid-transaction: nothing of it is committed, the next transactions commit
 *     exactly their own rows;
 * (c) a connection reset (RST, through a TCP proxy) mid-transaction and on the BEGIN itself: no hang,
 *     and the next begin() works, more than once (#1215: one query worked, then the connection hung);
 * (d) idle_in_transaction_session_timeout ends a transaction's session while its callback is still
 *     running: its later statements fail, and none of them (nor its COMMIT) runs inside the NEXT
 *     transaction on that connection (#1216).
 *
 * Every wait is bounded (`within`), so a hang fails the test instead of stalling the run. Pools of
 * one connection make the driver reuse the connection that died, where these bugs lived.
 * Postgres project only.
 */
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type Database, type DatabaseHandle } from '../../src/db/connection.js';
import { isDatabaseUnavailable } from '../../src/db/unavailable.js';
import { formatError } from '../../src/server/graphql-errors.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/database.js';
import { delay } from '../support/processes.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

/** `promise`, or a failure naming `what` once `ms` have passed: a hang fails the test. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms (hung)`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settled = <T>(promise: Promise<T>): Promise<Settled<T>> =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

/** The error of an outcome that must have failed. */
function failure(outcome: Settled<unknown>, what: string): unknown {
  if (outcome.ok) throw new Error(`${what} succeeded; it must fail`);
  return outcome.error;
}

/** An error as one line with its code and its causes' (drizzle wraps the driver's error). */
function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    parts.push(`${String(code ?? '-')}: ${String(message).split('\n')[0]}`);
  }
  return parts.join(' <- ') || String(error);
}

/** drizzle's execute() on postgres.js answers the rows themselves. */
const rows = <T>(result: unknown) => [...(result as T[])];

const insertMark = (tag: string) => sql`insert into driver_fault_marks (tag) values (${tag})`;

describe.runIf(testDatabaseKind === 'postgres')('postgres.js under connection faults', () => {
  let testDb: TestDatabase;
  let admin: postgres.Sql;
  let dbName: string;
  const handles: DatabaseHandle[] = [];
  const proxies: TcpProxy[] = [];

  // What would end a server process: an uncaught exception (the #1154 crash is one, thrown from a
  // setImmediate), or an unhandled rejection src/server/main.ts does not forgive (only the
  // database's own are logged and forgiven there).
  const crashes: string[] = [];
  const onUncaught = (error: unknown) => crashes.push(`uncaught exception: ${describeError(error)}`);
  const onUnhandled = (reason: unknown) => {
    if (!isDatabaseUnavailable(reason)) crashes.push(`unhandled rejection: ${describeError(reason)}`);
  };

  /** The server's database handle on `url`, closed after the file. */
  async function open(url: string, poolSize = 1): Promise<Database> {
    const handle = await openDatabase(url, { poolSize });
    handles.push(handle);
    return handle.db;
  }

  /** The marks whose tag starts with `prefix`, in order: what was committed. */
  async function marks(prefix: string): Promise<string[]> {
    const found = await admin<{ tag: string }[]>`select tag from driver_fault_marks where starts_with(tag, ${prefix}) order by tag`;
    return found.map((r) => r.tag);
  }

  /** Waits (bounded) until backend `pid` sleeps in pg_sleep, i.e. its statement is running. */
  async function sleeping(pid: number): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      const [row] = await admin<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where pid = ${pid} and wait_event = 'PgSleep'`;
      if (row!.n === 1) return;
      await delay(20);
    }
    throw new Error(`backend ${pid} never started its pg_sleep`);
  }

  /** Waits (bounded) until one of the server's backends on this database sleeps in pg_sleep; its pid. */
  async function sleeper(): Promise<number> {
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      const found = await admin<{ pid: number }[]>`
        select pid from pg_stat_activity where datname = ${dbName} and application_name = 'factcheck-api' and wait_event = 'PgSleep'`;
      if (found.length === 1) return found[0]!.pid;
      await delay(20);
    }
    throw new Error('no backend started the pg_sleep');
  }

  /**
   * A transaction that writes `<prefix>dead 1`, tells its backend's pid, then runs a long pg_sleep
   * and would write `<prefix>dead 2`: the test kills its connection during the sleep.
   */
  function sleepingTransaction(db: Database, prefix: string) {
    let told!: (pid: number) => void;
    const pid = new Promise<number>((resolve) => (told = resolve));
    const outcome = settled(
      db.transaction(async (tx) => {
        await tx.execute(insertMark(`${prefix}dead 1`));
        const [row] = rows<{ pid: number }>(await tx.execute(sql`select pg_backend_pid() as pid`));
        told(row!.pid);
        await tx.execute(sql`select pg_sleep(30)`);
        await tx.execute(insertMark(`${prefix}dead 2`));
      }),
    );
    return { pid: within(5_000, 'the transaction telling its backend', pid), outcome };
  }

  /** Transactions one after the other, each of several statements, all committed: the connection works again. */
  async function nextTransactions(db: Database, prefix: string, count = 3): Promise<string[]> {
    const written: string[] = [];
    for (let t = 1; t <= count; t++) {
      await within(
        5_000,
        `transaction ${t} after the fault`,
        db.transaction(async (tx) => {
          for (let s = 1; s <= 3; s++) {
            await tx.execute(insertMark(`${prefix}next ${t}.${s}`));
            written.push(`${prefix}next ${t}.${s}`);
          }
          const [row] = rows<{ n: number }>(await tx.execute(sql`select count(*)::int as n from driver_fault_marks where starts_with(tag, ${prefix})`));
          expect(row!.n).toBe(t * 3);
        }),
      );
    }
    return written;
  }

  beforeAll(async () => {
    testDb = await createTestDatabase({ poolSize: 1 });
    dbName = decodeURIComponent(new URL(testDb.url!).pathname.slice(1));
    admin = postgres(testDb.url!, { max: 1, onnotice: () => {} });
    await admin`create table driver_fault_marks (tag text primary key)`;
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUnhandled);
  });

  afterEach(async () => {
    // A late failure (a write scheduled on a dead socket fires a tick later) must still be seen.
    await delay(200);
    expect(crashes, 'nothing may crash the process').toEqual([]);
  });

  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUnhandled);
    for (const proxy of proxies) await proxy.close();
    for (const handle of handles) await handle.close();
    await admin?.end({ timeout: 5 });
    await testDb?.drop();
  });

  test('(a) pg_terminate_backend mid-query: the query fails coded SERVICE_UNAVAILABLE, the process lives, the next queries run', async () => {
    const db = testDb.db;
    for (let round = 1; round <= 3; round++) {
      const running = settled(db.execute(sql`select pg_sleep(30)`));
      const pid = await sleeper();
      await admin`select pg_terminate_backend(${pid})`;

      const error = failure(await within(5_000, 'the terminated query', running), 'the terminated query');
      expect(isDatabaseUnavailable(error), describeError(error)).toBe(true);
      expect(formatError({ message: 'x' }, error).extensions).toEqual({ code: 'SERVICE_UNAVAILABLE' });

      for (let i = 1; i <= 3; i++) {
        const result = await within(5_000, `query ${i} after the termination`, db.execute(sql`select ${i}::int as i`));
        expect(rows(result)).toEqual([{ i }]);
      }
    }
  });

  test('(b) pg_terminate_backend mid-transaction: none of its writes committed, the next transactions commit exactly their own, nothing hangs', async () => {
    const db = testDb.db;
    for (let round = 1; round <= 3; round++) {
      const prefix = `b${round} `;
      const dead = sleepingTransaction(db, prefix);
      const pid = await dead.pid;
      await sleeping(pid);
      await admin`select pg_terminate_backend(${pid})`;
      const error = failure(await within(5_000, 'the transaction whose backend was terminated', dead.outcome), 'that transaction');
      expect(isDatabaseUnavailable(error), describeError(error)).toBe(true);

      // At once: a transaction its callback rolls back, then committed ones. A statement of the dead
      // transaction (its ROLLBACK) landing in either would show in the marks.
      const rolledBack = settled(
        db.transaction(async (tx) => {
          await tx.execute(insertMark(`${prefix}rolled back 1`));
          await tx.execute(insertMark(`${prefix}rolled back 2`));
          throw new Error('rolled back by its callback');
        }),
      );
      expect(describeError(failure(await within(5_000, 'the rolled-back transaction', rolledBack), 'the rolled-back transaction'))).toContain(
        'rolled back by its callback',
      );
      const written = await nextTransactions(db, prefix);
      await delay(100);
      expect(await marks(prefix)).toEqual(written);
    }
  });

  describe('(c) a connection reset through a TCP proxy', () => {
    let proxy: TcpProxy;

    beforeAll(async () => {
      const target = new URL(testDb.url!);
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      proxies.push(proxy);
    });

    test('mid-transaction: the transaction fails coded, within seconds; nothing of it is committed; the next begin() works, again and again', async () => {
      const db = await open(proxy.via(testDb.url!));
      for (let round = 1; round <= 3; round++) {
        const prefix = `c${round} `;
        const dead = sleepingTransaction(db, prefix);
        const pid = await dead.pid;
        await sleeping(pid);
        expect(proxy.resetAll(), 'the pool has one connection').toBe(1);
        const error = failure(await within(5_000, 'the transaction whose connection was reset', dead.outcome), 'that transaction');
        expect(isDatabaseUnavailable(error), describeError(error)).toBe(true);
        // The server notices its client is gone only once the sleep ends: end that session now.
        await admin`select pg_terminate_backend(${pid})`;

        const written = await nextTransactions(db, prefix);
        await delay(100);
        expect(await marks(prefix)).toEqual(written);
      }
    });

    test('on the BEGIN itself: begin() fails coded, within seconds; the next begin() works, again and again', async () => {
      const db = await open(proxy.via(testDb.url!));
      for (let round = 1; round <= 3; round++) {
        const prefix = `c-begin${round} `;
        const reset = proxy.resetOn(/begin/i);
        const dead = settled(db.transaction(async (tx) => void (await tx.execute(insertMark(`${prefix}dead`)))));
        await within(5_000, 'the reset on BEGIN', reset);
        const error = failure(await within(5_000, 'the transaction whose BEGIN was reset', dead), 'that transaction');
        expect(isDatabaseUnavailable(error), describeError(error)).toBe(true);

        const written = await nextTransactions(db, prefix);
        for (let i = 1; i <= 3; i++) expect(rows(await within(5_000, `query ${i} after the reset`, db.execute(sql`select ${i}::int as i`)))).toEqual([{ i }]);
        await delay(100);
        expect(await marks(prefix)).toEqual(written);
      }
    });
  });

  describe('(d) idle_in_transaction_session_timeout', () => {
    const IDLE_MS = 400;

    beforeAll(async () => {
      // This file's database only (a throw-away copy): sessions opened from now on time out.
      await admin.unsafe(`alter database "${dbName}" set idle_in_transaction_session_timeout = '${IDLE_MS}ms'`);
    });

    afterAll(async () => {
      await admin.unsafe(`alter database "${dbName}" reset idle_in_transaction_session_timeout`);
    });

    /**
     * A transaction that writes `<prefix>dead 1`, stays idle past the timeout (the server ends its
     * session), then, while the NEXT transaction holds the pool's one connection, tries
     * `<prefix>dead 2` and would commit. `late` is what that second statement got.
     */
    function timedOutTransaction(db: Database, prefix: string) {
      let late: Settled<unknown> | null = null;
      let wokeAt = 0;
      let done!: () => void;
      const finished = new Promise<void>((resolve) => (done = resolve));
      const outcome = settled(
        db.transaction(async (tx) => {
          try {
            await tx.execute(insertMark(`${prefix}dead 1`));
            await delay(IDLE_MS * 3);
            wokeAt = Date.now();
            late = await settled(tx.execute(insertMark(`${prefix}dead 2`)));
            if (!late.ok) throw late.error;
          } finally {
            done();
          }
        }),
      );
      return { outcome, finished: within(10_000, 'the timed-out transaction callback', finished), late: () => late, wokeAt: () => wokeAt };
    }

    const NEXT_STATEMENTS = 12;
    /**
     * The next transaction: a statement every IDLE_MS / 4 (never idle long enough to time out), for
     * about 3 × IDLE_MS. `finishedAt` says when its callback returned.
     */
    function nextTransaction(db: Database, prefix: string, rollBack: boolean) {
      let finishedAt = 0;
      const outcome = settled(
        within(
          10_000,
          'the next transaction',
          db.transaction(async (tx) => {
            for (let s = 1; s <= NEXT_STATEMENTS; s++) {
              await tx.execute(insertMark(`${prefix}next ${String(s).padStart(2, '0')}`));
              await delay(IDLE_MS / 4);
            }
            finishedAt = Date.now();
            if (rollBack) throw new Error('rolled back by its callback');
          }),
        ),
      );
      return { outcome, finishedAt: () => finishedAt };
    }

    for (const rollBack of [false, true])
      test(`a dead transaction's statements never run inside the next transaction on its connection (the next one ${rollBack ? 'rolls back' : 'commits'})`, async () => {
        const prefix = rollBack ? 'd-rollback ' : 'd-commit ';
        const db = await open(testDb.url!);
        const [row] = rows<{ timeout: string }>(await db.execute(sql`select current_setting('idle_in_transaction_session_timeout') as timeout`));
        expect(row!.timeout).toBe(`${IDLE_MS}ms`);
        const dead = timedOutTransaction(db, prefix);
        const deadError = failure(await within(5_000, 'the timed-out transaction', dead.outcome), 'the timed-out transaction');
        // The server ended its session (25P03): coded SERVICE_UNAVAILABLE, like any session the server ends.
        expect(isDatabaseUnavailable(deadError), describeError(deadError)).toBe(true);
        // Its session is gone; its callback sleeps on. The next transaction takes the connection and
        // is mid-way when that callback wakes and sends its next statement.
        const next = nextTransaction(db, prefix, rollBack);
        await dead.finished;
        const late = dead.late();
        expect(late, 'the timed-out transaction sent its next statement').not.toBeNull();
        expect(late!.ok, `the dead transaction's statement after the timeout must fail (the first failure was ${describeError(deadError)})`).toBe(false);
        const lateError = failure(late!, 'the statement after the timeout');
        expect(isDatabaseUnavailable(lateError), describeError(lateError)).toBe(true);

        const nextOutcome = await next.outcome;
        expect(next.finishedAt(), 'the dead callback woke while the next transaction was under way').toBeGreaterThan(dead.wokeAt());
        if (rollBack) expect(describeError(failure(nextOutcome, 'the next transaction'))).toContain('rolled back by its callback');
        else expect(nextOutcome.ok, nextOutcome.ok ? '' : describeError(nextOutcome.error)).toBe(true);

        await delay(100);
        const expected = rollBack ? [] : Array.from({ length: NEXT_STATEMENTS }, (_, i) => `${prefix}next ${String(i + 1).padStart(2, '0')}`);
        expect(await marks(prefix)).toEqual(expected);

        // And the connection works on.
        const written = await nextTransactions(db, `${prefix}after `);
        expect(await marks(`${prefix}after `)).toEqual(written);
      });
  });
});
