/**
 * WORKERS (src/server/cluster/): the setting's rules, the primary's back-off before it replaces a
 * worker that died, and its aggregate of the workers' metrics across a replacement. The processes themselves: test/integration/workers.test.ts.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ClusterMetrics, type MetricsJSON } from '../../src/server/cluster/metrics.js';
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

/** A worker's registry as the primary receives it: `requests` counted, `inFlight` now, `durations` observed. */
async function workerMetrics(slot: number, requests: number, inFlight: number, durations: number[] = []): Promise<MetricsJSON> {
  const registry = new Registry();
  const registers = [registry];
  new Counter({ name: 'requests_total', help: 'h', labelNames: ['route'], registers }).inc({ route: '/graphql' }, requests);
  new Gauge({ name: 'in_flight', help: 'h', registers }).set(inFlight);
  const histogram = new Histogram({ name: 'duration_seconds', help: 'h', buckets: [1], registers });
  for (const d of durations) histogram.observe(d);
  new Counter({ name: 'cpu_seconds_total', help: 'h', labelNames: ['worker'], registers }).inc({ worker: String(slot) }, requests / 100);
  return registry.getMetricsAsJSON();
}

const sample = (text: string, line: string) => {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
};

describe("the primary's aggregate of the workers' metrics", () => {
  test("a worker replaced: the cluster's counters and histograms never fall; its gauges go with it", async () => {
    const cluster = new ClusterMetrics();
    let text = await cluster.aggregate([await workerMetrics(0, 250, 3, [0.5, 2]), await workerMetrics(1, 750, 4, [0.5])]);
    expect(sample(text, 'requests_total{route="/graphql"}')).toBe(1000);
    expect(sample(text, 'in_flight')).toBe(7);
    expect(sample(text, 'duration_seconds_count')).toBe(3);

    // Slot 0's worker dies; the scrape before its replacement serves, then with the new one at 0, then at 10.
    cluster.retire(0);
    for (const [slot0, requests] of [
      [null, 1000],
      [await workerMetrics(0, 0, 0), 1000],
      [await workerMetrics(0, 10, 1, [0.5]), 1010],
    ] as const) {
      text = await cluster.aggregate([slot0, await workerMetrics(1, 750, 4, [0.5])]);
      expect(sample(text, 'requests_total{route="/graphql"}')).toBe(requests);
      expect(sample(text, 'duration_seconds_bucket{le="1"}')).toBeGreaterThanOrEqual(2);
      expect(sample(text, 'cpu_seconds_total{worker="0"}')).toBeCloseTo(requests / 100 - 7.5);
    }
    expect(sample(text, 'duration_seconds_count')).toBe(4);
    expect(sample(text, 'in_flight')).toBe(5); // the dead worker's 3 are not carried
    // A second death in the same place adds to the carry-over.
    cluster.retire(0);
    text = await cluster.aggregate([await workerMetrics(0, 1, 0), await workerMetrics(1, 760, 0)]);
    expect(sample(text, 'requests_total{route="/graphql"}')).toBe(250 + 10 + 1 + 760);
  });

  test('a worker that does not answer counts with its last counts, not with none', async () => {
    const cluster = new ClusterMetrics();
    await cluster.aggregate([await workerMetrics(0, 250, 3), await workerMetrics(1, 750, 4)]);
    const text = await cluster.aggregate([await workerMetrics(0, 260, 3), null], []);
    expect(sample(text, 'requests_total{route="/graphql"}')).toBe(1010);
    expect(sample(text, 'in_flight')).toBe(3);
  });
});
