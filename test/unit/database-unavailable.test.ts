import { expect, test } from 'vitest';
import { isDatabaseUnavailable } from '../../src/db/unavailable.js';

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
