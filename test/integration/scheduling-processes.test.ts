/**
 * The release of scheduled publications on real server processes against one Postgres database
 * (docs/design.md, "Scheduled publication"): two processes racing to release 50 publications due at
 * the same second publish each exactly once (one PUBLISHED event, one change-feed row, one
 * fact_check.published each), and a server killed with SIGKILL before publishAt and started after it
 * releases at once.
 *
 * Postgres only (several processes need a database they can share): the postgres vitest project.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { claimEvents, factCheckChanges, factChecks, webhookEvents } from '../../src/db/schema.js';
import { parseGlobalId } from '../../src/domain/global-ids.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/database.js';
import { CREATE_CLAIM, INGEST, createUser, type TestUser } from '../support/factories.js';
import { delay, killAllServers, logLine, okData, startServer, type ServerProcess } from '../support/processes.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { S } from '../support/scheduling/scheduling.js';
import { W } from '../support/webhooks.js';
import { M } from '../support/workflow.js';

const N = 50;
const uuidOf = (globalId: string) => parseGlobalId(globalId)!.id;

describe.runIf(testDatabaseKind === 'postgres')('the release on several processes', () => {
  let testDb: TestDatabase;
  let db: Database;
  let editor: TestUser;
  let reviewer: TestUser;
  let partner: TestUser;
  let receiver: Receiver;
  let env: Record<string, string>;
  let batch = 0;

  beforeAll(async () => {
    testDb = await createTestDatabase({ poolSize: 2 });
    db = testDb.db;
    editor = await createUser(db, 'EDITOR', 'Scheduling Editor');
    reviewer = await createUser(db, 'REVIEWER');
    partner = await createUser(db, 'PARTNER');
    receiver = await startReceiver();
    env = { DATABASE_URL: testDb.url!, DATABASE_POOL_SIZE: '4', SCHEDULED_RELEASE_POLL_MS: '100', WEBHOOK_ALLOW_PRIVATE_URLS: 'true' };
  });

  afterAll(async () => {
    await killAllServers();
    await receiver?.stop();
    await testDb?.drop();
  });

  /** `n` REVIEWED claims, through `server`. */
  async function reviewedClaims(server: ServerProcess, n: number): Promise<string[]> {
    const sentences = Array.from({ length: n }, (_, i) => `Batch ${batch} claim ${String(i).padStart(3, '0')} is checkable.`);
    batch++;
    const article = okData(
      await server.gql(
        INGEST,
        { input: { url: `https://news.example/scheduled-${randomUUID()}`, title: 'Debate night', body: sentences.join(' ') } },
        editor.token,
      ),
    ).ingestArticle.article.id;
    const ids: string[] = [];
    for (const quote of sentences) {
      const id = okData(await server.gql(CREATE_CLAIM, { input: { articleId: article, quote } }, editor.token)).createClaim.claim.id;
      okData(await server.gql(M.assign, { i: { claimId: id, reviewerIds: [reviewer.globalId] } }, editor.token));
      okData(await server.gql(M.verdict, { i: { claimId: id, rating: 'FALSE', confidence: 'HIGH', rationale: 'No.' } }, reviewer.token));
      ids.push(id);
    }
    return ids;
  }

  const scheduleAll = async (server: ServerProcess, ids: string[], publishAt: Date) => {
    const factCheckIds: string[] = [];
    for (const claimId of ids) {
      const data = okData(
        await server.gql(S.publish, { i: { claimId, rating: 'FALSE', summary: 'On the hour.', publishAt: publishAt.toISOString() } }, editor.token),
      );
      factCheckIds.push(data.publishFactCheck.factCheck.id);
    }
    return factCheckIds;
  };

  const releasedCount = (factCheckIds: string[]) =>
    db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(factChecks)
      .where(inArray(factChecks.id, factCheckIds.map(uuidOf)))
      .then(([row]) => row!.n);

  test('two processes racing to release 50 publications due at the same second: each published exactly once', async () => {
    const [a, b] = await Promise.all([startServer('A', env), startServer('B', env)]);
    okData(await a.gql(W.create, { i: { url: receiver.url, events: ['FACT_CHECK_PUBLISHED'] } }, partner.token));
    const ids = await reviewedClaims(a, N);
    // Due at one whole second, a few seconds after the last is scheduled.
    const publishAt = new Date(Math.ceil((Date.now() + 15_000) / 1000) * 1000);
    const factCheckIds = await scheduleAll(a, ids, publishAt);
    expect(Date.now()).toBeLessThan(publishAt.getTime());
    expect(await releasedCount(factCheckIds)).toBe(0);

    const deadline = publishAt.getTime() + 20_000;
    while ((await releasedCount(factCheckIds)) < N) {
      if (Date.now() > deadline) throw new Error(`released ${await releasedCount(factCheckIds)} of ${N}`);
      await delay(100);
    }
    const uuids = factCheckIds.map(uuidOf);
    const released = await db.select({ publishedAt: factChecks.publishedAt }).from(factChecks).where(inArray(factChecks.id, uuids));
    for (const row of released) expect(row.publishedAt.getTime()).toBeGreaterThanOrEqual(publishAt.getTime());

    const published = await db
      .select({ claimId: claimEvents.claimId, n: sql<number>`count(*)`.mapWith(Number) })
      .from(claimEvents)
      .where(and(inArray(claimEvents.claimId, ids.map(uuidOf)), eq(claimEvents.type, 'PUBLISHED')))
      .groupBy(claimEvents.claimId);
    expect(published.length).toBe(N);
    expect(published.every((r) => r.n === 1)).toBe(true);
    const feed = await db
      .select({ id: factCheckChanges.factCheckId, n: sql<number>`count(*)`.mapWith(Number) })
      .from(factCheckChanges)
      .where(and(inArray(factCheckChanges.factCheckId, uuids), eq(factCheckChanges.type, 'PUBLISHED')))
      .groupBy(factCheckChanges.factCheckId);
    expect(feed.length).toBe(N);
    expect(feed.every((r) => r.n === 1)).toBe(true);
    const events = await db
      .select({ id: sql<string>`${webhookEvents.data} -> 'factCheck' ->> 'id'`, n: sql<number>`count(*)`.mapWith(Number) })
      .from(webhookEvents)
      .where(and(eq(webhookEvents.type, 'FACT_CHECK_PUBLISHED'), inArray(sql`${webhookEvents.data} -> 'factCheck' ->> 'id'`, uuids)))
      .groupBy(sql`1`);
    expect(events.length).toBe(N);
    expect(events.every((r) => r.n === 1)).toBe(true);
    const received = await receiver.waitFor(
      (r) => new Set(r.filter((w) => w.json.type === 'fact_check.published').map((w) => w.json.data.factCheck.id)).size === N,
      30_000,
    );
    expect(received.filter((w) => w.json.type === 'fact_check.published').length).toBe(N);
    // Both processes ran the release; whichever took each, the other found nothing left.
    const releasedBy = (server: ServerProcess) => server.stdout.filter((line) => line.includes('scheduled publication released')).length;
    expect(releasedBy(a) + releasedBy(b)).toBe(N);
    await Promise.all([a.stop(), b.stop()]);
  }, 180_000);

  test('a server killed (SIGKILL) before publishAt and started after it releases at once', async () => {
    const a = await startServer('A', env);
    const [claimId] = await reviewedClaims(a, 1);
    const publishAt = new Date(Date.now() + 3_000);
    const [factCheckId] = await scheduleAll(a, [claimId!], publishAt);
    await a.stop('SIGKILL');
    await delay(Math.max(0, publishAt.getTime() - Date.now()) + 1_000);
    expect(await releasedCount([factCheckId!])).toBe(0);
    const startedAt = Date.now();
    const b = await startServer('B', env);
    while ((await releasedCount([factCheckId!])) === 0) {
      if (Date.now() - startedAt > 10_000) throw new Error('not released after the restart');
      await delay(50);
    }
    const [row] = await db
      .select({ publishedAt: factChecks.publishedAt })
      .from(factChecks)
      .where(eq(factChecks.id, uuidOf(factCheckId!)));
    // At once: within the start itself and the first pass, long before a poll interval of minutes would matter.
    expect(row!.publishedAt.getTime()).toBeGreaterThanOrEqual(startedAt);
    expect(row!.publishedAt.getTime() - startedAt).toBeLessThan(10_000);
    expect(await logLine(b, (line) => line.includes('scheduled publication released'))).toBeDefined();
    await b.stop();
  }, 90_000);
});
