import type http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { DatabaseHandle } from '../../db/connection.js';
import type { ClaimReviewSettings } from '../../domain/fact-checks/schema-org-claim-review.js';
import type { Context } from '../../graphql/core/resolver-context.js';
import { getSchema } from '../../graphql/schema.js';
import type { AccessControl } from '../../domain/access/access-control.js';
import { authenticateEarly, bearerToken, buildContext, clientGone, viewerFor } from '../request-context.js';
import { asServiceUnavailable, createFormatError, logUnexpected, serviceUnavailablePlugin } from '../graphql-errors.js';
import { idempotentMutations } from '../idempotency.js';
import { jitGateway } from '../jit.js';
import { queryLimits } from '../limits.js';
import type { Logger } from '../logger.js';
import type { WebhookPolicy } from '../../domain/webhooks/endpoints.js';
import type { FeedRuntime } from '../../domain/external-sources/settings.js';
import type { ReadDatabases } from '../../domain/request-database.js';
import type { ImportSettings } from '../../domain/external-imports/settings.js';
import { partnerReadsPlugin } from '../read-routing.js';
import { noteRefusal, openOperationReport, operationReportPlugin, withReport } from '../operation-report.js';
import type { Tracing } from '../tracing.js';
import { operationSpansPlugin, reenterRequestContext, withinOperation } from '../tracing-spans.js';

/** Largest accepted request body: a 1,000,000-code-point article, 4 bytes each, JSON-escaped. */
export const BODY_LIMIT = '10mb';

export interface GraphQLSetup {
  httpServer: http.Server;
  database: DatabaseHandle;
  logger: Logger;
  site: ClaimReviewSettings;
  access: AccessControl;
  production: boolean;
  /** Idempotency-Key on mutations: how long a key is kept, how long a retry waits for the first attempt. */
  idempotency: { ttlSeconds: number; waitMs: number };
  /** What webhook endpoints may target, and the key their secrets are encrypted under. */
  webhooks: WebhookPolicy;
  /** How feeds are checked and fetched (fetchExternalSource fetches in the request). */
  feeds: FeedRuntime;
  /** Where partner reads go (src/server/read-routing.ts). */
  reads: ReadDatabases;
  /** How imports of ClaimReview markup are batched. */
  imports: ImportSettings;
  /** Null when tracing is off (src/server/tracing.ts). */
  tracing?: Tracing | null;
}

/** Apollo Server on /graphql, started; its stop() drains the HTTP server. */
export async function installGraphQL(
  app: express.Express,
  { httpServer, database, logger, site, access, production, idempotency, webhooks, reads, imports, feeds, tracing }: GraphQLSetup,
) {
  const limits = queryLimits();
  const apollo = new ApolloServer<Context>({
    gateway: jitGateway(await getSchema(), tracing ? withinOperation : undefined),
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    // serve.ts owns SIGTERM (drain, close the database, exit 0); Apollo's own handler would stop it
    // a second time, and that second stop() never resolves.
    stopOnTerminationSignals: false,
    formatError: createFormatError({ production }),
    parseOptions: limits.parseOptions,
    allowBatchedHttpRequests: false,
    plugins: [
      ...(tracing ? [operationSpansPlugin(tracing.tracer)] : []),
      ...limits.plugins,
      serviceUnavailablePlugin(),
      partnerReadsPlugin(),
      operationReportPlugin(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // Its willResolveField hook makes Apollo wrap every field resolver; we send no cache hints.
      ApolloServerPluginCacheControlDisabled(),
      {
        async requestDidStart({ contextValue }) {
          return {
            async didEncounterErrors({ errors }) {
              for (const error of errors) logUnexpected(logger, error, { requestId: contextValue.requestId, path: error.path }, 'unexpected error');
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  // Its own app only to turn ETags off: Express would hash every response (~40 KB for a dashboard
  // page, re-encoded to bytes first) for a validator that no GraphQL client sends back.
  const graphql = express();
  graphql.disable('x-powered-by');
  graphql.set('etag', false);
  app.use('/graphql', graphql);
  graphql.use(
    openOperationReport,
    authenticateEarly(access),
    express.json({ limit: BODY_LIMIT }),
    ...(tracing ? [reenterRequestContext] : []),
    idempotentMutations({ apollo, database, site, access, logger, webhooks, reads, imports, feeds, ...idempotency }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = res.locals.requestId as string;
        try {
          const viewer = await viewerFor(access, bearerToken(req.headers), req.ip ?? 'unknown', res);
          return withReport(res, buildContext({ reads }, viewer, site, requestId, { webhooks, access, imports, feeds }, clientGone(res)));
        } catch (error) {
          noteRefusal(res, error);
          // Before a context exists, the per-request logging plugin cannot see the failure.
          logUnexpected(logger, error, { requestId }, 'unexpected error while authenticating');
          throw asServiceUnavailable(error);
        }
      },
    }),
  );
  return apollo;
}
