/**
 * The Postgres transaction (src/db/connection.ts, `pipelinedTransaction`): BEGIN goes out with the
 * first statements, and statements sent without being awaited one by one are pipelined
 * (src/db/pipeline.ts). What that must not change:
 *
 * - the failure a caller sees is the statement's that failed first: once one fails, Postgres answers
 *   every later one with 25P02 (in_failed_sql_transaction), and the statement the caller happened to
 *   await is often a later one; code that maps SQLSTATEs to coded errors, or retries on some, must
 *   see the real one (23505, 57014, …), from the later statement and from the transaction alike.
 *
 * Postgres project only: PGlite runs drizzle's own transaction.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { send } from '../../src/db/pipeline.js';
import { driverError } from '../../src/server/graphql-errors.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/database.js';

/** What `promise` failed with; a failure of the test if it succeeded. */
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    (value) => {
      throw new Error(`succeeded with ${JSON.stringify(value)}; it must fail`);
    },
    (error: unknown) => error,
  );

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
});
