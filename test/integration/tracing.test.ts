/**
 * OpenTelemetry traces of the compiled server, exported over OTLP/HTTP (JSON) to a receiver in this
 * test: one dashboard request makes a tree (the HTTP server span, the GraphQL operation under it,
 * the SQL statements under that) in which no token, variable or bind value appears; a webhook
 * attempt is a trace of its own, with the statements recording it under it; without
 * OTEL_EXPORTER_OTLP_ENDPOINT nothing is exported and the log line carries no trace id.
 * On both databases: postgres.js and PGlite statements are observed in different places (src/db/connection.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
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

const serverEnv = { SEED: 'demo', NODE_ENV: 'development', LOG_LEVEL: 'info' };

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
