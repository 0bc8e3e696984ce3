/**
 * GET /admin/backup: a consistent copy of the embedded database while the server runs (PGlite's
 * dumpDataDir, a gzipped tar of its data folder). Only the process holding the folder may open it,
 * so `npm run db:backup` asks this route (the port is in the folder's lock file) with an admin's
 * token. Statements wait while the copy is made (they are not refused): docs/operations.md, "Backups".
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express, { type Request, type Response } from 'express';
import type { DatabaseHandle } from '../../db/connection.js';
import type { AccessControl } from '../../domain/access/access-control.js';
import { DomainError } from '../../domain/coded-errors.js';
import { requireRole } from '../../domain/viewer.js';
import type { Logger } from '../logger.js';
import { authenticateRequest, bearerToken } from '../request-context.js';

export const BACKUP_PATH = '/admin/backup';

const sendPlainError = (res: Response, status: number, code: string, message: string) => res.status(status).json({ error: { code, message } });

export function backupRoute(database: DatabaseHandle, access: AccessControl, logger: Logger) {
  const router = express.Router();
  router.get(BACKUP_PATH, async (req: Request, res: Response) => {
    const auth = await authenticateRequest(access, bearerToken(req.headers), req.ip ?? 'unknown', res);
    if ('refusal' in auth) return sendPlainError(res, auth.refusal === 'TOO_MANY_REQUESTS' ? 429 : 401, auth.refusal, auth.message);
    try {
      requireRole(auth.viewer, ['ADMIN']);
    } catch (error) {
      if (error instanceof DomainError) return sendPlainError(res, auth.viewer ? 403 : 401, error.code, error.message);
      throw error;
    }
    if (!database.dumpDataDir) {
      const message =
        database.kind === 'postgres'
          ? 'This server runs on PostgreSQL: back it up with pg_dump (or your provider’s backups), not db:backup'
          : 'This server’s embedded database is in memory (DATABASE_URL=memory:): there is no folder to back up';
      return sendPlainError(res, 409, 'NOT_EMBEDDED', message);
    }
    const started = process.hrtime.bigint();
    const dump = await database.dumpDataDir();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    logger.info({ bytes: dump.size, ms: Math.round(ms), rssMB: Math.round(process.memoryUsage().rss / 1048576) }, 'backup of the embedded database made');
    res.status(200).set({ 'content-type': 'application/gzip', 'content-length': String(dump.size), 'cache-control': 'no-store', 'x-backup-ms': ms.toFixed(0) });
    // Streamed from the archive PGlite built: no second copy of it in memory.
    await pipeline(Readable.fromWeb(dump.stream() as import('node:stream/web').ReadableStream), res);
  });
  return router;
}
