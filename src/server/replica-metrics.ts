/**
 * The read replica's metrics, registered on a prom-client registry the caller passes in (the
 * /metrics route registers them on its own): where partner reads go now, the last measured replay
 * lag, and how many partner-read statements the primary served in the replica's stead, by cause.
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
    help: 'Whether partner reads go to the read replica (1), or to the primary (0: no replica configured, or it is down or lagging).',
    registers: [registry],
    collect() {
      this.set(reads.status().target === 'replica' ? 1 : 0);
    },
  });
  new Gauge({
    name: REPLICA_METRICS.lag,
    help: "The read replica's replay lag at its last check, in seconds; absent while no replica is configured or it does not answer.",
    registers: [registry],
    collect() {
      const { lagMs } = reads.status();
      this.reset();
      if (lagMs !== null) this.set(lagMs / 1000);
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
