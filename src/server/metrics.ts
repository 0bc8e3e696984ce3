/**
 * Prometheus metrics (prom-client), one registry per app: tests run several apps in a process, and
 * prom-client's global registry would mix them (and refuse a second metric of the same name).
 *
 * Label values are bounded: routes are the route patterns of http-errors.ts's ROUTES, never a raw
 * path; operation names are the first MAX_OPERATION_NAMES distinct ones, then "other"; outcomes
 * are error codes (the server masks any code it does not know as INTERNAL_SERVER_ERROR); no ID
 * is ever a label.
 *
 * In a cluster (WORKERS > 1) a scrape answers for every worker: the primary sums each metric
 * across the workers (prom-client's default `aggregator`) unless it says otherwise, with the counts
 * of replaced workers carried over (cluster/metrics.ts); each worker's process_* and nodejs_* series
 * carry its place, `worker` (0 to WORKERS - 1); what is read from the database at the scrape
 * (READ_AT_SCRAPE) is the scraped worker's reading alone.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DatabaseHandle } from '../db/connection.js';
import type { ReadDatabases } from '../db/read-replica.js';
import { deliveryBacklog } from '../domain/webhooks/deliveries.js';
import type { DispatchObserver } from '../jobs/webhook-dispatcher.js';
import type { ReleaseObserver } from '../jobs/publication-release.js';
import type { FeedObserver } from '../domain/external-sources/settings.js';
import { lastSuccesses } from '../domain/external-sources/metrics.js';
import { codeOfStatus, ROUTES } from './http-errors.js';
import { IDE_ASSET_PATH } from './routes/graphql-ide.js';
import { droppedLogLines, type Logger } from './logger.js';
import type { ClusterWorker } from './cluster/worker.js';
import type { OperationReport } from './operation-report.js';
import { registerReplicaMetrics } from './replica-metrics.js';

/**
 * Gauges read from the database at each scrape, the same in every process: a cluster's scrape takes
 * them from the scraped worker only (fresh), not summed across workers (stale, and N times over).
 */
export const READ_AT_SCRAPE = ['webhook_deliveries', 'webhook_delivery_oldest_due_seconds', 'external_source_last_success_timestamp_seconds'];

/** Distinct operation names given a label of their own; later ones count as "other". */
export const MAX_OPERATION_NAMES = 100;

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** How long a scrape waits for the gauges read from the database before answering with their last values. */
const SCRAPE_WAITS_FOR_DATABASE_MS = 1_000;

const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** The route pattern of a path (its ROUTES entry), or "unmatched": never the path itself. */
export function routeOf(path: string): string {
  const route = ROUTES.find((r) => r.path.test(path));
  if (route) return route.pattern;
  if (path.startsWith(`${IDE_ASSET_PATH}/`)) return `${IDE_ASSET_PATH}/:file`;
  return 'unmatched';
}

export interface AppMetrics {
  registry: Registry;
  /** A request has reached the server; http() follows when its response is sent or cut off. */
  httpStarted(): void;
  /** One HTTP response, by the path it was asked for (mapped to its route pattern). */
  http(path: string, method: string, status: number, seconds: number): void;
  /** One /graphql request, from its report (and its HTTP status, for an error answered outside Apollo without a code). */
  operation(report: OperationReport, finishedAt: number, status: number): void;
  /** For the webhook dispatcher of the same process. */
  dispatch: DispatchObserver;
  /** For the release of scheduled publications of the same process. */
  release: ReleaseObserver;
  /** For feed fetches of the same process (the job's and fetchExternalSource's). */
  feeds: FeedObserver;
  /** What `GET /metrics` answers, in Prometheus' text format, with what is measured in the database read first: every worker's in a cluster. */
  scrape(): Promise<string>;
  /** Stops observing the database (and the read replica), and removes the replica's metrics. */
  close(): void;
}

/**
 * The app's registry and what feeds it. With `reads` naming a configured read replica
 * (DATABASE_READ_URL), the replica's metrics (replica-metrics.ts) are on it too; without one they are
 * not registered at all, so that `factcheck_read_replica_up == 0` always means a replica that partner
 * reads have left, never a process that has none.
 */
export function createMetrics(database: DatabaseHandle, logger: Logger, reads?: ReadDatabases, cluster: ClusterWorker | null = null): AppMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, ...(cluster ? { labels: cluster.processLabels } : {}) });
  if (cluster) {
    // prom-client leaves each process's start time out of a cluster's aggregate (aggregator 'omit'):
    // labelled by its place, each worker's is a series of its own, and says when that place's worker last started.
    Object.assign(registry.getSingleMetric('process_start_time_seconds')!, { aggregator: 'first' });
    cluster.shareMetrics(registry);
  }
  const replica = reads?.status().configured ? registerReplicaMetrics(registry, reads) : null;

  const httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP responses by route pattern, method and status',
    labelNames: ['route', 'method', 'status'],
    registers,
  });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from a request reaching the server to its response being sent, by route pattern, method and status',
    labelNames: ['route', 'method', 'status'],
    registers,
  });

  // What a drain waits for, and how a test knows every request it sent has arrived.
  const httpInFlight = new Gauge({
    name: 'http_requests_in_flight',
    help: 'HTTP requests received and not yet answered (a scrape counts itself)',
    registers,
  });

  const operations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL requests by operation name (the first 100 distinct names, then "other"; "anonymous" without a name; "unknown" when the operation was never resolved), type and outcome ("ok" or the first error code)',
    labelNames: ['operation_name', 'operation_type', 'outcome'],
    registers,
  });
  const operationDuration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'Time from a request reaching /graphql to its GraphQL response being ready, by operation name and type',
    labelNames: ['operation_name', 'operation_type'],
    registers,
  });

  const queryDuration = new Histogram({
    name: 'db_query_duration_seconds',
    help: 'Database statements sent by the API, from the call (including the wait for a free pool connection) to the answer, by outcome (ok or error)',
    labelNames: ['outcome'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const queriesInFlight = new Gauge({
    name: 'db_queries_in_flight',
    help: 'Statements sent and not yet answered (more than db_pool_max_connections: some wait for a connection)',
    registers,
  });
  const transactionsOpen = new Gauge({ name: 'db_transactions_open', help: 'Transactions in progress, each holding a pool connection', registers });
  const poolMax = new Gauge({
    name: 'db_pool_max_connections',
    help: 'Connections the pool may open (DATABASE_POOL_SIZE; 1 on PGlite)',
    labelNames: ['database'],
    registers,
  });
  poolMax.set({ database: database.kind }, database.poolSize);

  const attempts = new Counter({
    name: 'webhook_delivery_attempts_total',
    help: 'Webhook attempts made by this process, by the state they left the delivery in (DELIVERED, PENDING: a retry is scheduled, FAILED, LEASE_LOST, UNRECORDED: the outcome could not be written)',
    labelNames: ['state'],
    registers,
  });
  const lag = new Histogram({
    name: 'webhook_delivery_lag_seconds',
    help: 'How late a webhook attempt started: from the delivery falling due to its claim by this process',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers,
  });
  const releases = new Counter({
    name: 'scheduled_publications_released_total',
    help: 'Scheduled publications this process released (each is released by exactly one process)',
    registers,
  });
  const releaseLateness = new Histogram({
    name: 'scheduled_publication_lateness_seconds',
    help: 'How late a scheduled publication became visible: from its publishAt to its release by this process',
    buckets: [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30, 60, 300, 3600],
    registers,
  });
  const queued = new Gauge({
    name: 'webhook_deliveries',
    help: 'Webhook deliveries waiting, read from the database at each scrape (the same in every process): state="PENDING" all of them, state="DUE" those to enabled endpoints due now',
    labelNames: ['state'],
    registers,
    aggregator: 'omit',
  });
  const oldestDue = new Gauge({
    name: 'webhook_delivery_oldest_due_seconds',
    help: 'How long the longest-due webhook delivery to an enabled endpoint has waited (0: none due), read at each scrape',
    registers,
    aggregator: 'omit',
  });

  const feedFetches = new Counter({
    name: 'external_source_fetches_total',
    help: 'Feed fetches made by this process, by outcome (success, not_modified: a 304, error)',
    labelNames: ['outcome'],
    registers,
  });
  const feedItems = new Counter({
    name: 'external_fact_checks_imported_total',
    help: 'External fact checks brought in by feed fetches of this process, by kind (created, updated)',
    labelNames: ['kind'],
    registers,
  });
  // The one metric labelled by an ID: feeds are few, registered by editors, and read from the
  // database at each scrape (the same in every process), so a deleted feed's series goes with it.
  const feedLastSuccess = new Gauge({
    name: 'external_source_last_success_timestamp_seconds',
    help: 'When each feed was last fetched successfully (unix seconds), by feed ID (its global ID), read from the database at each scrape',
    labelNames: ['source_id'],
    registers,
    aggregator: 'omit',
  });

  new Counter({
    name: 'log_lines_dropped_total',
    help: 'Log lines this process dropped: more than 64 MiB of lines waited for a reader of stdout that fell behind',
    registers,
    collect() {
      this.reset();
      this.inc(droppedLogLines());
    },
  });

  const names = new Set<string>();
  const nameLabel = (report: OperationReport) => {
    if (!report.resolved) return 'unknown';
    if (report.name === null) return 'anonymous';
    if (names.has(report.name)) return report.name;
    if (names.size >= MAX_OPERATION_NAMES) return 'other';
    names.add(report.name);
    return report.name;
  };

  // A labelled observation hashes its labels into a key each time; the children for a combination
  // of labels are looked up once (label combinations are bounded, see above).
  const statementOk = queryDuration.labels({ outcome: 'ok' });
  const statementFailed = queryDuration.labels({ outcome: 'error' });
  const httpChildren = new Map<string, { count: { inc(): void }; duration: { observe(v: number): void } }>();
  const operationChildren = new Map<string, { inc(): void }>();
  const durationChildren = new Map<string, { observe(v: number): void }>();
  const child = <T>(children: Map<string, T>, key: string, make: () => T): T => {
    let found = children.get(key);
    if (!found) children.set(key, (found = make()));
    return found;
  };

  const stopObserving = database.observe({
    queryStarted: () => queriesInFlight.inc(),
    queryEnded(seconds, failed) {
      queriesInFlight.dec();
      (failed ? statementFailed : statementOk).observe(seconds);
    },
    transactionStarted: () => transactionsOpen.inc(),
    transactionEnded: () => transactionsOpen.dec(),
  });

  let refreshing: Promise<void> | null = null;
  /** The gauges read from the database (READ_AT_SCRAPE); a failed read keeps the last values, and is logged. */
  async function refresh() {
    try {
      // Read first, then replace the series in one synchronous step: a scrape meanwhile (the read
      // slow or failed) answers with the last values, never with none.
      const feeds = await lastSuccesses(database.db);
      feedLastSuccess.reset();
      for (const feed of feeds) feedLastSuccess.set({ source_id: feed.id }, feed.seconds);
    } catch (error) {
      logger.warn({ err: error }, 'metrics: could not read the feeds');
    }
    try {
      const backlog = await deliveryBacklog(database.db);
      queued.set({ state: 'PENDING' }, backlog.pending);
      queued.set({ state: 'DUE' }, backlog.due);
      oldestDue.set(backlog.oldestDueSeconds);
    } catch (error) {
      // The scrape still answers (the process metrics matter most when the database is away).
      logger.warn({ err: error }, 'metrics: could not read the webhook queue');
    }
  }

  return {
    registry,
    httpStarted() {
      httpInFlight.inc();
    },
    http(path, method, status, seconds) {
      httpInFlight.dec();
      const route = routeOf(path);
      const methodLabel = METHODS.has(method) ? method : 'OTHER';
      const response = child(httpChildren, `${route} ${methodLabel} ${status}`, () => {
        const labels = { route, method: methodLabel, status: String(status) };
        return { count: httpRequests.labels(labels), duration: httpDuration.labels(labels) };
      });
      response.count.inc();
      response.duration.observe(seconds);
    },
    operation(report, finishedAt, status) {
      // Apollo's own refusals before an operation (CSRF prevention, a bad request line) carry no code we saw.
      const first = report.codes[0] ?? (status >= 400 ? codeOfStatus(status) : undefined);
      const labels = { operation_name: nameLabel(report), operation_type: report.type ?? 'unknown' };
      const outcome = first === undefined ? 'ok' : CODE.test(first) ? first : 'OTHER_ERROR';
      const key = `${labels.operation_name} ${labels.operation_type}`;
      child(operationChildren, `${key} ${outcome}`, () => operations.labels({ ...labels, outcome })).inc();
      child(durationChildren, key, () => operationDuration.labels(labels)).observe(((report.finishedAt ?? finishedAt) - report.startedAt) / 1000);
    },
    dispatch: {
      attemptStarted: (seconds) => lag.observe(seconds),
      attemptEnded: (state) => attempts.inc({ state }),
    },
    release: {
      released(release) {
        releases.inc();
        releaseLateness.observe(Math.max(0, (release.publishedAt.getTime() - release.publishAt.getTime()) / 1000));
      },
    },
    feeds: {
      fetched(outcome) {
        feedFetches.inc({ outcome: outcome.kind });
        if (outcome.created) feedItems.inc({ kind: 'created' }, outcome.created);
        if (outcome.updated) feedItems.inc({ kind: 'updated' }, outcome.updated);
      },
    },
    async scrape() {
      // A scrape waits for the database's readings a moment at most: when every pool connection is
      // busy (or the database is slow) it answers with the last ones, and the reading lands later.
      refreshing ??= refresh().finally(() => (refreshing = null));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([refreshing, new Promise((resolve) => (timer = setTimeout(resolve, SCRAPE_WAITS_FOR_DATABASE_MS)))]);
      clearTimeout(timer);
      if (!cluster) return registry.metrics();
      try {
        const [all, ...own] = await Promise.all([cluster.clusterMetrics(), ...READ_AT_SCRAPE.map((name) => registry.getSingleMetricAsString(name))]);
        return `${all}${own.join('\n\n')}\n`;
      } catch (error) {
        logger.warn({ err: error }, "metrics: could not gather the workers' metrics");
        throw error;
      }
    },
    close() {
      stopObserving();
      replica?.unregister();
    },
  };
}
