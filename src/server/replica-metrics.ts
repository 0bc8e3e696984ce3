/**
 * The read replica's metrics, on the app's registry: createMetrics() (src/server/metrics.ts)
 * registers them when a replica is configured (DATABASE_READ_URL), and its close() unregisters them.
 * Where partner reads go now, the replay lag at the last check, and how many partner-read statements
 * the primary served in the replica's stead, by cause. The gauges are read at each scrape. In a
 * cluster (WORKERS) each worker checks the replica itself: the scrape shows the least `up` (0 while
 * any worker has left the replica) and the greatest lag.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ReadDatabases } from '../db/read-replica.js';

export const REPLICA_METRICS = {
  up: 'factcheck_read_replica_up',
  lag: 'factcheck_read_replica_lag_seconds',
  fallbacks: 'factcheck_partner_read_fallbacks_total',
} as const;

export function registerReplicaMetrics(registry: Registry, reads: ReadDatabases): { unregister(): void } {
  new Gauge({
    name: REPLICA_METRICS.up,
    help: 'Whether partner reads go to the read replica (1), or to the primary because it is down or lags past REPLICA_MAX_LAG_MS (0). Only with DATABASE_READ_URL set.',
    registers: [registry],
    aggregator: 'min',
    collect() {
      this.set(reads.status().target === 'replica' ? 1 : 0);
    },
  });
  new Gauge({
    name: REPLICA_METRICS.lag,
    help: "The read replica's replay lag at its last check, in seconds (0: caught up); no sample while it does not answer (the lag is unknown).",
    registers: [registry],
    aggregator: 'max',
    collect() {
      const { lagMs } = reads.status();
      // Not reset(): on a gauge without labels that leaves a sample of 0, a healthy-looking lag.
      if (lagMs === null) this.remove();
      else this.set(lagMs / 1000);
    },
  });
  const fallbacks = new Counter({
    name: REPLICA_METRICS.fallbacks,
    help: 'Partner-read statements the primary served instead of the read replica, by cause: down, lagging, or conflict (cancelled on the replica by a recovery conflict).',
    labelNames: ['cause'] as const,
    registers: [registry],
  });
  for (const cause of ['down', 'lagging', 'conflict'] as const) fallbacks.inc({ cause }, 0);
  const unsubscribe = reads.onFallback((cause) => fallbacks.inc({ cause }));
  return {
    unregister() {
      unsubscribe();
      for (const name of Object.values(REPLICA_METRICS)) registry.removeSingleMetric(name);
    },
  };
}
