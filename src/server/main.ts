import 'reflect-metadata';
import cluster from 'node:cluster';
import { loadConfig } from '../config.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { StartupError } from '../startup-error.js';
import { joinCluster } from './cluster/worker.js';
import { createLogger, flushLogs, type Logger } from './logger.js';

let logger: Logger | null = null;

/**
 * The process: one server (WORKERS unset or 1, src/server/serve.ts), or with WORKERS > 1 the
 * primary of a cluster (src/server/cluster/primary.ts), or one of its workers (serve.ts again).
 * The server's modules are imported only once it is known which: the primary never loads the
 * GraphQL stack it does not serve.
 */
async function main() {
  const config = loadConfig();
  const clustered = config.WORKERS > 1;
  const worker = clustered ? joinCluster() : null;
  // The workers share one stdout: with WORKERS, every line says which process wrote it.
  const log = (logger = createLogger(config.LOG_LEVEL, clustered ? { pid: process.pid } : {}));
  // postgres.js can reject a query promise that nobody awaits when its connection closes under load
  // (seen once as an unhandled CONNECTION_CLOSED that exited a server mid-outage, the request itself
  // already answered). Such a rejection is the outage's, already reported to its request: log it and
  // serve on. Any other unhandled rejection is a bug and still ends the process, as Node would.
  process.on('unhandledRejection', (reason) => {
    if (!isDatabaseUnavailable(reason)) throw reason;
    log.warn({ err: reason }, 'unhandled database connection error (ignored: the database went away)');
  });
  if (clustered && cluster.isPrimary) {
    const { runPrimary } = await import('./cluster/run-primary.js');
    await runPrimary(config, log);
  } else {
    const { serve } = await import('./serve.js');
    await serve(config, log, worker);
  }
}

main().catch(async (error: unknown) => {
  const log = logger ?? createLogger('fatal');
  if (error instanceof StartupError) {
    // Something the person starting the server can fix: one line, no stack trace.
    process.stderr.write(`factcheck-api: ${error.message}\n`);
  } else {
    // A bug: the whole error, for whoever fixes it.
    log.fatal({ err: error }, 'failed to start');
  }
  await flushLogs(log);
  process.exit(1);
});
