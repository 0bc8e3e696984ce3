/**
 * WORKERS (src/server/cluster/): the setting's rules, and the primary's back-off before it replaces a
 * worker that died. The processes themselves: test/integration/workers.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { nextRestart, RESTART_BACKOFF } from '../../src/server/cluster/restart-backoff.js';
import { StartupError } from '../../src/startup-error.js';

const POSTGRES = 'postgres://postgres@127.0.0.1:5432/factcheck';

describe('WORKERS', () => {
  test('unset, empty or 1: one process; 2 to 64 with Postgres: that many', () => {
    expect(loadConfig({ DATABASE_URL: POSTGRES }).WORKERS).toBe(1);
    expect(loadConfig({ DATABASE_URL: POSTGRES, WORKERS: '' }).WORKERS).toBe(1);
    expect(loadConfig({ WORKERS: '1' }).WORKERS).toBe(1); // the embedded default: one process is fine
    expect(loadConfig({ DATABASE_URL: POSTGRES, WORKERS: '2' }).WORKERS).toBe(2);
    expect(loadConfig({ DATABASE_URL: POSTGRES, WORKERS: '64' }).WORKERS).toBe(64);
  });

  test.each(['0', '-1', 'x', '1.5', '65'])('WORKERS=%s is refused as an invalid setting, with its rule and value', (value) => {
    expect(() => loadConfig({ DATABASE_URL: POSTGRES, WORKERS: value })).toThrow(StartupError);
    expect(() => loadConfig({ DATABASE_URL: POSTGRES, WORKERS: value })).toThrow(
      `invalid configuration: WORKERS must be an integer from 1 to 64 (server processes on one port; more than 1 needs a postgres:// DATABASE_URL) (got "${value}")`,
    );
  });

  test.each([undefined, 'pglite:./.data/factcheck', 'memory:'])('WORKERS=2 with an embedded DATABASE_URL (%s) is refused, saying why', (url) => {
    const env = { WORKERS: '2', ...(url ? { DATABASE_URL: url } : {}) };
    expect(() => loadConfig(env)).toThrow(StartupError);
    expect(() => loadConfig(env)).toThrow(
      /^invalid configuration: WORKERS=2 needs a postgres:\/\/ DATABASE_URL; DATABASE_URL is embedded \((pglite|memory):\).*one process per embedded folder/,
    );
  });
});

describe("the primary's back-off before it replaces a dead worker", () => {
  test('the first death waits the base; each one in a row twice as long, up to the cap', () => {
    let deaths = 0;
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      const next = nextRestart(deaths, 1_000);
      deaths = next.deaths;
      delays.push(next.delayMs);
    }
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000]);
    expect(deaths).toBe(10);
    expect(nextRestart(10_000, 0).delayMs).toBe(RESTART_BACKOFF.maxMs); // no overflow however long the row
  });

  test('a worker that ran a minute ends the row: its death waits the base again', () => {
    expect(nextRestart(7, RESTART_BACKOFF.stableMs)).toEqual({ deaths: 1, delayMs: RESTART_BACKOFF.baseMs });
    expect(nextRestart(7, RESTART_BACKOFF.stableMs - 1)).toEqual({ deaths: 8, delayMs: RESTART_BACKOFF.maxMs });
  });
});
