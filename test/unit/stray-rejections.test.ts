import { expect, test } from 'vitest';
import { isDatabaseConnectionLoss } from '../../src/server/stray-rejections.js';

const withCode = (code: unknown) => Object.assign(new Error('x'), { code });

test('driver, socket and Postgres connection-class codes are connection losses', () => {
  for (const code of ['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET', '57P01', '57P03', '08006']) {
    expect(isDatabaseConnectionLoss(withCode(code)), code).toBe(true);
  }
});

test('anything else is not: a programming error must still end the process', () => {
  for (const reason of [new TypeError('x is undefined'), withCode('23505'), withCode('42P01'), withCode(57), 'CONNECTION_CLOSED', null, undefined]) {
    expect(isDatabaseConnectionLoss(reason)).toBe(false);
  }
});
