/**
 * GET /metrics over HTTP: the counters move with the requests the server answered, outcomes are the
 * first error code, labels carry route patterns and capped operation names (never a path or an ID),
 * METRICS_TOKEN guards the scrape, and the webhook queue and dispatcher are measured.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { externalSources } from '../../src/db/schema.js';
import { toGlobalId } from '../../src/domain/global-ids.js';
import { codes, ok, startTestApp, type TestApp } from '../support/app.js';
import { createDesk, type Desk } from '../support/factories.js';
import { startReceiver } from '../support/receiver.js';
import { ALL_EVENTS, createEndpoint, publish, reviewedClaim, waitForDeliveries } from '../support/webhooks.js';
import { parsePrometheus, type Sample } from '../support/prometheus.js';

/** The sum of a metric's samples whose labels include `labels`. */
const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);

async function scrape(app: TestApp, token?: string) {
  const response = await fetch(`${app.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(await response.text());
}

const METRICS_TOKEN = 'a-metrics-token-for-tests-only';
let app: TestApp;
let desk: Desk;

beforeAll(async () => {
  app = await startTestApp({ METRICS_TOKEN });
  desk = await createDesk(app.database.db);
});
afterAll(async () => {
  await app?.stop();
});

describe('GET /metrics', () => {
  test('a GraphQL query moves the operation, HTTP and database metrics; process defaults are there', async () => {
    const before = await scrape(app, METRICS_TOKEN);
    ok(await app.gql('query DashboardCount { claims(first: 1) { totalCount } }', {}, desk.editor.token));
    const after = await scrape(app, METRICS_TOKEN);

    const op = { operation_name: 'DashboardCount', operation_type: 'query' };
    expect(value(after, 'graphql_operations_total', { ...op, outcome: 'ok' }) - value(before, 'graphql_operations_total', { ...op, outcome: 'ok' })).toBe(1);
    expect(value(after, 'graphql_operation_duration_seconds_count', op) - value(before, 'graphql_operation_duration_seconds_count', op)).toBe(1);
    expect(value(after, 'graphql_operation_duration_seconds_sum', op)).toBeGreaterThan(0);
    const http = { route: '/graphql', method: 'POST', status: '200' };
    expect(value(after, 'http_requests_total', http) - value(before, 'http_requests_total', http)).toBe(1);
    expect(value(after, 'http_request_duration_seconds_count', http) - value(before, 'http_request_duration_seconds_count', http)).toBe(1);
    // The first scrape itself was answered and counted before the second.
    expect(value(after, 'http_requests_total', { route: '/metrics', method: 'GET', status: '200' })).toBeGreaterThanOrEqual(1);
    // The claims page and its count are statements; none is left running between requests.
    expect(value(after, 'db_query_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThan(
      value(before, 'db_query_duration_seconds_count', { outcome: 'ok' }),
    );
    expect(value(after, 'db_queries_in_flight')).toBe(0);
    expect(value(after, 'db_transactions_open')).toBe(0);
    expect(value(after, 'db_pool_max_connections', { database: app.database.kind })).toBe(app.database.kind === 'pglite' ? 1 : 10);
    // collectDefaultMetrics, on this app's registry.
    expect(after.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true);
    expect(after.some((s) => s.name === 'nodejs_heap_size_used_bytes')).toBe(true);
    expect(after.find((s) => s.name === 'log_lines_dropped_total')?.value).toBe(0);
  });

  test('a FORBIDDEN answer (HTTP 200) counts with its code; anonymous and refused operations have their own names', async () => {
    const before = await scrape(app, METRICS_TOKEN);
    const refused = await app.gql('query Stats { deskStatistics { claimsCreated } }', {}, desk.partner.token);
    expect(refused.status).toBe(200);
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    ok(await app.gql('{ viewer { name } }', {}, desk.editor.token));
    const badToken = await app.gql('query Me { viewer { name } }', {}, 'not-a-token-we-issued');
    expect(badToken.status).toBe(401);
    const after = await scrape(app, METRICS_TOKEN);

    const delta = (labels: Record<string, string>) => value(after, 'graphql_operations_total', labels) - value(before, 'graphql_operations_total', labels);
    expect(delta({ operation_name: 'Stats', operation_type: 'query', outcome: 'FORBIDDEN' })).toBe(1);
    expect(delta({ operation_name: 'Stats', outcome: 'ok' })).toBe(0);
    expect(delta({ operation_name: 'anonymous', operation_type: 'query', outcome: 'ok' })).toBe(1);
    // Refused before the operation was read: its name is not known, its code is.
    expect(delta({ operation_name: 'unknown', operation_type: 'unknown', outcome: 'UNAUTHENTICATED' })).toBe(1);
    expect(
      value(after, 'http_requests_total', { route: '/graphql', status: '401' }) - value(before, 'http_requests_total', { route: '/graphql', status: '401' }),
    ).toBe(1);
  });

  test('requests refused before any operation count with their code: malformed JSON, a GET without a CSRF-safe header', async () => {
    const before = await scrape(app, METRICS_TOKEN);
    const malformed = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(malformed.status).toBe(400);
    const csrf = await fetch(`${app.url}/graphql?query=%7B__typename%7D`, { headers: { accept: 'application/json' } });
    expect(csrf.status).toBe(400);
    const after = await scrape(app, METRICS_TOKEN);
    const unknown = { operation_name: 'unknown', operation_type: 'unknown', outcome: 'BAD_REQUEST' };
    expect(value(after, 'graphql_operations_total', unknown) - value(before, 'graphql_operations_total', unknown)).toBe(2);
    expect(value(after, 'graphql_operations_total', { outcome: 'ok' }) - value(before, 'graphql_operations_total', { outcome: 'ok' })).toBe(0);
  });

  test('routes are labelled by pattern, never by the path asked for', async () => {
    const id = 'RmFjdENoZWNrOjAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMA';
    expect((await fetch(`${app.url}/fact-checks/${id}`)).status).toBe(404);
    expect((await fetch(`${app.url}/fact-checks/${id}.jsonld`)).status).toBe(404);
    expect((await fetch(`${app.url}/no/such/path-7f3a`)).status).toBe(404);
    const after = await scrape(app, METRICS_TOKEN);
    expect(value(after, 'http_requests_total', { route: '/fact-checks/:id', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(value(after, 'http_requests_total', { route: '/fact-checks/:id.jsonld', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(value(after, 'http_requests_total', { route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
    const labelValues = after.flatMap((s) => Object.values(s.labels));
    expect(labelValues.filter((v) => v.includes(id) || v.includes('7f3a') || v.includes(desk.editor.id))).toEqual([]);
  });

  test('with METRICS_TOKEN set, a scrape without it, or with another, is refused with 401 JSON', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer a-metrics-token-for-tests-onlX' },
      { authorization: `Bearer ${desk.admin.token}` },
      { authorization: METRICS_TOKEN },
    ] as Record<string, string>[]) {
      const response = await fetch(`${app.url}/metrics`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await response.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.stringContaining('METRICS_TOKEN') } });
    }
    expect((await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(200);
  });

  test("the webhook queue as the database holds it: PENDING and DUE deliveries, the oldest one's wait", async () => {
    // No dispatcher runs in this app: the deliveries stay PENDING and due.
    await createEndpoint(app, desk.editor.token, 'http://127.0.0.1:9/never-called', ALL_EVENTS);
    await publish(app, desk, await reviewedClaim(app, desk));
    const rows = await app.database.db.execute<{ n: number }>(sql`select count(*)::int as n from webhook_deliveries where state = 'PENDING'`);
    const pending = Number((Array.isArray(rows) ? rows : (rows as unknown as { rows: { n: number }[] }).rows)[0]!.n);
    expect(pending).toBeGreaterThanOrEqual(3); // assignment.created, claim.status_changed…, fact_check.published
    const after = await scrape(app, METRICS_TOKEN);
    expect(value(after, 'webhook_deliveries', { state: 'PENDING' })).toBe(pending);
    expect(value(after, 'webhook_deliveries', { state: 'DUE' })).toBe(pending);
    expect(value(after, 'webhook_delivery_oldest_due_seconds')).toBeGreaterThanOrEqual(0);
  });

  test('while the database reading is held up (1 s, then the scrape answers), the last values stay: a feed keeps its last success', async () => {
    const seconds = Math.floor(Date.now() / 1000) - 120;
    const [row] = await app.database.db
      .insert(externalSources)
      .values({ name: 'Held feed', url: 'https://feeds.example/held.json', enabled: false, lastSuccessAt: new Date(seconds * 1000) })
      .returning({ id: externalSources.id });
    const labels = { source_id: toGlobalId('ExternalSource', row!.id) };
    expect(value(await scrape(app, METRICS_TOKEN), 'external_source_last_success_timestamp_seconds', labels)).toBe(seconds);

    // A transaction holding the feeds' table: the scrape's reading waits on it (on PGlite, on its one connection).
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = app.database.db.transaction(async (tx) => {
      await tx.execute(sql`lock table external_sources in access exclusive mode`);
      locked();
      await released;
    });
    try {
      await isLocked;
      const startedAt = Date.now();
      const held = await scrape(app, METRICS_TOKEN);
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900);
      expect(value(held, 'external_source_last_success_timestamp_seconds', labels)).toBe(seconds);
    } finally {
      release();
      await holder;
    }
  });
});

describe('without METRICS_TOKEN', () => {
  let open: TestApp;
  beforeAll(async () => {
    open = await startTestApp({}, { webhookDispatcher: { WEBHOOK_RETRY_BASE_MS: 50, WEBHOOK_MAX_ATTEMPTS: 3, WEBHOOK_TIMEOUT_MS: 2_000 } });
  });
  afterAll(async () => {
    await open?.stop();
  });

  test('the scrape is open, and each app has its own registry', async () => {
    const samples = await scrape(open);
    // This app has answered nothing on /graphql yet, whatever the other app in this process did.
    expect(value(samples, 'graphql_operations_total')).toBe(0);
    expect(value(samples, 'http_requests_total', { route: '/graphql' })).toBe(0);
  });

  test('the dispatcher counts its attempts by outcome and how late they started', async () => {
    const openDesk = await createDesk(open.database.db);
    const receiver = await startReceiver(() => 200);
    try {
      const { endpoint } = await createEndpoint(open, openDesk.editor.token, receiver.url, ['FACT_CHECK_PUBLISHED']);
      await publish(open, openDesk, await reviewedClaim(open, openDesk));
      await waitForDeliveries(open, openDesk.editor.token, endpoint.id, (d) => d.length === 1 && d[0]!.state === 'DELIVERED');
      const after = await scrape(open);
      expect(value(after, 'webhook_delivery_attempts_total', { state: 'DELIVERED' })).toBe(1);
      expect(value(after, 'webhook_delivery_lag_seconds_count')).toBe(1);
      expect(value(after, 'webhook_deliveries', { state: 'PENDING' })).toBe(0);
    } finally {
      await receiver.stop();
    }
  });

  test('operation names are capped: of 200 distinct names, 100 get a label and the rest count as "other"', async () => {
    const before = await scrape(open);
    const namedBefore = new Set(before.filter((s) => s.name === 'graphql_operations_total').map((s) => s.labels.operation_name));
    for (let i = 0; i < 200; i++) {
      const response = await open.gql(`query Probe${i} { viewer { name } }`, {}, null);
      expect(response.status).toBe(200);
    }
    const after = await scrape(open);
    const names = new Set(after.filter((s) => s.name === 'graphql_operations_total').map((s) => s.labels.operation_name!));
    const distinct = [...names].filter((n) => !['anonymous', 'unknown', 'other'].includes(n));
    expect(distinct.length).toBe(100);
    const probes = distinct.filter((n) => n.startsWith('Probe'));
    const room = 100 - [...namedBefore].filter((n) => n && !['anonymous', 'unknown', 'other'].includes(n)).length;
    expect(probes.length).toBe(room);
    // The first names seen keep their labels; every later one is "other".
    expect(probes.sort()).toEqual(Array.from({ length: room }, (_, i) => `Probe${i}`).sort());
    expect(value(after, 'graphql_operations_total', { operation_name: 'other' }) - value(before, 'graphql_operations_total', { operation_name: 'other' })).toBe(
      200 - room,
    );
    expect(value(after, 'graphql_operation_duration_seconds_count', { operation_name: 'other' })).toBe(200 - room);
  });
});
