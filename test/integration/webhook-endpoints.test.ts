/** Managing endpoints: who may, what each sees, and the SSRF guard of production mode. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { webhookEndpoints } from '../../src/db/schema.js';
import { codes, ok, startTestApp, type TestApp } from '../support/app.js';
import { createDesk, type Desk } from '../support/factories.js';
import { startReceiver } from '../support/receiver.js';
import { ALL_EVENTS, createEndpoint, FACT_CHECK_EVENTS, publish, reviewedClaim, W, waitForDeliveries } from '../support/webhooks.js';

describe('endpoints', () => {
  let app: TestApp;
  let desk: Desk;
  beforeAll(async () => {
    app = await startTestApp({ WEBHOOK_SECRET_KEY: 'a test key of at least thirty-two characters' });
    desk = await createDesk(app.database.db);
  });
  afterAll(async () => {
    await app?.stop();
  });

  test('partners may not hear staff events, reviewers may not register, no token is UNAUTHENTICATED', async () => {
    for (const event of ['CLAIM_STATUS_CHANGED', 'ASSIGNMENT_CREATED']) {
      expect(
        codes(await app.gql(W.create, { i: { url: 'https://partner.example/hook', events: ['FACT_CHECK_PUBLISHED', event] } }, desk.partner.token)),
      ).toEqual(['FORBIDDEN']);
    }
    expect(codes(await app.gql(W.create, { i: { url: 'https://desk.example/hook', events: FACT_CHECK_EVENTS } }, desk.reviewer1.token))).toEqual(['FORBIDDEN']);
    expect(codes(await app.gql(W.create, { i: { url: 'https://desk.example/hook', events: FACT_CHECK_EVENTS } }, null))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await app.gql(W.endpoints, {}, desk.reviewer1.token))).toEqual(['FORBIDDEN']);
    const empty = await app.gql(W.create, { i: { url: 'https://desk.example/hook', events: [] } }, desk.editor.token);
    expect(codes(empty)).toEqual(['BAD_USER_INPUT']);
    expect(empty.errors![0]!.extensions!.field).toBe('events');
    expect(codes(await app.gql(W.create, { i: { url: 'ftp://desk.example/hook', events: FACT_CHECK_EVENTS } }, desk.editor.token))).toEqual(['BAD_USER_INPUT']);
  });

  test("partners may subscribe to the answers to correction requests (their own requests' only reach them), with or without fact-check events", async () => {
    for (const events of [['CORRECTION_REQUEST_RESOLVED'], [...FACT_CHECK_EVENTS, 'FACT_CHECK_UPDATED', 'CORRECTION_REQUEST_RESOLVED']]) {
      const { endpoint } = await createEndpoint(app, desk.partner.token, 'https://partner.example/requests', events);
      expect(ok(await app.gql(W.deliveries, { id: endpoint.id }, desk.partner.token)).node.enabled).toBe(true);
      const updated = ok(await app.gql(W.update, { i: { endpointId: endpoint.id, events: ['CORRECTION_REQUEST_RESOLVED'] } }, desk.partner.token));
      expect(updated.updateWebhookEndpoint.endpoint.events).toEqual(['CORRECTION_REQUEST_RESOLVED']);
      ok(await app.gql(W.remove, { i: { endpointId: endpoint.id } }, desk.partner.token)); // the next test counts the partner's endpoints
    }
    const refused = await app.gql(
      W.create,
      { i: { url: 'https://partner.example/hook', events: ['CORRECTION_REQUEST_RESOLVED', 'CLAIM_STATUS_CHANGED'] } },
      desk.partner.token,
    );
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.errors![0]!.message).toContain('CLAIM_STATUS_CHANGED');
    const staff = await createEndpoint(app, desk.editor.token, 'https://desk.example/requests', ['CORRECTION_REQUEST_RESOLVED']);
    ok(await app.gql(W.remove, { i: { endpointId: staff.endpoint.id } }, desk.editor.token));
    expect(
      codes(await app.gql(W.create, { i: { url: 'https://desk.example/requests', events: ['CORRECTION_REQUEST_RESOLVED'] } }, desk.reviewer1.token)),
    ).toEqual(['FORBIDDEN']);
  });

  test('owners see and manage their own endpoints, admins every one; others get NOT_FOUND and change nothing', async () => {
    const mine = await createEndpoint(app, desk.partner.token, 'https://partner.example/mine', FACT_CHECK_EVENTS, 'cache purge');
    const theirs = await createEndpoint(app, desk.editor.token, 'https://desk.example/theirs', ALL_EVENTS);
    const partnerList = ok(await app.gql(W.endpoints, {}, desk.partner.token)).webhookEndpoints;
    expect(partnerList.edges.map((e: any) => e.node.id)).toEqual([mine.endpoint.id]);
    expect(partnerList.totalCount).toBe(1);
    const adminList = ok(await app.gql(W.endpoints, { first: 1 }, desk.admin.token)).webhookEndpoints;
    expect(adminList.pageInfo.hasNextPage).toBe(true);
    const next = ok(await app.gql(W.endpoints, { first: 1, after: adminList.pageInfo.endCursor }, desk.admin.token)).webhookEndpoints;
    expect([adminList.edges[0].node.id, next.edges[0].node.id].sort()).toEqual([mine.endpoint.id, theirs.endpoint.id].sort());

    expect(codes(await app.gql(W.update, { i: { endpointId: theirs.endpoint.id, enabled: false } }, desk.partner.token))).toEqual(['NOT_FOUND']);
    expect(codes(await app.gql(W.rotate, { i: { endpointId: theirs.endpoint.id } }, desk.partner.token))).toEqual(['NOT_FOUND']);
    expect(codes(await app.gql(W.remove, { i: { endpointId: theirs.endpoint.id } }, desk.partner.token))).toEqual(['NOT_FOUND']);
    expect(ok(await app.gql(W.deliveries, { id: theirs.endpoint.id }, desk.partner.token)).node).toBeNull();
    // An admin may not widen a partner's endpoint to staff events either.
    expect(codes(await app.gql(W.update, { i: { endpointId: mine.endpoint.id, events: ALL_EVENTS } }, desk.admin.token))).toEqual(['FORBIDDEN']);
    const updated = ok(
      await app.gql(W.update, { i: { endpointId: mine.endpoint.id, description: 'renamed', events: ['FACT_CHECK_RETRACTED'] } }, desk.admin.token),
    ).updateWebhookEndpoint.endpoint;
    expect(updated).toMatchObject({ description: 'renamed', events: ['FACT_CHECK_RETRACTED'], enabled: true, url: 'https://partner.example/mine' });
  });

  test('with WEBHOOK_SECRET_KEY the secret is stored sealed, and deliveries are still signed with it', async () => {
    const receiver = await startReceiver();
    const { endpoint, secret } = await createEndpoint(app, desk.partner.token, receiver.url, FACT_CHECK_EVENTS);
    const rows = await app.database.db.select({ secret: webhookEndpoints.secret }).from(webhookEndpoints);
    expect(rows.every((r) => r.secret.startsWith('enc:v1:') && !r.secret.includes(secret.slice(6)))).toBe(true);
    // This app runs no dispatcher: a second one, with the same key, delivers.
    const { startWebhookDispatcher } = await import('../../src/jobs/webhook-dispatcher.js');
    const { dispatchSettings } = await import('../../src/server/webhook-settings.js');
    const { createLogger } = await import('../../src/server/logger.js');
    const dispatcher = await startWebhookDispatcher(
      app.database,
      dispatchSettings(
        { NODE_ENV: 'test', WEBHOOK_SECRET_KEY: 'a test key of at least thirty-two characters' },
        { publicBaseUrl: 'https://factcheck.test', orgName: 'T', orgUrl: 'https://t.test' },
      ),
      createLogger('silent'),
    );
    try {
      await publish(app, desk, await reviewedClaim(app, desk));
      const [got] = await receiver.waitFor((r) => r.length === 1);
      const { Webhook } = (await import('standardwebhooks')).default;
      expect(() => new Webhook(secret).verify(got!.body, got!.headers)).not.toThrow();
      await waitForDeliveries(app, desk.partner.token, endpoint.id, (d) => d[0]?.state === 'DELIVERED');
    } finally {
      await dispatcher.stop();
      await receiver.stop();
    }
  });
});

describe('SSRF guard in production mode', () => {
  let app: TestApp;
  let desk: Desk;
  afterAll(async () => {
    await app?.stop();
  });

  test('endpoints on loopback, private, link-local, metadata or mapped addresses are refused at registration', async () => {
    app = await startTestApp({ NODE_ENV: 'production' });
    desk = await createDesk(app.database.db);
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://10.1.2.3/',
      'http://192.168.0.10/',
      'http://172.16.5.4/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://0.0.0.0/',
      'http://100.64.0.1/',
      'http://no-such-host.invalid/',
    ]) {
      const refused = await app.gql(W.create, { i: { url, events: FACT_CHECK_EVENTS } }, desk.partner.token);
      expect(codes(refused), url).toEqual(['BAD_USER_INPUT']);
      expect(refused.errors![0]!.extensions!.field).toBe('url');
    }
    expect(await app.database.db.select().from(webhookEndpoints)).toEqual([]);
    // A public address passes (an IP literal: no DNS needed on this machine).
    await createEndpoint(app, desk.partner.token, 'https://93.184.215.14/hook', FACT_CHECK_EVENTS);
  });

  test('and checked again on every attempt: an endpoint let in earlier gets nothing once private URLs are refused', async () => {
    const receiver = await startReceiver();
    const allowed = await startTestApp(
      { NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE_URLS: true as never },
      { webhookDispatcher: { NODE_ENV: 'production', WEBHOOK_RETRY_BASE_MS: 50, WEBHOOK_MAX_ATTEMPTS: 2 } },
    );
    try {
      const desk2 = await createDesk(allowed.database.db);
      const { endpoint } = await createEndpoint(allowed, desk2.partner.token, receiver.url, FACT_CHECK_EVENTS);
      await publish(allowed, desk2, await reviewedClaim(allowed, desk2));
      const { deliveries } = await waitForDeliveries(allowed, desk2.partner.token, endpoint.id, (d) => d[0]?.state === 'FAILED');
      expect(deliveries[0]!.lastError).toMatch(/^refused: 127\.0\.0\.1 resolves to 127\.0\.0\.1, which is not a public address/);
      expect(deliveries[0]!.lastResponseStatus).toBeNull();
      expect(receiver.received).toEqual([]);
    } finally {
      await allowed.stop();
      await receiver.stop();
    }
  });
});
