import { createHash, timingSafeEqual } from 'node:crypto';
import type express from 'express';
import { bearerToken } from '../request-context.js';
import { sendError } from '../http-errors.js';
import type { AppMetrics } from '../metrics.js';
import { operationReportOf } from '../operation-report.js';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Times every response (installed before the routes) and serves `GET /metrics` in Prometheus' text
 * format. With `token` (METRICS_TOKEN) set, a scrape must send `Authorization: Bearer <token>`,
 * compared in constant time (both sides hashed first, so their lengths say nothing either). In a
 * cluster (WORKERS) the scraped worker answers for all of them (AppMetrics.scrape()).
 */
export function installMetrics(app: express.Express, metrics: AppMetrics, token: string | undefined) {
  app.use((req, res, next) => {
    const started = performance.now();
    metrics.httpStarted();
    // Inside a mounted router (app.use('/graphql', …)) Express rewrites req.url: read the path now.
    const path = req.path;
    // 'close' follows every response, sent or cut off ('finish' only a sent one): one listener.
    res.once('close', () => {
      const finished = performance.now();
      metrics.http(path, req.method, res.statusCode, (finished - started) / 1000);
      const report = operationReportOf(res);
      if (report) metrics.operation(report, finished, res.statusCode);
    });
    next();
  });

  const expected = token ? digest(token) : null;
  app.get('/metrics', async (req, res) => {
    if (expected) {
      const given = bearerToken(req.headers);
      if (!given || !timingSafeEqual(digest(given), expected)) {
        res.setHeader('www-authenticate', 'Bearer realm="metrics"');
        return sendError(req, res, 401, 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>');
      }
    }
    let text: string;
    try {
      text = await metrics.scrape();
    } catch (error) {
      // In a cluster: the primary or a worker did not answer (logged by scrape()).
      return sendError(req, res, 503, `GET /metrics could not gather every worker's metrics: ${(error as Error).message}`);
    }
    res.setHeader('content-type', metrics.registry.contentType);
    res.setHeader('cache-control', 'no-store');
    res.send(text);
  });
}
