import type express from 'express';
import type { Logger } from '../logger.js';
import { BODY_LIMIT } from './graphql.js';

/** Last: what express itself refuses (a malformed or too large body) as a GraphQL-shaped JSON error. */
export function installErrorHandler(app: express.Express, logger: Logger) {
  app.use((error: Error & { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error, requestId: res.locals.requestId }, 'unexpected HTTP error');
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
    const message = status === 413 ? `Request body is larger than ${BODY_LIMIT}` : status === 500 ? 'Internal server error' : 'Malformed request';
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  });
}
