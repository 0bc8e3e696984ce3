import type { Config } from '../config.js';
import { announceSeeds } from './announce.js';
import type { ClusterWorker } from './cluster/worker.js';
import { flushLogs, type Logger } from './logger.js';
import { startApp } from './start.js';
import { startTracing } from './tracing.js';

/**
 * One server process: the whole server (WORKERS unset or 1), or one worker of a cluster, whose
 * primary prepared the database and announces it ready (src/server/cluster/primary.ts).
 * SIGTERM or SIGINT drains in-flight requests and exits 0 (1 after 15 s).
 */
export async function serve(config: Config, log: Logger, worker: ClusterWorker | null) {
  // Before the server exists, so that its first request is traced; null unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const tracing = await startTracing();
  if (tracing) log.info('OpenTelemetry traces on (OTEL_EXPORTER_OTLP_ENDPOINT)');
  const app = await startApp(config, log, tracing, worker);
  if (!worker) announceSeeds(config, log, app.seeded, app.url);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'draining in-flight requests, then exiting');
    setTimeout(() => {
      log.error('the drain did not finish within 15 s: exiting');
      void flushLogs(log, 1_000).finally(() => process.exit(1));
    }, 15_000).unref();
    try {
      await app.stop();
    } catch (error) {
      // Not stopped cleanly (the database would not close): say so and exit now, not at the 15 s timer.
      log.error({ err: error }, 'could not stop cleanly: exiting');
      await flushLogs(log);
      process.exit(1);
    }
    // The spans of the last requests are still in the batch: export them before exiting.
    await tracing?.shutdown().catch((error: unknown) => log.warn({ err: error }, 'could not export the last traces'));
    log.info('stopped');
    // The last requests' lines and this one may still be in the log's buffer (logger.ts).
    await flushLogs(log);
    process.exit(0);
  };
  // A worker gets SIGTERM from its primary; SIGINT too when Ctrl-C reaches the whole process group.
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // Only now: whoever waits for this line may signal at once, and the line can reach them before
  // the next statement runs (seen on a busy machine: a SIGTERM before the handlers above killed the
  // process outright, exit by signal instead of a drain and exit 0).
  if (worker) {
    log.info({ url: `${app.url}/graphql` }, 'worker ready');
    worker.ready(app.url);
  } else {
    log.info({ url: `${app.url}/graphql`, database: app.database.kind }, 'factcheck API ready');
  }
}
