import { createServer, type ServerConfig } from '../../src/server/app.js';
import { startWebhookDispatcher } from '../../src/jobs/webhook-dispatcher.js';
import { startPublicationRelease } from '../../src/jobs/publication-release.js';
import { startExternalSourceFetcher } from '../../src/jobs/external-source-fetcher.js';
import { dispatchSettings, type WebhookConfig } from '../../src/server/webhook-settings.js';
import { createLogger, type Logger } from '../../src/server/logger.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const TEST_SITE = {
  NODE_ENV: 'test',
  PUBLIC_BASE_URL: 'https://factcheck.test',
  ORG_NAME: 'Test Desk',
  ORG_URL: 'https://desk.test',
  AUTH_FAILURES_PER_MINUTE: 10_000,
  // Far above what any test sends, except the rate-limit tests, which set their own budgets.
  RATE_LIMIT_PARTNER_PER_MINUTE: 1_000_000,
  RATE_LIMIT_STAFF_PER_MINUTE: 1_000_000,
} as const;

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; field?: string } & Record<string, unknown> }[];
  headers: Headers;
}

export interface TestApp {
  url: string;
  database: TestDatabase;
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

/** The real HTTP server on a fresh database, on a free loopback port. stop() closes both. */
export async function startTestApp(
  config: Partial<Record<Exclude<keyof ServerConfig, 'TRUST_PROXY'>, string | number>> &
    Partial<WebhookConfig> & { TRUST_PROXY?: boolean | number | string[] } = {},
  options: {
    onQuery?: (sql: string) => void;
    logger?: Logger;
    webhookDispatcher?: Partial<WebhookConfig>;
    /** Runs the release of scheduled publications as start.ts does, polling this often. */
    releasePollMs?: number;
    feedFetcher?: { pollMs: number };
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase(options);
  const logger = options.logger ?? createLogger('silent');
  const server = await createServer({ ...TEST_SITE, ...config } as never, database, logger);
  const running = await server.listen(0, '127.0.0.1');
  // The webhook dispatcher as start.ts runs it, with its own settings (e.g. production's SSRF guard
  // while the API itself was told to allow private URLs).
  const site = { publicBaseUrl: TEST_SITE.PUBLIC_BASE_URL, orgName: TEST_SITE.ORG_NAME, orgUrl: TEST_SITE.ORG_URL };
  const dispatcher = options.webhookDispatcher
    ? await startWebhookDispatcher(database, dispatchSettings({ NODE_ENV: 'test', ...options.webhookDispatcher }, site), logger, server.metrics?.dispatch)
    : null;
  const release = options.releasePollMs ? startPublicationRelease(database, options.releasePollMs, logger, server.metrics?.release) : null;
  // The feed fetcher as start.ts runs it, sharing the server's feed runtime (settings, clock, metrics).
  const fetcher = options.feedFetcher ? startExternalSourceFetcher(database, server.feeds, options.feedFetcher.pollMs, logger) : null;
  return {
    url: running.url,
    database,
    async gql(query, variables, token) {
      const response = await fetch(`${running.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: GraphQLResponse['errors'] };
      return { status: response.status, data: body.data as never, errors: body.errors, headers: response.headers };
    },
    async stop() {
      await Promise.all([running.stop(), dispatcher?.stop(), release?.stop(), fetcher?.stop()]);
      await database.drop();
    },
  };
}

/** The data of a response that must have succeeded; fails the test with the errors otherwise. */
export function ok<T>(response: GraphQLResponse<T>): T {
  if (response.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
  return response.data as T;
}

/** The codes of a response's errors, in order. */
export const codes = (response: GraphQLResponse) => (response.errors ?? []).map((e) => e.extensions?.code);
