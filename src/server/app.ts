import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { pinoHttp } from 'pino-http';
import { DEFAULT_AUTH_FAILURES_PER_MINUTE, type Config } from '../config.js';
import type { DatabaseHandle } from '../db/connection.js';
import type { ClaimReviewSettings } from '../domain/claim-review.js';
import type { Context } from '../graphql/context.js';
import { getSchema } from '../graphql/schema.js';
import { bearerToken, buildContext, requestIdOf, viewerFor } from './context.js';
import { createFormatError, isUnexpected } from './errors.js';
import { publicRoutes } from './public-routes.js';
import { createAuthLimiter } from './auth-limiter.js';
import { installCors } from './cors.js';
import { installGraphQLIde } from './graphql-ide.js';
import { jitGateway } from './jit.js';
import { queryLimits } from './limits.js';
import type { Logger } from './logger.js';

export type ServerConfig = Pick<Config, 'NODE_ENV' | 'PUBLIC_BASE_URL' | 'ORG_NAME' | 'ORG_URL'> & Partial<Pick<Config, 'AUTH_FAILURES_PER_MINUTE' | 'CORS_ORIGINS'>>;

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Largest accepted request body: a 1,000,000-code-point article, 4 bytes each, JSON-escaped. */
const BODY_LIMIT = '10mb';

export async function createServer(config: ServerConfig, database: DatabaseHandle, logger: Logger) {
  const site: ClaimReviewSettings = { publicBaseUrl: config.PUBLIC_BASE_URL, orgName: config.ORG_NAME, orgUrl: config.ORG_URL };
  const production = config.NODE_ENV === 'production';
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const authLimiter = createAuthLimiter(config.AUTH_FAILURES_PER_MINUTE ?? DEFAULT_AUTH_FAILURES_PER_MINUTE);
  const limits = queryLimits();

  const apollo = new ApolloServer<Context>({
    gateway: jitGateway(await getSchema()),
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM (drain, close the database, exit 0); Apollo's own handler would stop it
    // a second time, and that second stop() never resolves.
    stopOnTerminationSignals: false,
    formatError: createFormatError({ production }),
    parseOptions: limits.parseOptions,
    allowBatchedHttpRequests: false,
    plugins: [
      ...limits.plugins,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // Its willResolveField hook makes Apollo wrap every field resolver; we send no cache hints.
      ApolloServerPluginCacheControlDisabled(),
      {
        async requestDidStart({ contextValue }) {
          return {
            async didEncounterErrors({ errors }) {
              for (const error of errors) {
                if (isUnexpected(error)) logger.error({ err: error.originalError ?? error, requestId: contextValue.requestId, path: error.path }, 'unexpected error');
              }
            },
          };
        },
      },
    ],
  });
  await apollo.start();

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
  installCors(app, config.CORS_ORIGINS);
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
  app.use(publicRoutes(database, site, authLimiter));
  installGraphQLIde(app, { production });
  app.use(
    '/graphql',
    express.json({ limit: BODY_LIMIT }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = res.locals.requestId as string;
        try {
          const viewer = await viewerFor(database.db, bearerToken(req.headers), req.socket.remoteAddress ?? 'unknown', authLimiter);
          return buildContext(database.db, viewer, site, requestId);
        } catch (error) {
          // Before a context exists, the per-request logging plugin cannot see the failure.
          if (isUnexpected(error)) logger.error({ err: error, requestId }, 'unexpected error while authenticating');
          throw error;
        }
      },
    }),
  );
  app.use((error: Error & { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error, requestId: res.locals.requestId }, 'unexpected HTTP error');
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
    const message = status === 413 ? `Request body is larger than ${BODY_LIMIT}` : status === 500 ? 'Internal server error' : 'Malformed request';
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  });

  return {
    app,
    httpServer,
    async listen(port: number, host?: string): Promise<RunningServer> {
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve());
      });
      const address = httpServer.address() as AddressInfo;
      const shownHost = host && host !== '0.0.0.0' && host !== '::' ? host : 'localhost';
      return {
        url: `http://${shownHost}:${address.port}`,
        port: address.port,
        stop: () => apollo.stop(), // the drain plugin closes the HTTP server after in-flight requests
      };
    },
    stop: () => apollo.stop(),
  };
}
