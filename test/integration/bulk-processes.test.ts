/**
 * Bulk actions on two server processes against one Postgres database, at once, over the same claims
 * in reversed order: locks are taken in one order (each item locks one claim, in row-id order), so
 * neither call deadlocks or fails; every item succeeds or fails as its single action would, and every
 * claim ends consistent (status = derived status, version = event count). Also the same keyed
 * bulk call sent to both processes at once: both answer alike, and each item is done once.
 *
 * Postgres only (several processes need a database they can share): the postgres vitest project.
 */
import { randomUUID } from 'node:crypto';
import { asc, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { assignments, claimEvents, claims } from '../../src/db/schema.js';
import { parseGlobalId } from '../../src/domain/global-ids.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/database.js';
import { CREATE_CLAIM, INGEST, createUser, type TestUser } from '../support/factories.js';
import { checkInvariants } from '../support/invariants.js';
import { killAllServers, okData, startServer, type ServerProcess } from '../support/processes.js';

const BULK_ASSIGN = `mutation($i: BulkAssignClaimsInput!) { bulkAssignClaims(input: $i) { succeeded failed results { claimId claim { id version } error { code message } } } }`;
const BULK_DISMISS = `mutation($i: BulkDismissClaimsInput!) { bulkDismissClaims(input: $i) { succeeded failed results { claimId claim { id version } error { code message } } } }`;
const N = 100;
const uuidOf = (globalId: string) => parseGlobalId(globalId)!.id;

describe.runIf(testDatabaseKind === 'postgres')('bulk actions on two processes', () => {
  let testDb: TestDatabase;
  let db: Database;
  let editor: TestUser;
  let reviewer1: TestUser;
  let reviewer2: TestUser;
  let a: ServerProcess;
  let b: ServerProcess;
  let batch = 0;

  beforeAll(async () => {
    testDb = await createTestDatabase({ poolSize: 2 });
    db = testDb.db;
    editor = await createUser(db, 'EDITOR');
    reviewer1 = await createUser(db, 'REVIEWER');
    reviewer2 = await createUser(db, 'REVIEWER');
    const env = { DATABASE_URL: testDb.url!, DATABASE_POOL_SIZE: '4', LOG_LEVEL: 'info' };
    [a, b] = await Promise.all([startServer('A', env), startServer('B', env)]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()].filter(Boolean));
    await killAllServers();
    await testDb?.drop();
  });

  /** N new OPEN claims of one article. */
  async function newClaims(): Promise<string[]> {
    const sentences = Array.from({ length: N }, (_, i) => `Round ${batch} statement ${String(i).padStart(3, '0')} is checkable.`);
    batch++;
    const article = okData(
      await a.gql(INGEST, { input: { url: `https://news.example/bulk-${randomUUID()}`, title: 'Many', body: sentences.join(' ') } }, editor.token),
    ).ingestArticle.article.id;
    const ids: string[] = [];
    for (const quote of sentences) ids.push(okData(await a.gql(CREATE_CLAIM, { input: { articleId: article, quote } }, editor.token)).createClaim.claim.id);
    return ids;
  }

  const eventsOf = (ids: string[]) =>
    db
      .select({ claimId: claimEvents.claimId, type: claimEvents.type })
      .from(claimEvents)
      .where(inArray(claimEvents.claimId, ids.map(uuidOf)))
      .orderBy(asc(claimEvents.claimId), asc(claimEvents.version));

  test('two bulkAssignClaims over the same claims in reversed order, one per process: every item of both succeeds', async () => {
    const ids = await newClaims();
    const [first, second] = await Promise.all([
      a.gql(BULK_ASSIGN, { i: { claimIds: ids, reviewerIds: [reviewer1.globalId] } }, editor.token, 120_000),
      b.gql(BULK_ASSIGN, { i: { claimIds: [...ids].reverse(), reviewerIds: [reviewer2.globalId] } }, editor.token, 120_000),
    ]);
    const one = okData(first).bulkAssignClaims;
    const two = okData(second).bulkAssignClaims;
    expect([one.succeeded, one.failed, two.succeeded, two.failed]).toEqual([N, 0, N, 0]);
    expect(one.results.map((r: any) => r.claimId)).toEqual(ids);
    expect(two.results.map((r: any) => r.claimId)).toEqual([...ids].reverse());
    // Each claim: CREATED, then one ASSIGNED per call; both reviewers active; version 3.
    const events = await eventsOf(ids);
    for (const id of ids) expect(events.filter((e) => e.claimId === uuidOf(id)).map((e) => e.type)).toEqual(['CREATED', 'ASSIGNED', 'ASSIGNED']);
    const rows = await db
      .select({ claimId: assignments.claimId, reviewerId: assignments.reviewerId, state: assignments.state })
      .from(assignments)
      .where(inArray(assignments.claimId, ids.map(uuidOf)));
    expect(rows).toHaveLength(2 * N);
    expect(rows.every((r) => r.state === 'ACTIVE')).toBe(true);
    const claimRows = await db
      .select({ version: claims.version, status: claims.status })
      .from(claims)
      .where(inArray(claims.id, ids.map(uuidOf)));
    expect(claimRows.every((c) => c.version === 3 && c.status === 'IN_REVIEW')).toBe(true);
    expect((await checkInvariants(db)).violations).toEqual([]);
  });

  test('bulkDismissClaims against bulkAssignClaims in reversed order: each item succeeds or is the single action’s CONFLICT, and the claims agree', async () => {
    const ids = await newClaims();
    const [dismissed, assigned] = await Promise.all([
      a.gql(BULK_DISMISS, { i: { claimIds: ids, reason: 'Out of scope.' } }, editor.token, 120_000),
      b.gql(BULK_ASSIGN, { i: { claimIds: [...ids].reverse(), reviewerIds: [reviewer1.globalId] } }, editor.token, 120_000),
    ]);
    const d = okData(dismissed).bulkDismissClaims;
    const s = okData(assigned).bulkAssignClaims;
    // Dismissing is allowed from OPEN and IN_REVIEW: every dismissal succeeds.
    expect([d.succeeded, d.failed]).toEqual([N, 0]);
    const assignedOk = new Set<string>();
    for (const r of s.results) {
      if (r.error)
        expect(r.error).toEqual({
          code: 'CONFLICT',
          message: 'assignClaim is not allowed while the claim is DISMISSED (allowed from: OPEN, IN_REVIEW, DISPUTED, REVIEWED)',
        });
      else assignedOk.add(r.claimId);
    }
    const events = await eventsOf(ids);
    for (const id of ids) {
      const types = events.filter((e) => e.claimId === uuidOf(id)).map((e) => e.type);
      // An assignment that won the lock came before the dismissal; one that lost found the claim dismissed.
      expect(types).toEqual(assignedOk.has(id) ? ['CREATED', 'ASSIGNED', 'DISMISSED'] : ['CREATED', 'DISMISSED']);
    }
    const active = await db
      .select({ id: assignments.id })
      .from(assignments)
      .where(inArray(assignments.claimId, ids.map(uuidOf)));
    expect(active).toHaveLength(assignedOk.size);
    const claimRows = await db
      .select({ status: claims.status })
      .from(claims)
      .where(inArray(claims.id, ids.map(uuidOf)));
    expect(claimRows.every((c) => c.status === 'DISMISSED')).toBe(true);
    expect((await checkInvariants(db)).violations).toEqual([]);
  });

  test('the same keyed bulk call on both processes at once: the same results, each item done once', async () => {
    const ids = await newClaims();
    const key = randomUUID();
    const body = JSON.stringify({ query: BULK_ASSIGN, variables: { i: { claimIds: ids, reviewerIds: [reviewer2.globalId] } } });
    const post = async (server: ServerProcess) => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${editor.token}`, 'idempotency-key': key },
        body,
        signal: AbortSignal.timeout(120_000),
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    const [x, y] = await Promise.all([post(a), post(b)]);
    expect([x.status, y.status]).toEqual([200, 200]);
    const results = (r: typeof x) => r.body.data.bulkAssignClaims.results.map((item: any) => [item.claimId, item.error]);
    expect(results(x)).toEqual(results(y));
    expect(x.body.data.bulkAssignClaims.succeeded).toBe(N);
    const events = await eventsOf(ids);
    for (const id of ids) expect(events.filter((e) => e.claimId === uuidOf(id)).map((e) => e.type)).toEqual(['CREATED', 'ASSIGNED']);
    expect(
      await db
        .select({ id: assignments.id })
        .from(assignments)
        .where(inArray(assignments.claimId, ids.map(uuidOf))),
    ).toHaveLength(N);
  });
});
