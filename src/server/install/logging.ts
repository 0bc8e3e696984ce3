import type express from 'express';
import { pinoHttp } from 'pino-http';
import { requestIdOf } from '../context.js';
import type { Logger } from '../logger.js';
import { operationReportOf, type OperationReport } from '../operation-report.js';

/** What a /graphql line adds: the operation (as written: logs are not labels) and its error codes. */
const graphqlProps = (report: OperationReport) => ({
  operationName: report.name,
  operationType: report.type,
  errorCodes: report.codes,
});

/**
 * A request id on every request (`x-request-id`, echoed or made), and one JSON log line per request.
 * A /graphql line carries `graphql: { operationName, operationType, errorCodes }`; an answer with
 * errors is logged at warn even when its HTTP status is 200 (a FORBIDDEN field), at error when one
 * of them is INTERNAL_SERVER_ERROR.
 */
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
      customProps: (_req, res) => {
        const report = operationReportOf(res as express.Response);
        return { requestId: res.getHeader('x-request-id'), ...(report ? { graphql: graphqlProps(report) } : {}) };
      },
      customLogLevel: (_req, res, error) => {
        const codes = operationReportOf(res as express.Response)?.codes ?? [];
        if (error || res.statusCode >= 500 || codes.includes('INTERNAL_SERVER_ERROR')) return 'error';
        return res.statusCode >= 400 || codes.length ? 'warn' : 'info';
      },
      customSuccessMessage: (_req, res) => {
        const report = operationReportOf(res as express.Response);
        if (!report?.codes.length) return 'request completed';
        return `GraphQL ${report.type ?? 'request'}${report.name ? ` ${report.name}` : ''} answered with ${[...new Set(report.codes)].join(', ')}`;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics' },
      // The path only: a query string can carry a token (?key= on the Google-compatible search).
      serializers: { req: (req) => ({ method: req.method, path: String(req.url).split('?')[0] }), res: (res) => ({ statusCode: res.statusCode }) },
    }),
  );
}
