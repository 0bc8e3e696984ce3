/**
 * WORKERS > 1: this process starts that many server processes (node:cluster) and supervises them. It
 * serves nothing itself and holds no database connection: main.ts prepared the database (migrations,
 * ADMIN_TOKEN, seeds) before calling it, on a connection it closed.
 *
 * - The port: the primary listens, and hands each new connection to the next worker in turn
 *   (node:cluster's round-robin, its default outside Windows).
 * - A worker that exits while the server runs is logged and replaced after a back-off
 *   (restart-backoff.ts). One that exits during the first start fails the start (exit 1).
 * - SIGTERM or SIGINT: every worker gets SIGTERM and drains as a single server does (main.ts); the
 *   primary exits 0 once all exited 0, and 1 if one did not, or if any still ran DRAIN_MS later
 *   (those are killed).
 * - `GET /metrics`, on whichever worker: the worker asks, the primary gathers every worker's
 *   registry (prom-client's AggregatorRegistry.clusterMetrics()) and answers (worker.ts).
 */
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { Config } from '../../config.js';
import { StartupError } from '../../startup-error.js';
import { flushLogs, type Logger } from '../logger.js';
import { isMessage, type MetricsResponse } from './messages.js';
import { nextRestart } from './restart-backoff.js';

/** Longer than a worker's own 15 s drain limit (main.ts), after which it exits 1 by itself and logs why. */
export const DRAIN_MS = 20_000;

/** One of the WORKERS places, and the worker in it (null between a death and the restart). */
interface Place {
  worker: Worker | null;
  ready: boolean;
  startedAt: number;
  /** Deaths in a row, for the back-off. */
  deaths: number;
  restart?: NodeJS.Timeout;
}

const exitOf = (code: number | null, signal: string | null) => (signal ? `killed by ${signal}` : `exit code ${code}`);

/**
 * Forks the workers, and resolves with the URL they listen on once every one serves. Installs the
 * SIGTERM and SIGINT handlers first: a signal during the start stops the workers already forked.
 * A worker that stops before it served rejects (a StartupError) once the others are stopped.
 */
export function startWorkers(config: Pick<Config, 'WORKERS' | 'METRICS_ENABLED'>, log: Logger): Promise<string> {
  if (config.METRICS_ENABLED) answerMetricsRequests(log);
  const places: Place[] = Array.from({ length: config.WORKERS }, () => ({ worker: null, ready: false, startedAt: 0, deaths: 0 }));
  /** Every worker of the first start served. */
  let serving = false;
  let stopping: { failed: boolean; done: () => void; deadline: NodeJS.Timeout } | null = null;

  return new Promise((resolve, reject) => {
    function fork(place: Place) {
      place.restart = undefined;
      const worker = cluster.fork();
      Object.assign(place, { worker, ready: false, startedAt: Date.now() });
      worker.on('error', (error) => log.warn({ err: error, workerPid: worker.process.pid }, 'could not reach a worker'));
      worker.on('message', (message) => {
        if (!isMessage(message, 'factcheck:ready') || place.worker !== worker) return;
        place.ready = true;
        if (!serving && places.every((p) => p.ready)) {
          serving = true;
          resolve(message.url);
        }
      });
      worker.once('exit', (code, signal) => exited(place, worker, code, signal));
    }

    function exited(place: Place, worker: Worker, code: number | null, signal: string | null) {
      const pid = worker.process.pid;
      const wasReady = place.ready;
      Object.assign(place, { worker: null, ready: false });
      if (stopping) {
        // A worker stopped before it served had nothing to drain, however it ended.
        if (wasReady && code !== 0) {
          stopping.failed = true;
          log.error({ workerPid: pid, code, signal }, `a worker did not drain cleanly (${exitOf(code, signal)})`);
        }
        if (places.every((p) => !p.worker)) {
          clearTimeout(stopping.deadline);
          stopping.done();
        }
        return;
      }
      if (!serving) {
        const error = new StartupError(`a worker (pid ${pid}) stopped before it served (${exitOf(code, signal)}): the server did not start`);
        stopWorkers(() => reject(error));
        return;
      }
      const { deaths, delayMs } = nextRestart(place.deaths, Date.now() - place.startedAt);
      place.deaths = deaths;
      log[code === 0 ? 'warn' : 'error'](
        { workerPid: pid, code, signal, deathsInARow: deaths, restartInMs: delayMs },
        `a worker exited (${exitOf(code, signal)}); starting another in its place`,
      );
      place.restart = setTimeout(() => fork(place), delayMs);
    }

    /** SIGTERM to every worker (each drains); `done` once all exited, or after DRAIN_MS and a kill -9 of the rest. */
    function stopWorkers(done: () => void) {
      for (const place of places) clearTimeout(place.restart);
      const deadline = setTimeout(() => {
        stopping!.failed = true;
        const left = places.flatMap((p) => (p.worker ? [p.worker] : []));
        log.error({ workerPids: left.map((w) => w.process.pid) }, `workers still running ${DRAIN_MS / 1000} s after SIGTERM: killing them`);
        for (const worker of left) worker.process.kill('SIGKILL');
      }, DRAIN_MS);
      stopping = { failed: false, done, deadline };
      const live = places.flatMap((p) => (p.worker ? [p.worker] : []));
      for (const worker of live) worker.process.kill('SIGTERM');
      if (!live.length) {
        clearTimeout(deadline);
        done();
      }
    }

    const shutdown = (signal: string) => {
      if (stopping) return;
      log.info({ signal, workers: places.filter((p) => p.worker).length }, 'stopping the workers: each drains its in-flight requests, then exits');
      stopWorkers(() => {
        if (stopping!.failed) log.error('stopped, but not every worker drained cleanly');
        else log.info('stopped');
        void flushLogs(log).finally(() => process.exit(stopping!.failed ? 1 : 0));
      });
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));

    for (const place of places) fork(place);
  });
}

/** A worker's scrape: every worker's registry, gathered and aggregated by prom-client (each metric's `aggregator`). */
function answerMetricsRequests(log: Logger) {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message) => {
    if (!isMessage(message, 'factcheck:metrics-request')) return;
    const reply = (answer: MetricsResponse) => {
      if (worker.isConnected()) worker.send(answer, undefined, {}, (error) => error && log.debug({ err: error }, 'a scraped worker went away'));
    };
    aggregator.clusterMetrics().then(
      (text) => reply({ type: 'factcheck:metrics-response', id: message.id, text }),
      (error: Error) => reply({ type: 'factcheck:metrics-response', id: message.id, error: error.message }),
    );
  });
}
