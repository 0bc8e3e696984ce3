/**
 * The Postgres transaction (src/db/connection.ts, `pipelinedTransaction`): BEGIN goes out with the
 * first statements, and statements sent without being awaited one by one are pipelined
 * (src/db/pipeline.ts). What that must not change:
 *
 * - the failure a caller sees is the statement's that failed first: once one fails, Postgres answers
 *   every later one with 25P02 (in_failed_sql_transaction), and the statement the caller happened to
 *   await is often a later one; code that maps SQLSTATEs to coded errors, or retries on some, must
 *   see the real one (23505, 57014, …), from the later statement and from the transaction alike.
 * - begin(mode): a mode that is not a list of PostgreSQL's transaction modes is refused before a
 *   connection is reserved (a BEGIN that fails would leave the statements pipelined behind it to run,
 *   and commit, each on its own); with a mode, nothing of the callback is sent before BEGIN answered.
 *
 * Postgres project only: PGlite runs drizzle's own transaction.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, postgresClientOf, type Database } from '../../src/db/connection.js';
import { send } from '../../src/db/pipeline.js';
import { isDatabaseUnavailable } from '../../src/db/unavailable.js';
import { driverError } from '../../src/server/graphql-errors.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/database.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

/** What `promise` failed with; a failure of the test if it succeeded. */
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    (value) => {
      throw new Error(`succeeded with ${JSON.stringify(value)}; it must fail`);
    },
    (error: unknown) => error,
  );

/** `promise`, or a failure naming `what` once `ms` have passed: a wait fails the test instead of stalling it. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The SQLSTATE the server's error mapping reads (the first code along drizzle's wrapper and its causes). */
const sqlstate = (error: unknown) => driverError(error).code;

describe.runIf(testDatabaseKind === 'postgres')('a Postgres transaction', () => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase({ poolSize: 2 });
    db = testDb.db;
    await db.execute(sql`create table transaction_marks (id int primary key)`);
  });
  afterAll(() => testDb?.drop());

  describe('its failure is the first failing statement’s, not a later statement’s 25P02', () => {
    test('a unique violation sent without awaiting it: the later statement awaited, and the transaction, fail with 23505', async () => {
      let later: unknown;
      const error = await failureOf(
        db.transaction(async (tx) => {
          send(tx.execute(sql`insert into transaction_marks values (1), (1)`));
          later = await failureOf(tx.execute(sql`select 1`));
          throw later;
        }),
      );
      expect(sqlstate(later)).toBe('23505');
      expect(sqlstate(error)).toBe('23505');
    });

    test('a statement timeout (57014) behind which later statements were pipelined', async () => {
      const error = await failureOf(
        db.transaction(async (tx) => {
          await tx.execute(sql`set local statement_timeout = '50ms'`);
          send(tx.execute(sql`select pg_sleep(2)`));
          send(tx.execute(sql`insert into transaction_marks values (2)`));
          await tx.execute(sql`select 1`);
        }),
      );
      expect(sqlstate(error)).toBe('57014');
    });

    test('a failure the callback never awaited: the refused COMMIT throws it', async () => {
      const error = await failureOf(
        db.transaction(async (tx) => {
          send(tx.execute(sql`insert into transaction_marks values (3), (3)`));
          return 'done';
        }),
      );
      expect(sqlstate(error)).toBe('23505');
    });

    test('a failure undone by a rolled-back savepoint is not the one a later failure is blamed on', async () => {
      const error = await failureOf(
        db.transaction(async (tx) => {
          const inSavepoint = await failureOf(tx.transaction(async (sp) => void (await sp.execute(sql`select 1 / 0`))));
          expect(sqlstate(inSavepoint)).toBe('22012');
          send(tx.execute(sql`insert into transaction_marks values (4), (4)`));
          await tx.execute(sql`select 1`);
        }),
      );
      expect(sqlstate(error)).toBe('23505');
    });

    test('an error the callback makes of a failure is what the transaction throws', async () => {
      const coded = new Error('the callback’s own error');
      const error = await failureOf(
        db.transaction(async (tx) => {
          await tx.execute(sql`insert into transaction_marks values (5), (5)`).catch(() => {
            throw coded;
          });
        }),
      );
      expect(error).toBe(coded);
    });

    test('nothing of a failed transaction is committed, and the connections serve the next one', async () => {
      const [{ n }] = (await db.execute(sql`select count(*)::int as n from transaction_marks`)) as unknown as [{ n: number }];
      expect(n).toBe(0);
      expect(await db.transaction(async (tx) => (await tx.execute(sql`select 6 as six`)) as unknown as [{ six: number }])).toEqual([{ six: 6 }]);
    });
  });

  describe('begin(mode)', () => {
    const NOT_MODES = [
      'isolation level serialisable',
      'serializable',
      'read write; insert into transaction_marks values (100)',
      "read only' --",
      'isolation level read committed read',
      'read only, , deferrable',
      'deferrable not',
    ];
    const marks = async () => ((await db.execute(sql`select id from transaction_marks order by id`)) as unknown as { id: number }[]).map((r) => r.id);

    test('a mode that is not a list of transaction modes is refused, and nothing of the callback runs (nor commits on its own)', async () => {
      const client = postgresClientOf(testDb);
      for (const mode of NOT_MODES) {
        let called = false;
        const error = await failureOf(
          client.begin(mode, async (tx) => {
            called = true;
            await tx.unsafe('insert into transaction_marks values (100)');
          }),
        );
        expect(await marks(), `${mode}: the callback's insert committed on its own`).toEqual([]);
        expect(called, mode).toBe(false);
        expect((error as Error).message, mode).toMatch(/not a transaction mode/i);
      }
    });

    test('the refusal comes before a connection is reserved: with the pool’s one connection taken, it is immediate', async () => {
      const handle = await openDatabase(testDb.url!, { poolSize: 1 });
      const client = postgresClientOf(handle);
      const held = await client.reserve();
      try {
        for (const mode of NOT_MODES) await within(2_000, mode, failureOf(client.begin(mode, async () => {})));
      } finally {
        held.release();
        await handle.close();
      }
    });

    test('the transaction modes, in any case, separated by commas or spaces, are what the transaction runs with', async () => {
      const client = postgresClientOf(testDb);
      for (const [mode, expected] of [
        ['', { isolation: 'read committed', read_only: 'off', deferrable: 'off' }],
        ['isolation level serializable', { isolation: 'serializable', read_only: 'off', deferrable: 'off' }],
        ['ISOLATION LEVEL REPEATABLE READ, READ ONLY', { isolation: 'repeatable read', read_only: 'on', deferrable: 'off' }],
        ['read write not deferrable', { isolation: 'read committed', read_only: 'off', deferrable: 'off' }],
        ['isolation level serializable read only deferrable', { isolation: 'serializable', read_only: 'on', deferrable: 'on' }],
        [' read only ,\n\tisolation  level read uncommitted ', { isolation: 'read uncommitted', read_only: 'on', deferrable: 'off' }],
      ] as const) {
        const [settings] = await client.begin(mode, (tx) =>
          tx.unsafe(`select current_setting('transaction_isolation') as isolation, current_setting('transaction_read_only') as read_only,
            current_setting('transaction_deferrable') as deferrable`),
        );
        expect({ ...settings }, mode).toEqual(expected);
      }
    });

    test('with a mode, nothing of the callback is sent before BEGIN answered: a BEGIN that fails leaves nothing to run outside the transaction', async () => {
      const target = new URL(testDb.url!);
      const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      const handle = await openDatabase(proxy.via(testDb.url!), { poolSize: 1 });
      try {
        const reset = proxy.resetOn(/begin read write/i);
        let called = false;
        const error = await within(
          5_000,
          'the transaction whose BEGIN was reset',
          failureOf(
            postgresClientOf(handle).begin('read write', async (tx) => {
              called = true;
              await tx.unsafe('insert into transaction_marks values (101)');
            }),
          ),
        );
        await reset;
        expect(isDatabaseUnavailable(error)).toBe(true);
        expect(called).toBe(false);
        expect(await marks()).toEqual([]);
      } finally {
        await handle.close();
        await proxy.close();
      }
    });
  });
});
