/**
 * WORKERS > 1: this process starts that many server processes (node:cluster) and supervises them. It
 * serves nothing itself and holds no database connection: run-primary.ts prepared the database
 * (migrations, ADMIN_TOKEN, seeds) before calling it, on a connection it closed.
 *
 * - The port: the primary listens, and hands each new connection to the next worker in turn
 *   (node:cluster's round-robin, its default outside Windows).
 * - A worker that exits while the server runs is logged and replaced after a back-off
 *   (restart-backoff.ts). One that exits during the first start fails the start (exit 1).
 * - SIGTERM or SIGINT: every worker gets SIGTERM and drains as a single server does (serve.ts); the
 *   primary exits 0 once all exited 0, and 1 if one did not, or if any still ran DRAIN_MS later
 *   (those are killed).
 * - `GET /metrics`, on whichever worker: the worker asks, the primary asks every ready worker for
 *   its registry (GATHER_TIMEOUT_MS at most), aggregates them with what replaced workers had
 *   counted (metrics.ts), and answers (worker.ts).
 */
import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../../config.js';
import { StartupError } from '../../startup-error.js';
import { flushLogs, type Logger } from '../logger.js';
import { isMessage, WORKER_SLOT_ENV, type GatherRequest, type MetricsResponse } from './messages.js';
import { ClusterMetrics, type MetricsJSON } from './metrics.js';
import { nextRestart } from './restart-backoff.js';

/** Longer than a worker's own 15 s drain limit (serve.ts), after which it exits 1 by itself and logs why. */
export const DRAIN_MS = 20_000;

/** How long a scrape waits for each worker's registry; one that has not answered counts with its last answer. */
export const GATHER_TIMEOUT_MS = 2_000;

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
  const places: Place[] = Array.from({ length: config.WORKERS }, () => ({ worker: null, ready: false, startedAt: 0, deaths: 0 }));
  const metrics = new ClusterMetrics();
  const gathering = new Map<number, (metrics: MetricsJSON | null) => void>();
  if (config.METRICS_ENABLED) answerMetricsRequests(log, () => gather(places, gathering, metrics, log));
  /** Every worker of the first start served. */
  let serving = false;
  let stopping: { failed: boolean; done: () => void; deadline: NodeJS.Timeout } | null = null;

  return new Promise((resolve, reject) => {
    function fork(place: Place) {
      place.restart = undefined;
      const worker = cluster.fork({ [WORKER_SLOT_ENV]: String(places.indexOf(place)) });
      Object.assign(place, { worker, ready: false, startedAt: Date.now() });
      worker.on('error', (error) => log.warn({ err: error, workerPid: worker.process.pid }, 'could not reach a worker'));
      worker.on('message', (message) => {
        if (isMessage(message, 'factcheck:metrics-gathered')) gathering.get(message.id)?.(message.metrics as MetricsJSON);
        if (!isMessage(message, 'factcheck:ready') || place.worker !== worker) return;
        place.ready = true;
        // A ready worker's message can arrive after a SIGTERM during the first start: that start is over.
        if (!serving && !stopping && places.every((p) => p.ready)) {
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
      metrics.retire(places.indexOf(place));
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

/** A worker's scrape: `gather()`'s text, or why there is none. */
function answerMetricsRequests(log: Logger, gather: () => Promise<string>) {
  cluster.on('message', (worker, message) => {
    if (!isMessage(message, 'factcheck:metrics-request')) return;
    const reply = (answer: MetricsResponse) => {
      if (worker.isConnected()) worker.send(answer, undefined, {}, (error) => error && log.debug({ err: error }, 'a scraped worker went away'));
    };
    gather().then(
      (text) => reply({ type: 'factcheck:metrics-response', id: message.id, text }),
      (error: Error) => reply({ type: 'factcheck:metrics-response', id: message.id, error: error.message }),
    );
  });
}

let lastGatherId = 0;

/**
 * Asks every ready worker for its registry (one still starting is not asked: it may not listen
 * yet), waits GATHER_TIMEOUT_MS at most for each, and aggregates whoever answered, with the last
 * counts of those that did not (metrics.ts). `factcheck_cluster_workers` says how many answered.
 */
async function gather(places: Place[], gathering: Map<number, (metrics: MetricsJSON | null) => void>, metrics: ClusterMetrics, log: Logger): Promise<string> {
  const asked = places.map((place) => (place.ready ? place.worker : null));
  const answers = await Promise.all(
    asked.map(
      (worker) =>
        new Promise<MetricsJSON | null>((resolve) => {
          if (!worker) return resolve(null);
          const id = ++lastGatherId;
          const timer = setTimeout(() => answered(null), GATHER_TIMEOUT_MS);
          function answered(answer: MetricsJSON | null) {
            clearTimeout(timer);
            gathering.delete(id);
            resolve(answer);
          }
          gathering.set(id, answered);
          worker.send({ type: 'factcheck:metrics-gather', id } satisfies GatherRequest, undefined, {}, (error) => error && answered(null));
        }),
    ),
  );
  const silent = asked.filter((worker, slot) => worker && !answers[slot]).map((worker) => worker!.process.pid);
  if (silent.length) log.warn({ workerPids: silent }, `metrics: a worker did not answer within ${GATHER_TIMEOUT_MS} ms; its counters are as last gathered`);
  const count = (state: string, value: number) => ({ labels: { state }, value });
  const workers = {
    name: 'factcheck_cluster_workers',
    help: 'Worker places (configured: WORKERS), those whose worker serves (ready), and those whose worker answered this scrape in time (answered)',
    type: 'gauge',
    aggregator: 'first',
    values: [count('configured', places.length), count('ready', asked.filter(Boolean).length), count('answered', answers.filter(Boolean).length)],
  } as unknown as MetricsJSON[number];
  return metrics.aggregate(answers, [workers]);
}
