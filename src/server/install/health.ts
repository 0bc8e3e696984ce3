import type express from 'express';
import type { DatabaseHandle } from '../../db/connection.js';
import type { Logger } from '../logger.js';

/** `/healthz`: the process is up. `/readyz`: the database answers (503 otherwise). */
export function installHealth(app: express.Express, database: DatabaseHandle, logger: Logger) {
  app.get('/healthz', (_req, res) => {
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
