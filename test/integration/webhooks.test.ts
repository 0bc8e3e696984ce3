/**
 * Webhooks end to end: the real server and its dispatcher, real receivers on 127.0.0.1. Small
 * retry settings keep it quick; nothing here asserts how fast anything is, only what arrives, in
 * what order, signed how, and that retries never come earlier than their backoff allows.
 */
import standardWebhooks from 'standardwebhooks';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { webhookDeliveries } from '../../src/db/schema.js';
import { codes, ok, startTestApp, type TestApp } from '../support/app.js';
import { createDesk, createUser, type Desk } from '../support/factories.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { mutate } from '../support/workflow.js';
import { ALL_EVENTS, createEndpoint, FACT_CHECK_EVENTS, publish, reviewedClaim, W, waitForDeliveries } from '../support/webhooks.js';
import { requestCorrection, resolveCorrectionRequest } from '../support/correction-requests/requests.js';

const RETRY_BASE_MS = 100;
const MAX_ATTEMPTS = 3;
const TIMEOUT_MS = 1_000;
const settings = { WEBHOOK_RETRY_BASE_MS: RETRY_BASE_MS, WEBHOOK_MAX_ATTEMPTS: MAX_ATTEMPTS, WEBHOOK_TIMEOUT_MS: TIMEOUT_MS, WEBHOOK_DISABLE_AFTER: 2 };

let app: TestApp;
let desk: Desk;
const receivers: Receiver[] = [];
const receiver = async (respond?: Receiver['respond']) => {
  const r = await startReceiver(respond);
  receivers.push(r);
  return r;
};

beforeAll(async () => {
  app = await startTestApp({}, { webhookDispatcher: settings });
  desk = await createDesk(app.database.db);
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});
afterAll(async () => {
  await app?.stop();
});

describe('delivery', () => {
  test('every subscribed endpoint gets what its owner may see, signed so that standardwebhooks verifies it', async () => {
    const staff = await receiver();
    const partner = await receiver();
    const staffEndpoint = await createEndpoint(app, desk.editor.token, staff.url, ALL_EVENTS, 'desk dashboard');
    const partnerEndpoint = await createEndpoint(app, desk.partner.token, partner.url, FACT_CHECK_EVENTS);
    expect(staffEndpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);

    const claimId = await reviewedClaim(app, desk);
    const { factCheck, claim } = await publish(app, desk, claimId);
    await partner.waitFor((r) => r.some((w) => w.json.type === 'fact_check.published'));
    // Deliveries to one endpoint run concurrently, so they may arrive in any order (claimVersion orders them).
    await staff.waitFor((r) => r.some((w) => w.json.type === 'fact_check.published') && r.some((w) => w.json.data.claim?.status === 'PUBLISHED'));

    for (const [r, secret] of [
      [staff, staffEndpoint.secret],
      [partner, partnerEndpoint.secret],
    ] as const) {
      for (const w of r.received) {
        expect(() => new standardWebhooks.Webhook(secret).verify(w.body, w.headers)).not.toThrow();
        expect(() => new standardWebhooks.Webhook(secret).verify(w.body.replace('"data"', '"dat\\u0061"'), w.headers)).toThrow();
      }
    }
    // Partners hear of fact checks only; staff also of the claim's way there.
    expect(partner.received.map((w) => w.json.type)).toEqual(['fact_check.published']);
    expect(staff.received.map((w) => w.json.type)).toEqual(expect.arrayContaining(['assignment.created', 'claim.status_changed', 'fact_check.published']));

    const published = partner.received[0]!.json;
    expect(published.data.claimVersion).toBe(claim.version);
    expect(published.data.factCheck).toMatchObject({
      id: factCheck.id,
      rating: 'FALSE',
      textualRating: 'False',
      url: `https://factcheck.test/fact-checks/${factCheck.id}`,
    });
    expect(published.data.factCheck.claimReview).toMatchObject({
      '@type': 'ClaimReview',
      claimReviewed: 'Hamas routinely hijacks aid.',
      reviewRating: { alternateName: 'False', ratingValue: 1 },
    });
    const statusChange = staff.received.find((w) => w.json.type === 'claim.status_changed' && w.json.data.claim.status === 'PUBLISHED')!;
    expect(statusChange.json.data).toMatchObject({
      claim: { id: claimId, status: 'PUBLISHED', previousStatus: 'REVIEWED', version: claim.version },
      claimVersion: claim.version,
    });
    const assigned = staff.received.find((w) => w.json.type === 'assignment.created')!;
    expect(assigned.json.data.assignment).toMatchObject({ claimId, reviewerId: desk.reviewer1.globalId });

    // The same event has the same webhook-id at every endpoint; the API shows the body that was sent.
    const staffCopy = staff.received.find((w) => w.json.type === 'fact_check.published')!;
    expect(staffCopy.headers['webhook-id']).toBe(partner.received[0]!.headers['webhook-id']);
    const { deliveries } = await waitForDeliveries(app, desk.partner.token, partnerEndpoint.endpoint.id, (d) => d.every((x) => x.state === 'DELIVERED'));
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      event: 'FACT_CHECK_PUBLISHED',
      attempts: 1,
      lastResponseStatus: 200,
      lastError: null,
      nextAttemptAt: null,
      eventId: partner.received[0]!.headers['webhook-id'],
    });
    expect(deliveries[0]!.payload).toEqual(published);

    // A correction, then a retraction (reopened, dismissed) follow, each with a newer claimVersion.
    await publish(app, desk, claimId, 'Corrected summary.', 'Typo in the summary.');
    ok(await mutate(app, desk.editor.token, 'reopen', { claimId, reason: 'Doubts.' }));
    ok(await mutate(app, desk.editor.token, 'dismiss', { claimId, reason: 'Withdrawn.' }));
    const all = await partner.waitFor((r) => r.length >= 3);
    expect(all.map((w) => w.json.type)).toEqual(['fact_check.published', 'fact_check.corrected', 'fact_check.retracted']);
    expect(all[2]!.json.data).toEqual({
      factCheck: { id: factCheck.id, url: `https://factcheck.test/fact-checks/${factCheck.id}` },
      claimVersion: claim.version + 3,
    });
    expect(all[1]!.json.data.claimVersion).toBe(claim.version + 1);
  });

  test("a backlog larger than an endpoint's share of attempts (4 at once) arrives whole, each event once, each delivery in one attempt", async () => {
    // Slow answers keep 4 attempts in flight: the rest wait for a slot, and each claim says whether more are due.
    const slow = await receiver(() => ({ status: 200, afterMs: 150 }));
    const { endpoint } = await createEndpoint(app, desk.partner.token, slow.url, ['FACT_CHECK_PUBLISHED']);
    const claimIds: string[] = [];
    for (let i = 0; i < 10; i++) claimIds.push(await reviewedClaim(app, desk));
    await Promise.all(claimIds.map((claimId) => publish(app, desk, claimId)));
    await slow.waitFor((r) => r.length >= 10);
    const { deliveries } = await waitForDeliveries(app, desk.partner.token, endpoint.id, (d) => d.length === 10 && d.every((x) => x.state === 'DELIVERED'));
    expect(deliveries.every((d) => d.attempts === 1)).toBe(true);
    expect(new Set(slow.received.map((w) => w.headers['webhook-id'])).size).toBe(10);
    expect(slow.received).toHaveLength(10);
  });

  test('a rotated secret signs what follows; a deleted endpoint receives nothing more', async () => {
    const r = await receiver();
    const { endpoint, secret: first } = await createEndpoint(app, desk.partner.token, r.url, FACT_CHECK_EVENTS);
    const rotated = ok(await app.gql(W.rotate, { i: { endpointId: endpoint.id } }, desk.partner.token)).rotateWebhookSecret.secret as string;
    expect(rotated).not.toBe(first);
    const claimId = await reviewedClaim(app, desk);
    await publish(app, desk, claimId);
    const [w] = await r.waitFor((x) => x.length === 1);
    expect(() => new standardWebhooks.Webhook(rotated).verify(w!.body, w!.headers)).not.toThrow();
    expect(() => new standardWebhooks.Webhook(first).verify(w!.body, w!.headers)).toThrow();

    expect(ok(await app.gql(W.remove, { i: { endpointId: endpoint.id } }, desk.partner.token)).deleteWebhookEndpoint.deletedId).toBe(endpoint.id);
    const after = await receiver();
    await createEndpoint(app, desk.partner.token, after.url, FACT_CHECK_EVENTS);
    await publish(app, desk, claimId, 'Second summary.', 'Updated.');
    await after.waitFor((x) => x.length === 1);
    expect(r.received).toHaveLength(1);
  });

  test('a rolled-back action sends nothing', async () => {
    const r = await receiver();
    await createEndpoint(app, desk.partner.token, r.url, FACT_CHECK_EVENTS);
    // A constraint checked at commit, after the outbox rows were written, fails this one publication.
    await app.database.db.execute(
      sql.raw(`
      create function fail_marked_event() returns trigger language plpgsql as $$
      begin
        if new.data::text like '%ROLL THIS BACK%' then raise exception 'rolled back at commit'; end if;
        return null;
      end $$`),
    );
    await app.database.db.execute(
      sql.raw(`
      create constraint trigger fail_marked_event after insert on webhook_events deferrable initially deferred
        for each row execute function fail_marked_event()`),
    );
    try {
      const doomed = await reviewedClaim(app, desk);
      const refused = await mutate(app, desk.editor.token, 'publish', { claimId: doomed, rating: 'FALSE', summary: 'ROLL THIS BACK' });
      expect(codes(refused)).toEqual(['INTERNAL_SERVER_ERROR']);
      const kept = await reviewedClaim(app, desk);
      await publish(app, desk, kept, 'This one commits.');
      await r.waitFor((x) => x.length >= 1);
      expect(r.received.map((w) => w.json.data.factCheck.claimReview.reviewBody)).toEqual(['This one commits.']);
      const rows = await app.database.db
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .where(sql`${webhookDeliveries.eventId} in (select id from webhook_events where data::text like '%ROLL THIS BACK%')`);
      expect(rows).toEqual([]);
    } finally {
      await app.database.db.execute(sql.raw('drop trigger fail_marked_event on webhook_events'));
      await app.database.db.execute(sql.raw('drop function fail_marked_event()'));
    }
  });

  test('an endpoint that follows a topic is sent, signed, the events of fact checks under it (before or after the change) only, with the topics in the payload', async () => {
    const r = await receiver();
    const topic = ok(
      await app.gql('mutation($i: CreateTopicInput!) { createTopic(input: $i) { topic { id name } } }', { i: { name: 'Aid diversion' } }, desk.editor.token),
    ).createTopic.topic;
    const setTopics = async (claimId: string, topicIds: string[]) =>
      ok(await app.gql('mutation($i: SetClaimTopicsInput!) { setClaimTopics(input: $i) { claim { id } } }', { i: { claimId, topicIds } }, desk.editor.token));
    const { secret, endpoint } = ok(
      await app.gql(W.create, { i: { url: r.url, events: [...FACT_CHECK_EVENTS, 'FACT_CHECK_UPDATED'], topicIds: [topic.id] } }, desk.partner.token),
    ).createWebhookEndpoint;
    await publish(app, desk, await reviewedClaim(app, desk), 'Not under the topic.');
    const filed = await reviewedClaim(app, desk);
    await setTopics(filed, [topic.id]);
    const { factCheck } = await publish(app, desk, filed, 'Under the topic.');
    await setTopics(filed, []); // out of it: the endpoint hears that too
    const received = await r.waitFor((x) => x.length >= 2);
    for (const w of received) expect(() => new standardWebhooks.Webhook(secret).verify(w.body, w.headers)).not.toThrow();
    const byType = Object.fromEntries(received.map((w) => [w.json.type, w.json.data]));
    expect(Object.keys(byType).sort()).toEqual(['fact_check.published', 'fact_check.updated']);
    expect(byType['fact_check.published'].factCheck).toMatchObject({ id: factCheck.id, topics: [{ id: topic.id, name: 'Aid diversion' }] });
    expect(byType['fact_check.published'].factCheck.claimReview.about).toEqual([{ '@type': 'Thing', name: 'Aid diversion' }]);
    expect(byType['fact_check.updated'].factCheck).toMatchObject({ id: factCheck.id, topics: [] });
    expect(byType['fact_check.updated'].factCheck.claimReview.about).toBeUndefined();
    // What was written for the endpoint: these two, nothing of the other fact check.
    const deliveries = ok(await app.gql(W.deliveries, { id: endpoint.id }, desk.partner.token)).node.deliveries;
    expect(deliveries.totalCount).toBe(2);
  });
});

describe('correction requests', () => {
  test("an answer reaches the requester's endpoint and staff endpoints, signed, with the request's state and note (never who answered, no claimVersion); no other partner's", async () => {
    const EVENT = 'CORRECTION_REQUEST_RESOLVED';
    const requester = await receiver();
    const staff = await receiver();
    const other = await receiver();
    const requesterEndpoint = await createEndpoint(app, desk.partner.token, requester.url, [...FACT_CHECK_EVENTS, EVENT]);
    const staffEndpoint = await createEndpoint(app, desk.editor.token, staff.url, [EVENT]);
    const otherPartner = await createUser(app.database.db, 'PARTNER', 'Another Platform');
    const otherEndpoint = await createEndpoint(app, otherPartner.token, other.url, [EVENT]);
    const { factCheck } = await publish(app, desk, await reviewedClaim(app, desk));
    await requester.waitFor((r) => r.some((w) => w.json.type === 'fact_check.published'));

    const request = await requestCorrection(app, desk.partner.token, factCheck.id, 'The council vote was 7 to 2, not 9 to 0.', 'Example News (appeal)');
    const resolved = await resolveCorrectionRequest(app, desk.editor.token, request.id, 'ACCEPTED', 'Agreed: we will correct the vote count.');
    await requester.waitFor((r) => r.some((w) => w.json.type === 'correction_request.resolved'));
    await staff.waitFor((r) => r.length === 1);
    const answer = requester.received.find((w) => w.json.type === 'correction_request.resolved')!;
    expect(answer.json).toEqual({
      type: 'correction_request.resolved',
      timestamp: expect.any(String),
      data: {
        correctionRequest: {
          id: request.id,
          factCheckId: factCheck.id,
          state: 'ACCEPTED',
          requesterName: 'Example News (appeal)',
          resolutionNote: 'Agreed: we will correct the vote count.',
          resolvedAt: resolved.resolvedAt,
        },
      },
    });
    expect(answer.body).not.toContain(desk.editor.globalId);
    expect(answer.body).not.toContain('claimVersion');
    for (const [w, secret] of [
      [answer, requesterEndpoint.secret],
      [staff.received[0]!, staffEndpoint.secret],
    ] as const) {
      expect(() => new standardWebhooks.Webhook(secret).verify(w.body, w.headers)).not.toThrow();
      expect(() => new standardWebhooks.Webhook(otherEndpoint.secret).verify(w.body, w.headers)).toThrow();
    }
    expect(staff.received[0]!.json).toEqual(answer.json);
    expect(staff.received[0]!.headers['webhook-id']).toBe(answer.headers['webhook-id']);
    const { deliveries } = await waitForDeliveries(app, desk.partner.token, requesterEndpoint.endpoint.id, (d) =>
      d.some((x) => x.event === EVENT && x.state === 'DELIVERED'),
    );
    expect(deliveries.find((x) => x.event === EVENT)!.payload).toEqual(answer.json);
    // The other partner's endpoint was never written a delivery, so it never hears of it.
    expect((await waitForDeliveries(app, otherPartner.token, otherEndpoint.endpoint.id, () => true)).deliveries).toEqual([]);
    expect(other.received).toEqual([]);
  });
});

describe('retries', () => {
  test('500s are retried with the same webhook-id, never sooner than the equal-jitter backoff allows, then delivered', async () => {
    const r = await receiver((_req, i) => (i < 2 ? 500 : 200));
    const { endpoint } = await createEndpoint(app, desk.partner.token, r.url, ['FACT_CHECK_PUBLISHED']);
    await publish(app, desk, await reviewedClaim(app, desk));
    const got = await r.waitFor((x) => x.length === 3);
    expect(new Set(got.map((w) => w.headers['webhook-id'])).size).toBe(1);
    const gaps = [got[1]!.receivedAt - got[0]!.receivedAt, got[2]!.receivedAt - got[1]!.receivedAt];
    // Gap n is drawn from [base·2ⁿ⁻¹/2, base·2ⁿ⁻¹]: at least 50 ms, then at least 100 ms.
    expect(gaps[0]).toBeGreaterThanOrEqual(RETRY_BASE_MS / 2 - 5);
    expect(gaps[1]).toBeGreaterThanOrEqual(RETRY_BASE_MS - 5);
    const { deliveries } = await waitForDeliveries(app, desk.partner.token, endpoint.id, (d) => d[0]?.state === 'DELIVERED');
    expect(deliveries[0]).toMatchObject({ attempts: 3, lastResponseStatus: 200, lastError: null });
  });

  test('a receiver that hangs times out and is retried with the same webhook-id', async () => {
    const slow = await receiver((_req, i) => (i === 0 ? 'hang' : 200));
    const { endpoint } = await createEndpoint(app, desk.partner.token, slow.url, ['FACT_CHECK_PUBLISHED']);
    await publish(app, desk, await reviewedClaim(app, desk));
    const got = await slow.waitFor((x) => x.length === 2, 10_000);
    expect(got[1]!.headers['webhook-id']).toBe(got[0]!.headers['webhook-id']);
    expect(got[1]!.receivedAt - got[0]!.receivedAt).toBeGreaterThanOrEqual(TIMEOUT_MS);
    const { deliveries } = await waitForDeliveries(app, desk.partner.token, endpoint.id, (d) => d[0]?.state === 'DELIVERED');
    expect(deliveries[0]!.attempts).toBe(2);
  });

  test('a receiver that hangs holds up no other endpoint', async () => {
    // Its own server, with a timeout long enough that the hang outlasts everything below.
    const patient = await startTestApp({}, { webhookDispatcher: { ...settings, WEBHOOK_TIMEOUT_MS: 60_000 } });
    try {
      const people = await createDesk(patient.database.db);
      const slow = await receiver(() => 'hang');
      const fast = await receiver();
      await createEndpoint(patient, people.partner.token, slow.url, ['FACT_CHECK_PUBLISHED', 'FACT_CHECK_CORRECTED']);
      await createEndpoint(patient, people.editor.token, fast.url, ['FACT_CHECK_CORRECTED']);
      const claimId = await reviewedClaim(patient, people);
      await publish(patient, people, claimId);
      await slow.waitFor((x) => x.length === 1);
      await publish(patient, people, claimId, 'Corrected.', 'A correction.');
      // Both endpoints get the correction while the first delivery to the slow one still hangs.
      await fast.waitFor((x) => x.length === 1);
      await slow.waitFor((x) => x.length === 2);
      expect(fast.received[0]!.json.type).toBe('fact_check.corrected');
      expect(slow.received.map((w) => w.json.type)).toEqual(['fact_check.published', 'fact_check.corrected']);
      slow.release(200);
    } finally {
      await patient.stop();
    }
  });

  test('FAILED after the last attempt; redelivery sends the same event again; repeated failures disable the endpoint', async () => {
    let answer = 500;
    const r = await receiver(() => answer);
    const { endpoint } = await createEndpoint(app, desk.partner.token, r.url, ['FACT_CHECK_PUBLISHED']);
    await publish(app, desk, await reviewedClaim(app, desk));
    const failed = await waitForDeliveries(app, desk.partner.token, endpoint.id, (d) => d[0]?.state === 'FAILED');
    expect(failed.deliveries[0]).toMatchObject({ attempts: MAX_ATTEMPTS, lastResponseStatus: 500, nextAttemptAt: null });
    expect(failed.deliveries[0]!.lastError).toMatch(/^HTTP 500: receiver says no/);
    expect(r.received).toHaveLength(MAX_ATTEMPTS);
    expect(failed.enabled).toBe(true); // one FAILED delivery of WEBHOOK_DISABLE_AFTER = 2

    answer = 200;
    const redelivered = ok(await app.gql(W.redeliver, { i: { deliveryId: failed.deliveries[0]!.id } }, desk.partner.token)).redeliverWebhook.delivery;
    expect(redelivered.state).toBe('PENDING');
    const again = await r.waitFor((x) => x.length === MAX_ATTEMPTS + 1);
    expect(again.at(-1)!.headers['webhook-id']).toBe(again[0]!.headers['webhook-id']);
    await waitForDeliveries(app, desk.partner.token, endpoint.id, (d) => d[0]?.state === 'DELIVERED');

    // Two deliveries in a row end FAILED: the endpoint is disabled and gets nothing more.
    answer = 503;
    await publish(app, desk, await reviewedClaim(app, desk));
    await publish(app, desk, await reviewedClaim(app, desk));
    const disabled = await waitForDeliveries(
      app,
      desk.partner.token,
      endpoint.id,
      (d, enabled) => !enabled && d.filter((x) => x.state === 'FAILED').length === 2,
    );
    expect(disabled.deliveries).toHaveLength(3);
    const seen = r.received.length;
    await publish(app, desk, await reviewedClaim(app, desk));
    const stillThree = await waitForDeliveries(app, desk.partner.token, endpoint.id, () => true);
    expect(stillThree.deliveries).toHaveLength(3);
    expect(r.received).toHaveLength(seen);
    // Enabling it again resets its failure count.
    const enabled = ok(await app.gql(W.update, { i: { endpointId: endpoint.id, enabled: true } }, desk.partner.token)).updateWebhookEndpoint.endpoint;
    expect(enabled.enabled).toBe(true);
  });
});
