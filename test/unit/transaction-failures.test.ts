/**
 * TransactionFailures (src/db/transaction-failures.ts) on answers the test settles in the order it
 * picks: what the server's order cannot show (a handler that runs late, a savepoint rolled back
 * before its failure's handler ran). The real thing: test/integration/postgres-transactions.test.ts.
 */
import { expect, test } from 'vitest';
import { TransactionFailures } from '../../src/db/transaction-failures.js';

const withCode = (code: string) => Object.assign(new Error(code), { code });
/** drizzle's wrapper: "Failed query: …" with the driver's error as its cause. */
const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: select …'), { cause });

/** A statement's answer to come, settled by the test. */
function statement() {
  let fail!: (error: unknown) => void;
  let succeed!: (value: string) => void;
  const answer = new Promise<string>((resolve, reject) => ((succeed = resolve), (fail = reject)));
  return { answer, fail, succeed };
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

test('a 25P02 rejects with the failure before it; the transaction’s 25P02 (or a wrapper of one) is replaced by it; other errors are left', async () => {
  const failures = new TransactionFailures();
  const [first, later] = [statement(), statement()];
  const a = failures.track(first.answer);
  const b = failures.track(later.answer);
  const unique = withCode('23505');
  first.fail(unique);
  later.fail(withCode('25P02'));
  expect(await failureOf(a.answer)).toBe(unique);
  expect(await failureOf(b.answer)).toBe(unique);
  expect(failures.first).toBe(unique);
  expect(failures.instead(wrapped(withCode('25P02')))).toBe(unique);
  const coded = new Error('a coded error the caller made');
  expect(failures.instead(coded)).toBe(coded);
});

test('the first failure is the one sent first, whichever handler runs first; a 25P02 is never one', async () => {
  const failures = new TransactionFailures();
  const [first, second] = [statement(), statement()];
  failures.track(first.answer).answer.catch(() => {});
  failures.track(second.answer).answer.catch(() => {});
  const lost = withCode('08006');
  second.fail(lost);
  const soon = new Promise((resolve) => setTimeout(() => resolve('still waiting'), 20));
  expect(await Promise.race([failures.answered().then(() => 'answered'), soon]), 'the first statement is unanswered').toBe('still waiting');
  expect(failures.first).toBe(lost);
  const deadlock = withCode('40P01');
  first.fail(deadlock);
  await failures.answered();
  expect(failures.first).toBe(deadlock);

  const only25P02 = new TransactionFailures();
  const refused = statement();
  only25P02.track(refused.answer).answer.catch(() => {});
  refused.fail(withCode('25P02'));
  await only25P02.answered();
  expect(only25P02.first).toBeUndefined();
});

test('a savepoint rolled back to undoes the failures sent in it, also one whose handler runs after the rollback', async () => {
  const failures = new TransactionFailures();
  const [savepoint, inside, rollback, after] = [statement(), statement(), statement(), statement()];
  const begun = failures.track(savepoint.answer);
  failures.track(inside.answer).answer.catch(() => {});
  const undo = failures.track(rollback.answer);
  savepoint.succeed('SAVEPOINT');
  rollback.succeed('ROLLBACK');
  await undo.answer;
  failures.rolledBack(begun.at, undo.at);
  inside.fail(withCode('22012'));
  await failures.answered();
  expect(failures.first).toBeUndefined();

  // Recorded before the rollback: cleared by it. One sent after it counts.
  const again = new TransactionFailures();
  const s = again.track(Promise.resolve('SAVEPOINT'));
  again.track(Promise.reject(withCode('22012'))).answer.catch(() => {});
  await again.answered();
  expect(again.first).toMatchObject({ code: '22012' });
  again.rolledBack(s.at, again.track(Promise.resolve('ROLLBACK')).at);
  expect(again.first).toBeUndefined();
  const unique = withCode('23505');
  again.track(after.answer).answer.catch(() => {});
  after.fail(unique);
  await again.answered();
  expect(again.first).toBe(unique);
});

test('the driver’s refusal of a statement it could not build is the first failure: on a reserved connection it sends a stand-in that aborts the transaction', async () => {
  const failures = new TransactionFailures();
  const [refused, behind] = [statement(), statement()];
  const a = failures.track(refused.answer);
  const b = failures.track(behind.answer);
  const undefinedValue = wrapped(withCode('UNDEFINED_VALUE'));
  refused.fail(undefinedValue);
  behind.fail(withCode('25P02'));
  expect(await failureOf(a.answer)).toBe(undefinedValue);
  expect(await failureOf(b.answer)).toBe(undefinedValue);
  expect(failures.first).toBe(undefinedValue);
});
