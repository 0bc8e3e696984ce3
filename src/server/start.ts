import type { Config } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/connection.js';
import { ensureAdminToken } from '../domain/users.js';
import { seedDemo, type SeededUser } from '../seed.js';
import { createServer, type RunningServer } from './app.js';
import type { Logger } from './logger.js';
import { startWebhookDispatcher } from '../jobs/webhook-dispatcher.js';
import { dispatchSettings } from './webhook-settings.js';

export interface StartedApp extends RunningServer {
  database: DatabaseHandle;
  /** Demo users created by this start (null when seeding was off or done before). */
  seeded: SeededUser[] | null;
}

/** Everything `npm start` does before serving: open and migrate the database, admin token, seeds. */
export async function startApp(config: Config, logger: Logger): Promise<StartedApp> {
  const database = await openDatabase(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE, statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS });
  try {
    await database.migrate();
    if (config.ADMIN_TOKEN) await ensureAdminToken(database.db, config.ADMIN_TOKEN);
    const seeded = config.SEED === 'demo' ? await seedDemo(database.db) : null;
    const server = await createServer(config, database, logger);
    const running = await server.listen(config.PORT, config.HOST);
    const site = { publicBaseUrl: config.PUBLIC_BASE_URL, orgName: config.ORG_NAME, orgUrl: config.ORG_URL };
    const dispatcher = await startWebhookDispatcher(database, dispatchSettings(config, site), logger);
    return {
      ...running,
      database,
      seeded,
      async stop() {
        await Promise.all([running.stop(), dispatcher.stop()]);
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
