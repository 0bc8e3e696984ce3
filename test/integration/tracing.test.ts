/**
 * OpenTelemetry traces of the compiled server, exported over OTLP/HTTP (JSON) to a receiver in this
 * test: one dashboard request makes a tree (the HTTP server span, the GraphQL operation under it,
 * the SQL statements under that) in which no token, variable or bind value appears; a webhook
 * attempt is a trace of its own, with the statements recording it under it; so is a feed fetch by
 * the background job, with the import’s statements under it, while a fetch asked for by
 * fetchExternalSource hangs under its operation; no feed's `key=` value or password appears; without
 * OTEL_EXPORTER_OTLP_ENDPOINT nothing is exported and the log line carries no trace id.
 * On both databases: postgres.js and PGlite statements are observed in different places (src/db/connection.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { claimReview, dataFeed } from '../support/external-sources/claim-reviews.js';
import { S } from '../support/external-sources/external-sources.js';
import { startFeedServer, type FeedReply } from '../support/external-sources/feed-server.js';
import { killAllServers, okData, startServer, type ServerProcess } from '../support/processes.js';

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpValue[] };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: OtlpValue }[];
}
interface Received {
  path: string;
  contentType: string;
  body: string;
}

/** An OTLP/HTTP receiver on 127.0.0.1: keeps every request, answers 200 {}. */
async function startReceiver(port = 0) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: String(req.headers['content-type']), body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const spans = () =>
    received
      .filter((r) => r.path === '/v1/traces')
      .flatMap((r) => (JSON.parse(r.body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }).resourceSpans)
      .flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
  const resources = () =>
    received
      .filter((r) => r.path === '/v1/traces')
      .flatMap((r) => (JSON.parse(r.body) as { resourceSpans: { resource: { attributes: { key: string; value: OtlpValue }[] } }[] }).resourceSpans)
      .map((rs) => rs.resource);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    spans,
    resources,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  return value?.stringValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue));
};

async function until<T>(what: string, find: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The seeded editor's bearer token, from the lines the server prints at its first start. */
function editorToken(server: ServerProcess): string {
  const line = server.stdout.find((l) => /^\s+EDITOR\s/.test(l));
  const token = line
    ?.trim()
    .split(/\s+/)
    .find((word, i, words) => words[i + 1] === 'id');
  if (!token) throw new Error(`no EDITOR token in the server's output:\n${server.stdout.join('\n')}`);
  return token;
}

// Distinctive: a lowercase word, so that full-text search passes it to SQL unchanged.
const SEARCHED = 'otelvariablevalueqzx';
const DASHBOARD = `query DeskDashboard($search: String) {
  claims(first: 50) { edges { node { id quote status
    article { id title url }
    assignments { state reviewer { id name } }
    evidence { id title stance }
    verdicts { rating reviewer { name } }
    factCheck { id rating summary } } } }
  matching: claims(first: 5, filter: { search: $search }) { totalCount } }`;

const HOOK_PATH_SECRET = 'hookpathsecretvalue91';
const CREATE_ENDPOINT = 'mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret endpoint { id } } }';
const DISMISS = 'mutation($i: DismissClaimInput!) { dismissClaim(input: $i) { claim { status } } }';

// A feed's URL can carry an API key in its query string and a password in its user part.
const FEED_KEY = 'feedapikeyvalue73';
const FEED_PASSWORD = 'feedpasswordvalue58';
const feedUrl = (origin: string, path: string) => origin.replace('http://', `http://feeduser:${FEED_PASSWORD}@`) + `${path}?key=${FEED_KEY}&page=1`;
const FEED_ID = 'factcheck.feed.id';

const serverEnv = { SEED: 'demo', NODE_ENV: 'development', LOG_LEVEL: 'info', EXTERNAL_SOURCES_POLL_MS: '100' };

const databases: TestDatabase[] = [];
/** `memory:` on PGlite; on Postgres a fresh database of its own (the server seeds it at its start). */
async function databaseUrl(): Promise<string> {
  const database = await createTestDatabase({ poolSize: 1 });
  databases.push(database);
  return database.url ?? 'memory:';
}

afterAll(async () => {
  await killAllServers();
  for (const database of databases) await database.drop();
});

describe('OpenTelemetry traces', () => {
  test('one dashboard request: server span → GraphQL operation → SQL statements, no token, variable or bind value in any span; a webhook attempt span', async () => {
    const receiver = await startReceiver();
    try {
      const server = await startServer(
        'traced',
        {
          ...serverEnv,
          DATABASE_URL: await databaseUrl(),
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
          OTEL_BSP_SCHEDULE_DELAY: '100',
          OTEL_SERVICE_NAME: 'factcheck-tracing-test',
        },
        { readyTimeoutMs: 60_000 },
      );
      const token = editorToken(server);
      const answer = okData(await server.gql(DASHBOARD, { search: SEARCHED }, token));
      expect(answer.claims.edges.length).toBeGreaterThan(0);
      expect(answer.matching.totalCount).toBe(0);

      const logLine = await until('the request log line', () =>
        server.stdout.map((l) => JSON.parse(l.startsWith('{') ? l : 'null')).find((entry) => entry?.graphql?.operationName === 'DeskDashboard'),
      );
      expect(logLine.requestId).toEqual(expect.any(String));
      expect(logLine.traceId).toMatch(/^[0-9a-f]{32}$/);

      const root = await until('the request span', () => receiver.spans().find((s) => s.traceId === logLine.traceId && !s.parentSpanId));
      const trace = receiver.spans().filter((s) => s.traceId === logLine.traceId);
      expect(receiver.received.every((r) => r.contentType.startsWith('application/json'))).toBe(true);
      expect(receiver.resources()[0]?.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'factcheck-tracing-test' } });

      // The HTTP server span is the root of the request's trace.
      expect(root).toMatchObject({ name: 'POST /graphql', kind: 2 });
      expect(attribute(root, 'http.request.method')).toBe('POST');
      expect(attribute(root, 'http.response.status_code')).toBe(200);
      expect(attribute(root, 'factcheck.request_id')).toBe(logLine.requestId);

      // The operation, its child, with its name and type.
      const operations = trace.filter((s) => s.parentSpanId === root.spanId && attribute(s, 'graphql.operation.type'));
      expect(operations).toHaveLength(1);
      const operation = operations[0]!;
      expect(operation.name).toBe('query DeskDashboard');
      expect(attribute(operation, 'graphql.operation.name')).toBe('DeskDashboard');
      expect(attribute(operation, 'graphql.operation.type')).toBe('query');

      // The statements the execution ran: children of the operation, SQL text with placeholders.
      const statements = trace.filter((s) => s.parentSpanId === operation.spanId);
      console.log(trace.map((s) => `${s.spanId} <- ${s.parentSpanId} ${s.name} ${attribute(s, 'db.query.text')?.toString().slice(0, 400)}`).join('\n'));
      // The page with its relations (one statement: src/db/claim-page.ts builds it as JSON), its
      // rounds, and the search's count.
      expect(statements.length).toBeGreaterThanOrEqual(3);
      for (const statement of statements) {
        expect(statement.kind).toBe(3); // CLIENT
        expect(attribute(statement, 'db.system.name')).toBe('postgresql');
        expect(attribute(statement, 'db.query.text')).toMatch(/^\s*(select|with)\b/i);
      }
      const texts = statements.map((s) => String(attribute(s, 'db.query.text')));
      expect(texts.some((t) => /"claims"/.test(t))).toBe(true);
      expect(texts.some((t) => /evidence/.test(t))).toBe(true);
      // The search's value was bound ($n), not written into the text.
      expect(texts.some((t) => /websearch_to_tsquery\([^)]*\$\d+/.test(t))).toBe(true);
      // Authentication's statements, before the operation, hang under the request: nothing is an orphan.
      const ids = new Set(trace.map((s) => s.spanId));
      for (const span of trace) if (span.spanId !== root.spanId) expect(ids.has(span.parentSpanId!), span.name).toBe(true);

      // Nothing secret anywhere in what was exported: not the token, not the variable (also a bind value).
      const everything = receiver.received.map((r) => r.body).join('\n');
      expect(everything).not.toContain(token);
      expect(everything).not.toContain(SEARCHED);

      // A webhook attempt: a trace of its own, the statements recording it under it.
      const { createWebhookEndpoint: created } = okData(
        await server.gql(
          CREATE_ENDPOINT,
          { i: { url: `${receiver.url}/hook/${HOOK_PATH_SECRET}?key=${HOOK_PATH_SECRET}`, events: ['CLAIM_STATUS_CHANGED'] } },
          token,
        ),
      );
      const dismissible = answer.claims.edges
        .map((e: any) => e.node)
        .find((c: { status: string }) => ['OPEN', 'IN_REVIEW', 'DISPUTED', 'REVIEWED', 'PUBLISHED'].includes(c.status));
      okData(await server.gql(DISMISS, { i: { claimId: dismissible.id, reason: 'Out of scope.' } }, token));
      await until('the webhook delivery', () => receiver.received.find((r) => r.path.startsWith('/hook/')));
      const attempt = await until('the attempt span', () => receiver.spans().find((s) => s.name === 'webhook attempt'));
      expect(attempt.parentSpanId || undefined).toBeUndefined();
      expect(attempt.kind).toBe(3);
      expect(attribute(attempt, 'server.address')).toBe('127.0.0.1');
      expect(attribute(attempt, 'http.response.status_code')).toBe(200);
      expect(attribute(attempt, 'factcheck.webhook.state')).toBe('DELIVERED');
      const recording = receiver.spans().filter((s) => s.parentSpanId === attempt.spanId);
      // One statement records the outcome (a CTE around the delivery's update: named WITH).
      expect(recording.some((s) => /update "webhook_deliveries"/.test(String(attribute(s, 'db.query.text'))))).toBe(true);
      const exported = receiver.received
        .filter((r) => r.path === '/v1/traces')
        .map((r) => r.body)
        .join('\n');
      expect(exported).not.toContain(HOOK_PATH_SECRET);
      expect(exported).not.toContain(created.secret);

      expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    } finally {
      await receiver.close();
    }
  });

  test('a feed fetch: the job’s is a trace of its own, fetchExternalSource’s hangs under its operation; the import’s statements under it; no key= value or password', async () => {
    const receiver = await startReceiver();
    const feed = await startFeedServer((request): FeedReply =>
      request.path.startsWith('/feed.json')
        ? { headers: { 'content-type': 'application/ld+json' }, body: dataFeed([claimReview(1), claimReview(2)]) }
        : request.path.startsWith('/moved.json')
          ? { status: 302, headers: { location: 'http://feeds.invalid/feed.json' } }
          : { status: 500, body: 'down' },
    );
    try {
      const server = await startServer(
        'traced-feeds',
        {
          ...serverEnv,
          DATABASE_URL: await databaseUrl(),
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
          OTEL_BSP_SCHEDULE_DELAY: '100',
        },
        { readyTimeoutMs: 60_000 },
      );
      const token = editorToken(server);
      const fetchSpanOf = (sourceId: string) => receiver.spans().filter((s) => s.name === 'feed fetch' && attribute(s, FEED_ID) === sourceId);

      // A new feed is due at once: the job fetches it (EXTERNAL_SOURCES_POLL_MS=100).
      const good = okData(await server.gql(S.create, { i: { name: 'Good feed', url: feedUrl(feed.origin, '/feed.json') } }, token)).createExternalSource.source;
      const job = await until('the job’s feed fetch span', () => fetchSpanOf(good.id)[0]);
      expect(job.parentSpanId || undefined).toBeUndefined();
      expect(job.kind).toBe(3); // CLIENT
      expect(attribute(job, 'url.full')).toBe(`${feed.origin}/feed.json`);
      expect(attribute(job, 'http.request.method')).toBe('GET');
      expect(attribute(job, 'http.response.status_code')).toBe(200);
      expect(attribute(job, 'factcheck.feed.outcome')).toBe('success');
      expect(attribute(job, 'factcheck.feed.created')).toBe(2);
      // The import’s statements and the outcome's write are its children (the exporter may send them in an earlier batch).
      const children = await until('the fetch’s statements', () => {
        const texts = receiver
          .spans()
          .filter((s) => s.parentSpanId === job.spanId)
          .map((s) => String(attribute(s, 'db.query.text')));
        return texts.some((t) => /^\s*insert into "external_fact_checks"/i.test(t)) && texts.some((t) => /^\s*update "external_sources"/i.test(t))
          ? texts
          : undefined;
      });
      expect(children.length).toBeGreaterThanOrEqual(2);
      expect(feed.requests.find((r) => r.path.startsWith('/feed.json'))?.path).toContain(`key=${FEED_KEY}`);

      // A publisher that answers 500: the job’s fetch first, then one asked for through the API.
      const broken = okData(await server.gql(S.create, { i: { name: 'Broken feed', url: feedUrl(feed.origin, '/broken.json') } }, token)).createExternalSource
        .source;
      const failed = await until('the job’s failed fetch span', () => fetchSpanOf(broken.id)[0]);
      expect(attribute(failed, 'http.response.status_code')).toBe(500);
      expect(attribute(failed, 'factcheck.feed.outcome')).toBe('error');
      const asked = okData(await server.gql(S.fetch.replace('mutation(', 'mutation FetchNow('), { i: { sourceId: broken.id } }, token)).fetchExternalSource;
      expect(asked.source.lastError).toContain('answered HTTP 500');
      const logLine = await until('the mutation’s log line', () =>
        server.stdout.map((l) => JSON.parse(l.startsWith('{') ? l : 'null')).find((entry) => entry?.graphql?.operationName === 'FetchNow'),
      );
      const operation = await until('the mutation’s operation span', () =>
        receiver.spans().find((s) => s.traceId === logLine.traceId && s.name === 'mutation FetchNow'),
      );
      const underOperation = await until('the mutation’s fetch span', () => fetchSpanOf(broken.id).find((s) => s.traceId === logLine.traceId));
      expect(underOperation.parentSpanId).toBe(operation.spanId);
      expect(attribute(underOperation, 'http.response.status_code')).toBe(500);
      expect(attribute(underOperation, 'factcheck.feed.outcome')).toBe('error');

      // A redirect to a name that does not resolve: the last hop answered nothing, so no status (not the 302).
      const moved = okData(await server.gql(S.create, { i: { name: 'Moved feed', url: feedUrl(feed.origin, '/moved.json') } }, token)).createExternalSource
        .source;
      const lost = await until('the moved feed’s fetch span', () => fetchSpanOf(moved.id)[0]);
      expect(attribute(lost, 'factcheck.feed.outcome')).toBe('error');
      expect(attribute(lost, 'http.response.status_code')).toBeUndefined();

      expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      const exported = receiver.received
        .filter((r) => r.path === '/v1/traces')
        .map((r) => r.body)
        .join('\n');
      expect(exported).toContain('feed fetch');
      expect(exported).not.toContain(FEED_KEY);
      expect(exported).not.toContain(FEED_PASSWORD);
      expect(exported).not.toContain('feeduser');
    } finally {
      await feed.stop();
      await receiver.close();
    }
  });

  test('without OTEL_EXPORTER_OTLP_ENDPOINT nothing is exported, and the log line has no trace id', async () => {
    // On the default OTLP/HTTP port if it is free: an SDK started anyway would export there.
    const receiver = await startReceiver(4318).catch(() => startReceiver());
    try {
      const server = await startServer(
        'untraced',
        {
          ...serverEnv,
          DATABASE_URL: await databaseUrl(),
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
          OTEL_BSP_SCHEDULE_DELAY: '100',
          OTEL_SERVICE_NAME: 'factcheck-tracing-test',
        },
        { readyTimeoutMs: 60_000 },
      );
      okData(await server.gql(DASHBOARD, { search: SEARCHED }, editorToken(server)));
      const logLine = await until('the request log line', () =>
        server.stdout.map((l) => JSON.parse(l.startsWith('{') ? l : 'null')).find((entry) => entry?.graphql?.operationName === 'DeskDashboard'),
      );
      expect(logLine.requestId).toEqual(expect.any(String));
      expect(logLine).not.toHaveProperty('traceId');
      expect(server.stdout.join('\n')).not.toContain('OpenTelemetry traces on');
      // Five batch delays, and the flush a SIGTERM makes.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});
