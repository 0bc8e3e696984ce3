/**
 * Statements sent without waiting for the one before to answer. In a transaction, postgres.js
 * queues them on the transaction's connection and writes those sent within one tick in one go (a
 * pipeline: one round trip, one socket write, instead of one each); PGlite runs them one after
 * another. Either way they run in the order they were sent, each once the one before has finished,
 * as if each had been awaited in turn: a statement sent behind `SELECT … FOR UPDATE` runs once the
 * lock is granted, with a snapshot that sees everything committed before that.
 *
 * A failure aborts the transaction: the statements sent after it fail too, and it rolls back. On
 * Postgres they fail with that first failure, and so does the transaction (src/db/transaction-failures.ts);
 * PGlite's fail with 25P02 (in_failed_sql_transaction). Wait for every statement sent (`Promise.all`)
 * before the transaction ends, to see the first failure on both.
 */

import { is } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Queryable } from './connection.js';

/** Whether `db` is a transaction already (a transaction begun in it is a savepoint). */
export const isTransaction = (db: Queryable): boolean => is(db, PgTransaction);

/**
 * Sends `query` (a drizzle query, which runs when its `then` is called) now, and returns its answer
 * to come. The promise is marked as handled at once (its failure is also the transaction's), so that
 * a failure that arrives before the caller awaits it is not an unhandled rejection.
 */
export function send<T>(query: PromiseLike<T>): Promise<T> {
  const answer = new Promise<T>((resolve, reject) => void query.then(resolve, reject));
  answer.catch(() => {});
  return answer;
}
