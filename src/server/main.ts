import 'reflect-metadata';
import { loadConfig } from '../config.js';
import { toGlobalId } from '../graphql/ids.js';
import { createLogger } from './logger.js';
import { startApp } from './start.js';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);

async function main() {
  const app = await startApp(config, logger);
  if (app.seeded) {
    console.log('\nLoaded seeds/ with demo users. Their bearer tokens, shown only now (only hashes are stored), and the token IDs to revoke them by:');
    for (const u of app.seeded) console.log(`  ${u.role.padEnd(9)} ${u.name.padEnd(20)} ${u.token}  id ${toGlobalId('ApiToken', u.tokenId)}`);
    console.log(`\nTry: curl -s ${app.url}/graphql -H 'content-type: application/json' -H 'authorization: Bearer <EDITOR token>' \\\n       -d '{"query":"{ claims { totalCount edges { node { status quote } } } }"}'\n`);
  } else if (config.SEED === 'demo') {
    logger.info('seeds/ were loaded on an earlier start; its demo tokens were printed then (see README to issue new ones)');
  }
  logger.info({ url: `${app.url}/graphql`, database: app.database.kind }, 'factcheck API ready');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining in-flight requests, then exiting');
    setTimeout(() => process.exit(1), 15_000).unref();
    await app.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
});
