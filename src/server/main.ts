import 'reflect-metadata';
import { loadConfig } from '../config.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { StartupError } from '../startup-error.js';
import { createLogger, flushLogs, type Logger } from './logger.js';
import { toGlobalId } from '../domain/global-ids.js';
import { startApp } from './start.js';
import { startTracing } from './tracing.js';

let logger: Logger | null = null;

async function main() {
  const config = loadConfig();
  const log = (logger = createLogger(config.LOG_LEVEL));
  // postgres.js can reject a query promise that nobody awaits when its connection closes under load
  // (seen once as an unhandled CONNECTION_CLOSED that exited a server mid-outage, the request itself
  // already answered). Such a rejection is the outage's, already reported to its request: log it and
  // serve on. Any other unhandled rejection is a bug and still ends the process, as Node would.
  process.on('unhandledRejection', (reason) => {
    if (!isDatabaseUnavailable(reason)) throw reason;
    log.warn({ err: reason }, 'unhandled database connection error (ignored: the database went away)');
  });
  // Before the server exists, so that its first request is traced; null unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
  const tracing = await startTracing();
  if (tracing) log.info('OpenTelemetry traces on (OTEL_EXPORTER_OTLP_ENDPOINT)');
  const app = await startApp(config, log, tracing);
  if (app.seeded) {
    console.log('\nLoaded seeds/ with demo users. Their bearer tokens, shown only now (only hashes are stored), and the token IDs to revoke them by:');
    for (const u of app.seeded) console.log(`  ${u.role.padEnd(9)} ${u.name.padEnd(20)} ${u.token}  id ${toGlobalId('ApiToken', u.tokenId)}`);
    console.log(
      `\nTry: curl -s ${app.url}/graphql -H 'content-type: application/json' -H 'authorization: Bearer <EDITOR token>' \\\n       -d '{"query":"{ claims { totalCount edges { node { status quote } } } }"}'\n`,
    );
  } else if (config.SEED === 'demo') {
    log.info('seeds/ were loaded on an earlier start; its demo tokens were printed then (see README to issue new ones)');
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'draining in-flight requests, then exiting');
    setTimeout(() => {
      log.error('the drain did not finish within 15 s: exiting');
      void flushLogs(log, 1_000).finally(() => process.exit(1));
    }, 15_000).unref();
    await app.stop();
    // The spans of the last requests are still in the batch: export them before exiting.
    await tracing?.shutdown().catch((error: unknown) => log.warn({ err: error }, 'could not export the last traces'));
    log.info('stopped');
    // The last requests' lines and this one may still be in the log's buffer (logger.ts).
    await flushLogs(log);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // Only now: whoever waits for this line may signal at once, and the line can reach them before
  // the next statement runs (seen on a busy machine: a SIGTERM before the handlers above killed the
  // process outright, exit by signal instead of a drain and exit 0).
  log.info({ url: `${app.url}/graphql`, database: app.database.kind }, 'factcheck API ready');
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
