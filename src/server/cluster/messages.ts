/**
 * What a cluster's primary and its workers say to each other over the IPC channel node:cluster opens
 * (prom-client's own `prom-client:getMetrics…` messages share it; ours start with `factcheck:`).
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

/** The primary's answer: Prometheus' text, or why there is none (a worker did not answer in time). */
export type MetricsResponse = { type: 'factcheck:metrics-response'; id: number } & ({ text: string } | { error: string });

type Message = ReadyMessage | MetricsRequest | MetricsResponse;

export const isMessage = <T extends Message['type']>(message: unknown, type: T): message is Extract<Message, { type: T }> =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
