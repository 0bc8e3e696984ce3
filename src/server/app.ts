import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ACCESS_DEFAULTS, DEFAULT_AUTH_FAILURES_PER_MINUTE, DEFAULT_IDEMPOTENCY, type Config } from '../config.js';
import type { DatabaseHandle } from '../db/connection.js';
import { primaryOnly, type ReadDatabases } from '../db/read-replica.js';
import type { ClaimReviewSettings } from '../domain/fact-checks/schema-org-claim-review.js';
import { installErrorHandlers, installMethodGuard } from './http-errors.js';
import { BODY_LIMIT, installGraphQL } from './install/graphql.js';
import { installHealth } from './install/health.js';
import { installLogging } from './install/logging.js';
import { installMetrics } from './install/metrics.js';
import { createMetrics } from './metrics.js';
import { installPublicRoutes } from './install/public-routes.js';
import { backupRoute } from './routes/backup.js';
import { installSecurityHeaders } from './install/security-headers.js';
import { createAccessControl } from '../domain/access/access-control.js';
import { installCors } from './install/cors.js';
import { installClaimReviewImports } from './routes/claim-review-imports.js';
import { DEFAULT_IMPORT_SETTINGS, type ImportSettings } from '../domain/external-imports/settings.js';
import { installGraphQLIde } from './routes/graphql-ide.js';
import type { Logger } from './logger.js';
import { webhookPolicy, type WebhookConfig } from './webhook-settings.js';
import { feedRuntime, type FeedConfig } from './external-sources-settings.js';
import type { Tracing } from './tracing.js';
import { feedFetchSpans, serverSpans } from './tracing-spans.js';
import type { ClusterWorker } from './cluster/worker.js';

/** Longer than the 60 s idle timeout of common load balancers (AWS ALB, nginx's 75 s aside). */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

type AccessConfig = Pick<
  Config,
  'AUTH_FAILURES_PER_MINUTE' | 'RATE_LIMIT_PARTNER_PER_MINUTE' | 'RATE_LIMIT_STAFF_PER_MINUTE' | 'TOKEN_CACHE_TTL_MS' | 'TRUST_PROXY'
>;
export type ServerConfig = Pick<Config, 'NODE_ENV' | 'PUBLIC_BASE_URL' | 'ORG_NAME' | 'ORG_URL'> &
  Partial<AccessConfig & Pick<Config, 'IDEMPOTENCY_KEY_TTL_SECONDS' | 'IDEMPOTENCY_KEY_WAIT_MS' | 'CORS_ORIGINS' | 'METRICS_ENABLED' | 'METRICS_TOKEN'>> &
  Partial<Pick<Config, 'EXTERNAL_IMPORT_BATCH_SIZE' | 'EXTERNAL_REMAP_BATCH_SIZE' | 'EXTERNAL_IMPORT_MAX_BYTES'>> &
  WebhookConfig &
  FeedConfig;

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * The HTTP server, assembled from small install steps (src/server/install/) in the order requests
 * meet them: logging, security headers, metrics, CORS, the method guard, health, public routes, the IDE,
 * GraphQL, errors.
 */
export async function createServer(
  config: ServerConfig,
  database: DatabaseHandle,
  logger: Logger,
  reads: ReadDatabases = primaryOnly(database),
  tracing: Tracing | null = null,
  /** A worker of a cluster (WORKERS): its /metrics answers for every worker. */
  cluster: ClusterWorker | null = null,
) {
  // Unset URLs are filled in by listen(), with the port actually in use.
  const site: ClaimReviewSettings = { publicBaseUrl: config.PUBLIC_BASE_URL ?? '', orgName: config.ORG_NAME, orgUrl: config.ORG_URL ?? '' };
  const production = config.NODE_ENV === 'production';
  const app = express();
  app.disable('x-powered-by');
  // Node closes a keep-alive connection after 5 s idle by default, shorter than a load balancer's
  // (often 60 s), and a request sent as the server closes is reset: on the embedded database, whose
  // online backup holds the event loop for seconds, a client's next write met that reset. The server
  // outlasts its clients' idle timeouts instead (undici's follows the Keep-Alive hint, minus 1 s).
  const httpServer = http.createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, headersTimeout: KEEP_ALIVE_TIMEOUT_MS + 1_000 }, app);
  // Client addresses (the failed-authentication budget) as Express reads them behind TRUST_PROXY.
  app.set('trust proxy', config.TRUST_PROXY ?? ACCESS_DEFAULTS.TRUST_PROXY);
  const access = await createAccessControl(
    database,
    {
      failuresPerMinute: config.AUTH_FAILURES_PER_MINUTE ?? DEFAULT_AUTH_FAILURES_PER_MINUTE,
      partnerPerMinute: config.RATE_LIMIT_PARTNER_PER_MINUTE ?? ACCESS_DEFAULTS.RATE_LIMIT_PARTNER_PER_MINUTE,
      staffPerMinute: config.RATE_LIMIT_STAFF_PER_MINUTE ?? ACCESS_DEFAULTS.RATE_LIMIT_STAFF_PER_MINUTE,
      tokenCacheTtlMs: config.TOKEN_CACHE_TTL_MS ?? ACCESS_DEFAULTS.TOKEN_CACHE_TTL_MS,
    },
    (error, what) => logger.warn({ err: error }, what),
  );

  installLogging(app, logger);
  // After logging, whose request id the span records; the log line reads the span's trace id.
  if (tracing) app.use(serverSpans(tracing.tracer));
  // Before anything can answer: every response, 404s and errors included, carries them.
  installSecurityHeaders(app);
  // On by default; its own registry, so that several apps in one process (tests) stay apart. With a
  // read replica configured, its metrics are on that registry too (unregistered by stop()).
  const metrics = config.METRICS_ENABLED === false ? null : createMetrics(database, logger, reads, cluster);
  if (metrics) installMetrics(app, metrics, config.METRICS_TOKEN);
  // Before the method guard: a preflight (OPTIONS) from a listed origin is answered here.
  installCors(app, config.CORS_ORIGINS);
  installMethodGuard(app);
  installHealth(app, database, logger);
  app.use(backupRoute(database, access, logger));
  const imports: ImportSettings = {
    batchSize: config.EXTERNAL_IMPORT_BATCH_SIZE ?? DEFAULT_IMPORT_SETTINGS.batchSize,
    remapBatchSize: config.EXTERNAL_REMAP_BATCH_SIZE ?? DEFAULT_IMPORT_SETTINGS.remapBatchSize,
    maxBytes: config.EXTERNAL_IMPORT_MAX_BYTES ?? DEFAULT_IMPORT_SETTINGS.maxBytes,
  };
  installPublicRoutes(app, reads, site, access, logger);
  installClaimReviewImports(app, reads, site, access, imports);
  installGraphQLIde(app, { production });
  const idempotency = {
    ttlSeconds: config.IDEMPOTENCY_KEY_TTL_SECONDS ?? DEFAULT_IDEMPOTENCY.ttlSeconds,
    waitMs: config.IDEMPOTENCY_KEY_WAIT_MS ?? DEFAULT_IDEMPOTENCY.waitMs,
  };
  // One per process: the API (fetchExternalSource) and the fetch job (start.ts) share its lease name, observer and spans.
  const feeds = {
    ...feedRuntime(config, logger, metrics?.feeds ?? null),
    importing: { ownBaseUrl: () => site.publicBaseUrl, batchSize: imports.batchSize },
    ...(tracing ? { traced: feedFetchSpans(tracing.tracer) } : {}),
  };
  const apollo = await installGraphQL(app, {
    httpServer,
    database,
    logger,
    site,
    access,
    production,
    idempotency,
    webhooks: webhookPolicy(config),
    reads,
    imports,
    feeds,
    tracing,
  });
  installErrorHandlers(app, logger, { bodyLimit: BODY_LIMIT });
  const stop = async () => {
    await apollo.stop();
    await access.close();
    metrics?.close();
  };

  return {
    app,
    httpServer,
    /** Null with METRICS_ENABLED=false; start.ts hands its dispatch observer to the webhook dispatcher. */
    metrics,
    /** The feeds' runtime, for the fetch job (start.ts). */
    feeds,
    async listen(port: number, host?: string): Promise<RunningServer> {
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve());
      });
      const address = httpServer.address() as AddressInfo;
      const shownHost = host && host !== '0.0.0.0' && host !== '::' ? host : 'localhost';
      const url = `http://${shownHost}:${address.port}`;
      database.announcePort?.(address.port);
      Object.assign(site, { publicBaseUrl: config.PUBLIC_BASE_URL ?? url, orgUrl: config.ORG_URL ?? url });
      return {
        url,
        port: address.port,
        stop, // the drain plugin closes the HTTP server after in-flight requests
      };
    },
    stop,
  };
}
