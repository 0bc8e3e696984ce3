/**
 * Webhooks across real server processes on one Postgres database: a delivery survives kill -9 of
 * the process that was making it, and two processes dispatching at once never make the same
 * attempt together. Postgres only (several processes need a database they can all open).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { webhookDeliveries } from '../../src/db/schema.js';
import { parseGlobalId } from '../../src/domain/global-ids.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/database.js';
import { CREATE_CLAIM, INGEST, SEED_BODY, createUser, type TestUser } from '../support/factories.js';
import { killAllServers, okData, startServer, type ServerProcess } from '../support/processes.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { W } from '../support/webhooks.js';
import { M } from '../support/workflow.js';

describe.runIf(testDatabaseKind === 'postgres')('webhooks across server processes', () => {
  let testDb: TestDatabase;
  let editor: TestUser;
  let reviewer: TestUser;
  let partner: TestUser;
  let env: Record<string, string>;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase({ poolSize: 2 });
    editor = await createUser(testDb.db, 'EDITOR');
    reviewer = await createUser(testDb.db, 'REVIEWER');
    partner = await createUser(testDb.db, 'PARTNER');
    // A fixed public URL, as in production: the restarted process listens on another port, and the
    // fact-check URLs in a payload (rendered at delivery) come from PUBLIC_BASE_URL.
    env = {
      DATABASE_URL: testDb.url!,
      PUBLIC_BASE_URL: 'https://factcheck.test',
      ORG_URL: 'https://desk.test',
      DATABASE_POOL_SIZE: '6',
      WEBHOOK_TIMEOUT_MS: '1500',
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_MAX_ATTEMPTS: '20',
      LOG_LEVEL: 'info',
    };
  });
  afterAll(async () => {
    await killAllServers();
    await Promise.all(receivers.map((r) => r.stop()));
    await testDb?.drop();
  });

  let articleSeq = 0;
  async function reviewedClaim(server: ServerProcess) {
    const article = okData(
      await server.gql(INGEST, { input: { url: `https://news.example/p${articleSeq++}-${Date.now()}`, title: 'T', body: SEED_BODY } }, editor.token),
    ).ingestArticle.article;
    const claim = okData(
      await server.gql(CREATE_CLAIM, { input: { articleId: article.id, quote: 'has been routinely hijacked by Hamas terrorists' } }, editor.token),
    ).createClaim.claim;
    okData(await server.gql(M.assign, { i: { claimId: claim.id, reviewerIds: [reviewer.globalId] } }, editor.token));
    okData(await server.gql(M.verdict, { i: { claimId: claim.id, rating: 'FALSE', confidence: 'HIGH', rationale: 'No.' } }, reviewer.token));
    return claim.id as string;
  }
  const publish = (server: ServerProcess, claimId: string, correctionNote?: string) =>
    server.gql(M.publish, { i: { claimId, rating: 'FALSE', summary: correctionNote ? 'Corrected.' : 'False.', correctionNote } }, editor.token);

  test('kill -9 of the server between commit and delivery: the event is delivered after the restart', async () => {
    let first = true;
    const receiver = await startReceiver(() => (first ? ((first = false), 'hang') : 200));
    receivers.push(receiver);
    const a = await startServer('webhooks-a', env);
    okData(await a.gql(W.create, { i: { url: receiver.url, events: ['FACT_CHECK_PUBLISHED'] } }, partner.token));
    okData(await publish(a, await reviewedClaim(a)));
    // The attempt is under way (committed, claimed, POSTed) and unanswered: the process dies now.
    const [attempt] = await receiver.waitFor((r) => r.length === 1);
    a.child.kill('SIGKILL');
    await a.exited;
    receiver.release(200); // the answer reaches no one
    const b = await startServer('webhooks-b', env);
    const got = await receiver.waitFor((r) => r.length === 2, 30_000);
    expect(got[1]!.headers['webhook-id']).toBe(attempt!.headers['webhook-id']);
    expect(got[1]!.body).toBe(attempt!.body);
    await b.stop();
  }, 60_000);

  test('two processes, 200 publications and corrections: every event delivered, no attempt made twice at once', async () => {
    // The receiver answers after 20 ms, so that two simultaneous attempts at one event would overlap visibly.
    const receiver = await startReceiver(() => ({ status: 200, afterMs: 20 }));
    receivers.push(receiver);
    const servers = [await startServer('webhooks-1', env), await startServer('webhooks-2', env)];
    const endpointId = parseGlobalId(
      okData(await servers[0]!.gql(W.create, { i: { url: receiver.url, events: ['FACT_CHECK_PUBLISHED', 'FACT_CHECK_CORRECTED'] } }, partner.token))
        .createWebhookEndpoint.endpoint.id,
    )!.id;
    const claims = 100;
    const claimIds: string[] = [];
    for (let i = 0; i < claims; i += 10) claimIds.push(...(await Promise.all(Array.from({ length: 10 }, (_, j) => reviewedClaim(servers[(i + j) % 2]!)))));
    // Publications on one process, corrections on the other, ten at a time.
    for (let i = 0; i < claims; i += 10) {
      const batch = claimIds.slice(i, i + 10);
      await Promise.all(batch.map((id, j) => publish(servers[j % 2]!, id).then(okData)));
      await Promise.all(batch.map((id, j) => publish(servers[(j + 1) % 2]!, id, 'Corrected.').then(okData)));
    }
    const events = await testDb.db.select({ id: webhookDeliveries.eventId }).from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId));
    expect(events).toHaveLength(2 * claims);
    const expected = new Set(events.map((e) => e.id));
    await receiver.waitFor((r) => new Set(r.map((w) => w.headers['webhook-id'])).size >= expected.size, 120_000);
    const received = receiver.received;
    expect(new Set(received.map((w) => w.headers['webhook-id']))).toEqual(expected);

    // No two attempts at one event overlapped in time.
    const byEvent = new Map<string, typeof received>();
    for (const w of received) byEvent.set(w.headers['webhook-id']!, [...(byEvent.get(w.headers['webhook-id']!) ?? []), w]);
    for (const attempts of byEvent.values()) {
      const sorted = [...attempts].sort((x, y) => x.receivedAt - y.receivedAt);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.receivedAt).toBeGreaterThanOrEqual(sorted[i - 1]!.answeredAt ?? Infinity);
    }
    const duplicates = received.length - expected.size;
    console.log(
      `webhooks, two processes: ${expected.size} events, ${received.length} requests, ${duplicates} duplicates = ${((duplicates / expected.size) * 1000).toFixed(1)} per 1,000 events`,
    );
    await Promise.all(servers.map((s) => s.stop()));
  }, 240_000);
});
