/**
 * createMetrics() and the read replica: its metrics are on the app's registry only when a replica is
 * configured, read the replica's state at each scrape (no lag sample while it is unknown, never a
 * 0 that looks healthy), count fallbacks, and are gone (listener included) after close(). Against a
 * stand-in for ReadDatabases; the real thing over HTTP: test/integration/read-replica-metrics.test.ts.
 */
import { describe, expect, test } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import type { FallbackCause, ReadDatabases, ReplicaStatus } from '../../src/db/read-replica.js';
import { createLogger } from '../../src/server/logger.js';
import { createMetrics } from '../../src/server/metrics.js';
import { REPLICA_METRICS } from '../../src/server/replica-metrics.js';
import { parsePrometheus } from '../support/prometheus.js';

const database = { kind: 'postgres', poolSize: 1, db: {}, observe: () => () => {} } as unknown as DatabaseHandle;

function fakeReads(configured: boolean) {
  const listeners = new Set<(cause: FallbackCause) => void>();
  const state: ReplicaStatus = { configured, target: configured ? 'replica' : 'primary', reason: null, lagMs: configured ? 0 : null };
  const reads = {
    status: () => ({ ...state }),
    onFallback(listener: (cause: FallbackCause) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as ReadDatabases;
  return { reads, state, listeners, fallBack: (cause: FallbackCause) => listeners.forEach((l) => l(cause)) };
}

async function sample(metrics: ReturnType<typeof createMetrics>, name: string, labels: Record<string, string> = {}) {
  const samples = parsePrometheus(await metrics.registry.metrics());
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

describe('the read replica’s metrics on the app registry', () => {
  test('registered with a replica: up, lag and fallbacks follow its state; close() removes them and stops listening', async () => {
    const fake = fakeReads(true);
    const metrics = createMetrics(database, createLogger('silent'), fake.reads);
    expect(await sample(metrics, REPLICA_METRICS.up)).toBe(1);
    expect(await sample(metrics, REPLICA_METRICS.lag)).toBe(0);
    for (const cause of ['down', 'lagging', 'conflict']) expect(await sample(metrics, REPLICA_METRICS.fallbacks, { cause })).toBe(0);

    Object.assign(fake.state, { target: 'primary', reason: 'lagging', lagMs: 7_250 });
    fake.fallBack('lagging');
    expect(await sample(metrics, REPLICA_METRICS.up)).toBe(0);
    expect(await sample(metrics, REPLICA_METRICS.lag)).toBe(7.25);
    expect(await sample(metrics, REPLICA_METRICS.fallbacks, { cause: 'lagging' })).toBe(1);

    Object.assign(fake.state, { reason: 'down', lagMs: null });
    fake.fallBack('down');
    fake.fallBack('conflict');
    expect(await sample(metrics, REPLICA_METRICS.lag)).toBeUndefined();
    expect(await metrics.registry.metrics()).toContain(`# TYPE ${REPLICA_METRICS.lag} gauge`);
    expect(await sample(metrics, REPLICA_METRICS.fallbacks, { cause: 'down' })).toBe(1);
    expect(await sample(metrics, REPLICA_METRICS.fallbacks, { cause: 'conflict' })).toBe(1);

    expect(fake.listeners.size).toBe(1);
    metrics.close();
    expect(fake.listeners.size).toBe(0);
    for (const name of Object.values(REPLICA_METRICS)) expect(metrics.registry.getSingleMetric(name)).toBeUndefined();
    metrics.close(); // twice is harmless
  });

  test('not registered without a replica (or without reads at all)', async () => {
    for (const reads of [fakeReads(false).reads, undefined]) {
      const metrics = createMetrics(database, createLogger('silent'), reads);
      const text = await metrics.registry.metrics();
      expect(text).toContain('db_pool_max_connections');
      expect(text).not.toContain('factcheck_read_replica');
      expect(text).not.toContain('factcheck_partner_read_fallbacks');
      metrics.close();
    }
  });
});
