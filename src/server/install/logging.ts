import type express from 'express';
import { pinoHttp } from 'pino-http';
import { requestIdOf } from '../context.js';
import type { Logger } from '../logger.js';

/** A request id on every request (`x-request-id`, echoed or made), and one JSON log line per request. */
export function installLogging(app: express.Express, logger: Logger) {
  app.use((req, res, next) => {
    const requestId = requestIdOf(req.headers);
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    next();
  });
  // One JSON line per request (method, path, status, duration) with the same request id as any error.
  app.use(
    pinoHttp({
      logger,
      genReqId: (_req, res) => res.getHeader('x-request-id') as string,
      customProps: (_req, res) => ({ requestId: res.getHeader('x-request-id') }),
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      // The path only: a query string can carry a token (?key= on the Google-compatible search).
      serializers: { req: (req) => ({ method: req.method, path: String(req.url).split('?')[0] }), res: (res) => ({ statusCode: res.statusCode }) },
    }),
  );
}
