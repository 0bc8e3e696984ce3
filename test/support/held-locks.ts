/**
 * Locks held by the test's own transaction while the server under test runs into them: `lock` runs
 * in a transaction that stays open until the returned release() (idempotent: a test also releases
 * in `finally`, so that a failure never leaves a lock held).
 */
import type { Database, Transaction } from '../../src/db/connection.js';

export async function holdLocks(db: Database, lock: (tx: Transaction) => Promise<unknown>): Promise<() => Promise<void>> {
  let release = () => {};
  let done: Promise<void> = Promise.resolve();
  await new Promise<void>((locked) => {
    done = db.transaction(async (tx) => {
      await lock(tx);
      locked();
      await new Promise<void>((resolve) => (release = resolve));
    });
  });
  return async () => {
    release();
    await done;
  };
}
