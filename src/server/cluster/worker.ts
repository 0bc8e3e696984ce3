/**
 * The worker's side of a cluster (WORKERS > 1, src/server/cluster/primary.ts): it tells the primary
 * when it serves, and its `GET /metrics` answers for every worker, the primary gathering them with
 * prom-client's AggregatorRegistry.
 */
import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { isMessage, type MetricsRequest, type ReadyMessage } from './messages.js';

/** How long a scrape waits for the primary (which gives up on a silent worker after prom-client's 5 s). */
const METRICS_WAIT_MS = 10_000;

export interface ClusterWorker {
  /** Labels on this process's own series (process_*, nodejs_*), so that the workers' stay apart. */
  processLabels: { pid: string };
  /** The registry the primary's requests read (prom-client answers them from it). */
  shareMetrics(registry: Registry): void;
  /** Every worker's metrics, aggregated by the primary, in Prometheus' text format. */
  clusterMetrics(): Promise<string>;
  /** Tells the primary that this worker serves, on `url`. */
  ready(url: string): void;
}

/**
 * Null outside a cluster worker. Call it first thing: prom-client's listener for the primary's
 * requests is installed here, and a request that reaches a worker before it (while its modules
 * load) is lost, which would hold every scrape of the cluster up for prom-client's 5 s timeout.
 * Until shareMetrics(), the worker answers with no metrics.
 */
export function joinCluster(): ClusterWorker | null {
  if (!cluster.isWorker) return null;
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([]);
  // With a callback, a closed channel (the primary gone) is an error handed to it, not an 'error' event that ends the process.
  const send = (message: ReadyMessage | MetricsRequest, failed: (error: Error) => void = () => {}) =>
    process.send!(message, undefined, {}, (error: Error | null) => {
      if (error) failed(error);
    });

  let lastId = 0;
  const waiting = new Map<number, { resolve(text: string): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  process.on('message', (message) => {
    if (!isMessage(message, 'factcheck:metrics-response')) return;
    const request = waiting.get(message.id);
    if (!request) return;
    waiting.delete(message.id);
    clearTimeout(request.timer);
    if ('text' in message) request.resolve(message.text);
    else request.reject(new Error(`the primary could not gather the workers' metrics: ${message.error}`));
  });

  return {
    processLabels: { pid: String(process.pid) },
    shareMetrics: (registry) => AggregatorRegistry.setRegistries([registry]),
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
