import { expect, test } from 'vitest';
import { hasStopped, isDatabaseUnavailable, isStorageFull } from '../../src/db/unavailable.js';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });
/** drizzle's wrapper: "Failed query: …" with the driver's error as its cause. */
const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: insert into …'), { cause });

test('the database unreachable or gone: refused, reset, timed out, terminated (by hand or a session timeout), shutting down, starting up, no writable host', () => {
  // 57P05 idle_session_timeout, 25P03 idle_in_transaction_session_timeout, 25P04 transaction_timeout.
  for (const code of [
    'ECONNREFUSED',
    'ECONNRESET',
    'CONNECT_TIMEOUT',
    'CONNECTION_CLOSED',
    '57P01',
    '57P02',
    '57P03',
    '57P05',
    '25P03',
    '25P04',
    '08006',
    '08001',
    'NO_WRITABLE_HOST',
  ]) {
    expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
    expect(isDatabaseUnavailable(wrapped(withCode(code))), `wrapped ${code}`).toBe(true);
  }
});

test("the request's own failures are not: constraint violations, cancelled statements, syntax, a pool this process ended, bugs", () => {
  // CONNECTION_ENDED / CONNECTION_DESTROYED: this process ended its own pool.
  for (const code of ['23505', '23503', '57014', '42601', '40001', '22P02', '25P02', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED'])
    expect(isDatabaseUnavailable(wrapped(withCode(code))), code).toBe(false);
  expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
  expect(isDatabaseUnavailable(null)).toBe(false);
  expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
});

test('a full disk (SQLSTATE 53100) and a stopped embedded database are the database being unavailable; each is told apart', () => {
  const diskFull = wrapped(withCode('53100', 'could not extend file "base/5/16391": No space left on device'));
  const stopped = Object.assign(new Error('the embedded database stopped'), { code: 'EMBEDDED_DATABASE_STOPPED', cause: withCode('53100') });
  expect(isDatabaseUnavailable(diskFull)).toBe(true);
  expect(isDatabaseUnavailable(wrapped(stopped))).toBe(true);
  expect(isStorageFull(diskFull)).toBe(true);
  expect(hasStopped(diskFull)).toBe(false);
  // A PANIC over a full disk stopped it: that is what the client hears, not "storage full".
  expect(isStorageFull(wrapped(stopped))).toBe(false);
  expect(hasStopped(wrapped(stopped))).toBe(true);
  expect(isStorageFull(wrapped(withCode('ECONNREFUSED')))).toBe(false);
  expect(hasStopped(wrapped(withCode('57P01')))).toBe(false);
});
