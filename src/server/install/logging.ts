import type express from 'express';
import type { Level } from 'pino';
import { requestIdOf } from '../request-context.js';
import type { Logger } from '../logger.js';
import { operationReportOf, type OperationReport } from '../operation-report.js';

/** Probes and scrapes: many a minute, and nothing to learn from each. */
const UNLOGGED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** What a /graphql line adds: the operation (as written: logs are not labels) and its error codes. */
const graphqlProps = (report: OperationReport) => ({
  operationName: report.name,
  operationType: report.type,
  errorCodes: report.codes,
});

/**
 * An answer with errors is not a plain 200: warn for any error code (a FORBIDDEN field) and for a
 * client that went before its answer; error for a failure of ours (a 5xx, a masked
 * INTERNAL_SERVER_ERROR, a response stream that failed).
 */
function levelOf(status: number, codes: readonly string[], aborted: boolean, error: Error | undefined): Level {
  if (error || status >= 500 || codes.includes('INTERNAL_SERVER_ERROR')) return 'error';
  return status >= 400 || codes.length || aborted ? 'warn' : 'info';
}

function messageOf(report: OperationReport | undefined, aborted: boolean): string {
  if (aborted) return 'request aborted';
  if (!report?.codes.length) return 'request completed';
  return `GraphQL ${report.type ?? 'request'}${report.name ? ` ${report.name}` : ''} answered with ${[...new Set(report.codes)].join(', ')}`;
}

/**
 * A request id on every request (`x-request-id`, echoed or made), and one JSON log line per request
 * when it ends: `req: { method, path }`, `res: { statusCode }`, `responseTime` (ms), `requestId`, `traceId` (tracing on), and
 * on /graphql `graphql: { operationName, operationType, errorCodes }`.
 *
 * Written here rather than with pino-http, which made three child loggers per request, serialising
 * the request each time, whether or not the line's level was enabled: ~4 % of a dashboard request's
 * CPU (docs/performance.md). Here a request costs a listener, and a line is built only when its
 * level is logged.
 */
export function installLogging(app: express.Express, logger: Logger) {
  app.use((req, res, next) => {
    const requestId = requestIdOf(req.headers);
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    if (UNLOGGED_PATHS.has(req.path)) return next();

    const startedAt = Date.now();
    let failure: Error | undefined;
    // Also keeps a failing response stream from being an uncaught 'error'.
    res.on('error', (error) => (failure ??= error));
    // 'close' follows every response, sent or cut off, as in install/metrics.ts.
    res.once('close', () => {
      const report = operationReportOf(res);
      const aborted = req.readableAborted || !res.writableEnded;
      const level = levelOf(res.statusCode, report?.codes ?? [], aborted, failure);
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        {
          // The path only: a query string can carry a token (?key= on the Google-compatible search).
          req: { method: req.method, path: req.originalUrl.split('?')[0] },
          res: { statusCode: res.statusCode },
          ...(failure ? { err: failure } : {}),
          responseTime: Date.now() - startedAt,
          requestId,
          // Set only when tracing is on (src/server/tracing-spans.ts).
          ...(res.locals.traceId ? { traceId: res.locals.traceId as string } : {}),
          ...(report ? { graphql: graphqlProps(report) } : {}),
        },
        messageOf(report, aborted),
      );
    });
    next();
  });
}
