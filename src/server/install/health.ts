import type express from 'express';
import type { DatabaseHandle } from '../../db/connection.js';
import type { Logger } from '../logger.js';

/**
 * `/healthz`: the process is up, and can serve again without a restart (503 once the embedded
 * database has stopped: only a restart brings it back). `/readyz`: the database answers (503 otherwise).
 */
export function installHealth(app: express.Express, database: DatabaseHandle, logger: Logger) {
  app.get('/healthz', (_req, res) => {
    if (database.stopped?.()) {
      res.status(503).json({ status: 'stopped', reason: 'the embedded database stopped; restart the server' });
      return;
    }
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await database.ping();
      res.json({ status: 'ready' });
    } catch (error) {
      logger.warn({ err: error }, 'database not ready');
      res.status(503).json({ status: 'unavailable', reason: 'database does not answer' });
    }
  });
}
