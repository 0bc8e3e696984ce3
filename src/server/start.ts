import type { Config } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/connection.js';
import { openReadReplica, primaryOnly, type ReadDatabases } from '../db/read-replica.js';
import type { SeededUser } from '../seed.js';
import { StartupError } from '../startup-error.js';
import { createServer, type RunningServer } from './app.js';
import type { Logger } from './logger.js';
import { startWebhookDispatcher } from '../jobs/webhook-dispatcher.js';
import { startPublicationRelease } from '../jobs/publication-release.js';
import { dispatchSettings } from './webhook-settings.js';
import { startExternalSourceFetcher } from '../jobs/external-source-fetcher.js';
import { feedPollMs } from './external-sources-settings.js';
import { startRatingRemap } from '../jobs/rating-remap.js';
import type { Tracing } from './tracing.js';
import { attemptSpans, statementSpans } from './tracing-spans.js';
import { prepareDatabase } from './prepare-database.js';
import type { ClusterWorker } from './cluster/worker.js';

export interface StartedApp extends RunningServer {
  database: DatabaseHandle;
  /** Where partner reads go: the read replica (DATABASE_READ_URL) with its fallback, or the primary. */
  reads: ReadDatabases;
  /** Demo users created by this start (null when seeding was off or done before). */
  seeded: SeededUser[] | null;
}

/**
 * Everything `npm start` does before serving: open and migrate the database, admin token, seeds.
 * With `tracing` (src/server/tracing.ts), statements, requests, webhook attempts and feed fetches make spans.
 * A cluster's `worker` (WORKERS) skips the migrations, admin token and seeds, which its primary ran
 * before forking, and serves every worker's metrics (src/server/cluster/).
 */
export async function startApp(config: Config, logger: Logger, tracing: Tracing | null = null, worker: ClusterWorker | null = null): Promise<StartedApp> {
  const database = await openDatabase(config.DATABASE_URL, {
    poolSize: config.DATABASE_POOL_SIZE,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
    minFreeBytes: config.PGLITE_MIN_FREE_MB * 1024 * 1024,
    onStorageChange: ({ full, freeBytes, minFreeBytes }) => {
      const free = { freeMB: Math.floor(freeBytes / 1024 / 1024), minFreeMB: minFreeBytes / 1024 / 1024 };
      if (full) logger.error(free, 'the embedded database is short of disk space: writes are refused (503 SERVICE_UNAVAILABLE) until space is freed');
      else logger.info(free, 'the embedded database has disk space again: writes are accepted');
    },
    onStopped: (error) =>
      logger.fatal(
        { err: error },
        'the embedded database stopped: every request is refused (503 SERVICE_UNAVAILABLE) until the server is restarted; free disk space first if it is full',
      ),
  });
  // Migrations and seeding too: a slow start shows in the traces.
  if (tracing) database.observe(statementSpans(tracing.tracer, 'postgresql'));
  let reads: ReadDatabases | null = null;
  try {
    const seeded = worker ? null : await prepareDatabase(database, config);
    // A replica that does not answer at start is no start-up error: partner reads go to the primary
    // until a check finds it (logged either way).
    reads = config.DATABASE_READ_URL
      ? await openReadReplica(database, config.DATABASE_READ_URL, {
          poolSize: config.DATABASE_POOL_SIZE,
          statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
          connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
          maxLagMs: config.REPLICA_MAX_LAG_MS,
          checkIntervalMs: config.REPLICA_CHECK_INTERVAL_MS,
          log: logger,
        })
      : primaryOnly(database);
    const server = await createServer(config, database, logger, reads, tracing, worker);
    const running = await server.listen(config.PORT, config.HOST).catch(async (error: unknown) => {
      await server.stop();
      const code = (error as { code?: string }).code;
      throw code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL'
        ? new StartupError(`cannot listen on HOST ${config.HOST} PORT ${config.PORT} (${code}): set PORT (or HOST) to a free one`)
        : error;
    });
    const site = { publicBaseUrl: config.PUBLIC_BASE_URL ?? running.url, orgName: config.ORG_NAME, orgUrl: config.ORG_URL ?? running.url };
    const dispatcher = await startWebhookDispatcher(
      database,
      dispatchSettings(config, site),
      logger,
      server.metrics?.dispatch,
      tracing ? attemptSpans(tracing.tracer) : undefined,
    );
    const release = startPublicationRelease(database, config.SCHEDULED_RELEASE_POLL_MS, logger, server.metrics?.release);
    const fetcher = feedPollMs(config) > 0 ? startExternalSourceFetcher(database, server.feeds, feedPollMs(config), logger) : null;
    // Finishes a re-map of external ratings that a stopped process left pending (at once, then every 30 s).
    const remap = startRatingRemap(database, { batchSize: config.EXTERNAL_REMAP_BATCH_SIZE }, logger);
    return {
      ...running,
      database,
      reads,
      seeded,
      async stop() {
        await Promise.all([running.stop(), dispatcher.stop(), release.stop(), fetcher?.stop(), remap.stop()]);
        await reads?.close();
        await database.close();
      },
    };
  } catch (error) {
    await reads?.close();
    await database.close();
    throw error;
  }
}
