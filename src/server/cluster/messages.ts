/**
 * What a cluster's primary and its workers say to each other over the IPC channel node:cluster opens
 * (every message's type starts with `factcheck:`).
 */

/** A worker listens and serves: the URL it listens on (the primary logs "factcheck API ready" once every worker sent it). */
export interface ReadyMessage {
  type: 'factcheck:ready';
  url: string;
}

/** A worker was scraped (`GET /metrics`): it asks the primary for every worker's metrics. */
export interface MetricsRequest {
  type: 'factcheck:metrics-request';
  id: number;
}

/** The primary's answer: Prometheus' text, or why there is none. */
export type MetricsResponse = { type: 'factcheck:metrics-response'; id: number } & ({ text: string } | { error: string });

/** The primary asks a ready worker for its registry, for a scrape. */
export interface GatherRequest {
  type: 'factcheck:metrics-gather';
  id: number;
}

/** A worker's registry, as prom-client's getMetricsAsJSON() (empty until the worker's app has one). */
export interface GatherResponse {
  type: 'factcheck:metrics-gathered';
  id: number;
  metrics: unknown[];
}

type Message = ReadyMessage | MetricsRequest | MetricsResponse | GatherRequest | GatherResponse;

export const isMessage = <T extends Message['type']>(message: unknown, type: T): message is Extract<Message, { type: T }> =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;

/** The environment variable that tells a worker its place (0 to WORKERS - 1), stable across its restarts. */
export const WORKER_SLOT_ENV = 'FACTCHECK_WORKER_SLOT';
