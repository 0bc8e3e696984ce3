/**
 * The worker's side of a cluster (WORKERS > 1, src/server/cluster/primary.ts): it tells the primary
 * when it serves, answers the primary's requests for its registry, and its `GET /metrics` answers for
 * every worker, the primary gathering them (cluster/metrics.ts).
 */
import cluster from 'node:cluster';
import type { Registry } from 'prom-client';
import { isMessage, WORKER_SLOT_ENV, type GatherResponse, type MetricsRequest, type ReadyMessage } from './messages.js';

/** How long a scrape waits for the primary (which waits GATHER_TIMEOUT_MS at most for each worker). */
const METRICS_WAIT_MS = 10_000;

export interface ClusterWorker {
  /**
   * Labels on this process's own series (process_*, nodejs_*), so that the workers' stay apart: its
   * place, 0 to WORKERS - 1, which its replacement takes over (a pid would start new series each time).
   */
  processLabels: { worker: string };
  /** The registry the primary's requests read. */
  shareMetrics(registry: Registry): void;
  /** Every worker's metrics, aggregated by the primary, in Prometheus' text format. */
  clusterMetrics(): Promise<string>;
  /** Tells the primary that this worker serves, on `url`. */
  ready(url: string): void;
}

/** Null outside a cluster worker. Until shareMetrics(), the worker answers the primary with no metrics. */
export function joinCluster(): ClusterWorker | null {
  if (!cluster.isWorker) return null;
  // With a callback, a closed channel (the primary gone) is an error handed to it, not an 'error' event that ends the process.
  const send = (message: ReadyMessage | MetricsRequest | GatherResponse, failed: (error: Error) => void = () => {}) =>
    process.send!(message, undefined, {}, (error: Error | null) => {
      if (error) failed(error);
    });

  let shared: Registry | null = null;
  let lastId = 0;
  const waiting = new Map<number, { resolve(text: string): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  process.on('message', (message) => {
    if (isMessage(message, 'factcheck:metrics-gather')) {
      void (shared?.getMetricsAsJSON() ?? Promise.resolve([])).then((metrics) => send({ type: 'factcheck:metrics-gathered', id: message.id, metrics }));
      return;
    }
    if (!isMessage(message, 'factcheck:metrics-response')) return;
    const request = waiting.get(message.id);
    if (!request) return;
    waiting.delete(message.id);
    clearTimeout(request.timer);
    if ('text' in message) request.resolve(message.text);
    else request.reject(new Error(`the primary could not gather the workers' metrics: ${message.error}`));
  });

  return {
    processLabels: { worker: process.env[WORKER_SLOT_ENV] ?? '0' },
    shareMetrics: (registry) => (shared = registry),
    clusterMetrics: () =>
      new Promise((resolve, reject) => {
        const id = ++lastId;
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`the primary did not answer within ${METRICS_WAIT_MS} ms`));
        }, METRICS_WAIT_MS);
        const request = { resolve, reject, timer };
        waiting.set(id, request);
        send({ type: 'factcheck:metrics-request', id }, (error) => {
          waiting.delete(id);
          clearTimeout(timer);
          reject(error);
        });
      }),
    ready: (url) => send({ type: 'factcheck:ready', url }),
  };
}
