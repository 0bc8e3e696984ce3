import type { Config } from '../../config.js';
import { announceSeeds } from '../announce.js';
import type { Logger } from '../logger.js';
import { prepareDatabaseOnce } from '../prepare-database.js';
import { startWorkers } from './primary.js';

/**
 * The primary of a cluster (WORKERS > 1, Postgres): prepares the database once (migrations,
 * ADMIN_TOKEN, seeds) and closes it, starts the workers, and once all serve, prints the demo tokens
 * of a first start and says "factcheck API ready".
 */
export async function runPrimary(config: Config, log: Logger) {
  const seeded = await prepareDatabaseOnce(config);
  const url = await startWorkers(config, log);
  announceSeeds(config, log, seeded, url);
  log.info({ url: `${url}/graphql`, database: 'postgres', workers: config.WORKERS }, 'factcheck API ready');
}
