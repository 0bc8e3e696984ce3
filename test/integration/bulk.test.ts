/**
 * bulkAssignClaims and bulkDismissClaims through the real HTTP server, on PGlite and Postgres: each
 * claim is its own action (its own version, ClaimEvent and refusal, the single action's code and
 * message), results in input order, one failure undoing nothing else; bad input for the whole call
 * changes nothing; who may; a retry with the same Idempotency-Key answers the same without redoing
 * items, also after a failure midway. (Two processes at once, in reversed order: bulk-processes.test.ts.)
 */
import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { assignments, claimEvents, factChecks, idempotencyItemResults } from '../../src/db/schema.js';
import { parseGlobalId, toGlobalId } from '../../src/domain/global-ids.js';
import { codes, ok, type TestApp } from '../support/app.js';
import { snapshotDatabase } from '../support/database-state.js';
import { createClaim, ingestArticle, startDeskApp, type Desk } from '../support/factories.js';
import { checkInvariants } from '../support/invariants.js';
import { mutate } from '../support/workflow.js';

const BULK_ASSIGN = `mutation($i: BulkAssignClaimsInput!) { bulkAssignClaims(input: $i) {
  succeeded failed results { claimId claim { id status version } error { code message } } } }`;
const BULK_DISMISS = `mutation($i: BulkDismissClaimsInput!) { bulkDismissClaims(input: $i) {
  succeeded failed results { claimId claim { id status version } error { code message } } } }`;

let app: TestApp;
let desk: Desk;
let serial = 0;
const uuidOf = (globalId: string) => parseGlobalId(globalId)!.id;

beforeAll(async () => {
  ({ app, desk } = await startDeskApp());
});
afterAll(() => app?.stop());

/** `n` new OPEN claims, one per sentence of a new article. */
async function newClaims(n: number): Promise<{ id: string; version: number }[]> {
  const sentences = Array.from({ length: n }, (_, i) => `Batch ${serial} statement ${i} is checkable.`);
  serial++;
  const article = await ingestArticle(app, desk.editor.token, { body: sentences.join(' ') });
  const made = [];
  for (const quote of sentences) made.push(await createClaim(app, desk.editor.token, { articleId: article.id, quote }));
  return made;
}

const eventsOf = async (claimId: string) =>
  app.database.db
    .select({ type: claimEvents.type, version: claimEvents.version })
    .from(claimEvents)
    .where(eq(claimEvents.claimId, uuidOf(claimId)))
    .orderBy(asc(claimEvents.version));

/** What the single action answers for this input: its error's code and message (the input must fail). */
async function singleError(mutation: 'assign' | 'dismiss', input: Record<string, unknown>) {
  const response = await mutate(app, desk.editor.token, mutation, input);
  expect(response.errors, 'the single action must fail here').toHaveLength(1);
  return { code: response.errors![0]!.extensions!.code, message: response.errors![0]!.message };
}

async function send(document: string, input: Record<string, unknown>, options: { key?: string; token?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${options.token ?? desk.editor.token}` };
  if (options.key) headers['idempotency-key'] = options.key;
  const response = await fetch(`${app.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: document, variables: { i: input } }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
}

describe('bulkAssignClaims', () => {
  test('each claim is its own action: results in input order, partial failure, the single action’s errors, one event per claim', async () => {
    const [a, b, c, dismissed, verdictGiven] = await newClaims(5);
    ok(await mutate(app, desk.editor.token, 'dismiss', { claimId: dismissed!.id, reason: 'Opinion.' }));
    ok(await mutate(app, desk.editor.token, 'assign', { claimId: verdictGiven!.id, reviewerIds: [desk.reviewer1.globalId] }));
    ok(await mutate(app, desk.reviewer1.token, 'verdict', { claimId: verdictGiven!.id, rating: 'FALSE', confidence: 'HIGH', rationale: 'No.' }));
    const before = await Promise.all([dismissed!, verdictGiven!].map((x) => eventsOf(x.id)));
    const unknown = toGlobalId('Claim', randomUUID());
    const malformed = 'not-a-claim-id';
    const input = (claimIds: string[]) => ({ claimIds, reviewerIds: [desk.reviewer1.globalId, desk.reviewer2.globalId] });
    const order = [c!.id, malformed, dismissed!.id, a!.id, unknown, verdictGiven!.id, b!.id];

    const response = ok(await app.gql(BULK_ASSIGN, { i: input(order) }, desk.editor.token)).bulkAssignClaims;

    expect(response.results.map((r: any) => r.claimId)).toEqual(order);
    expect(response.succeeded).toBe(3);
    expect(response.failed).toBe(4);
    for (const claim of [a!, b!, c!]) {
      const result = response.results.find((r: any) => r.claimId === claim.id);
      expect(result).toEqual({ claimId: claim.id, claim: { id: claim.id, status: 'IN_REVIEW', version: claim.version + 1 }, error: null });
      expect((await eventsOf(claim.id)).map((e) => e.type)).toEqual(['CREATED', 'ASSIGNED']);
    }
    // Every failure is what the single action says for that claim, and changed nothing.
    const expected = {
      [malformed]: await singleError('assign', { claimId: malformed, reviewerIds: [desk.reviewer1.globalId] }),
      [unknown]: await singleError('assign', { claimId: unknown, reviewerIds: [desk.reviewer1.globalId] }),
      [dismissed!.id]: await singleError('assign', { claimId: dismissed!.id, reviewerIds: [desk.reviewer1.globalId, desk.reviewer2.globalId] }),
      [verdictGiven!.id]: await singleError('assign', { claimId: verdictGiven!.id, reviewerIds: [desk.reviewer1.globalId, desk.reviewer2.globalId] }),
    };
    expect(expected[malformed]!.code).toBe('BAD_USER_INPUT');
    expect(expected[unknown]).toEqual({ code: 'NOT_FOUND', message: 'Claim not found' });
    expect(expected[dismissed!.id]!.code).toBe('CONFLICT');
    expect(expected[verdictGiven!.id]!.message).toContain('already submitted a verdict');
    for (const [claimId, error] of Object.entries(expected)) {
      expect(response.results.find((r: any) => r.claimId === claimId)).toEqual({ claimId, claim: null, error });
    }
    expect(await Promise.all([dismissed!, verdictGiven!].map((x) => eventsOf(x.id)))).toEqual(before);
    expect((await checkInvariants(app.database.db)).violations).toEqual([]);
  });

  test('assigning again leaves an already active reviewer as is: success, no event, same version (as assignClaim)', async () => {
    const [claim] = await newClaims(1);
    ok(await mutate(app, desk.editor.token, 'assign', { claimId: claim!.id, reviewerIds: [desk.reviewer1.globalId] }));
    const response = ok(
      await app.gql(BULK_ASSIGN, { i: { claimIds: [claim!.id], reviewerIds: [desk.reviewer1.globalId] } }, desk.editor.token),
    ).bulkAssignClaims;
    expect(response).toEqual({
      succeeded: 1,
      failed: 0,
      results: [{ claimId: claim!.id, claim: { id: claim!.id, status: 'IN_REVIEW', version: claim!.version + 1 }, error: null }],
    });
    expect((await eventsOf(claim!.id)).map((e) => e.type)).toEqual(['CREATED', 'ASSIGNED']);
  });

  test('the due date and reviewers reach every claim', async () => {
    const claims = await newClaims(3);
    const dueAt = '2030-01-02T03:04:05.000Z';
    ok(await app.gql(BULK_ASSIGN, { i: { claimIds: claims.map((c) => c.id), reviewerIds: [desk.reviewer2.globalId], dueAt } }, desk.editor.token));
    const rows = await app.database.db
      .select()
      .from(assignments)
      .where(
        inArray(
          assignments.claimId,
          claims.map((c) => uuidOf(c.id)),
        ),
      );
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.reviewerId).toBe(desk.reviewer2.id);
      expect(row.dueAt?.toISOString()).toBe(dueAt);
      expect(row.state).toBe('ACTIVE');
    }
  });
});

describe('bulkDismissClaims', () => {
  test('dismisses each, retracts a published fact check, refuses a dismissed claim as dismissClaim does', async () => {
    const [open, published, already] = await newClaims(3);
    ok(await mutate(app, desk.editor.token, 'assign', { claimId: published!.id, reviewerIds: [desk.reviewer1.globalId] }));
    ok(await mutate(app, desk.reviewer1.token, 'verdict', { claimId: published!.id, rating: 'FALSE', confidence: 'HIGH', rationale: 'No.' }));
    ok(await mutate(app, desk.editor.token, 'publish', { claimId: published!.id, rating: 'FALSE', summary: 'False.' }));
    ok(await mutate(app, desk.editor.token, 'dismiss', { claimId: already!.id, reason: 'Opinion.' }));
    const alreadyError = await singleError('dismiss', { claimId: already!.id, reason: 'Out of scope.' });

    const response = ok(
      await app.gql(BULK_DISMISS, { i: { claimIds: [already!.id, published!.id, open!.id], reason: 'Out of scope.' } }, desk.editor.token),
    ).bulkDismissClaims;

    expect(response.succeeded).toBe(2);
    expect(response.results[0]).toEqual({ claimId: already!.id, claim: null, error: alreadyError });
    expect(alreadyError.code).toBe('CONFLICT');
    expect(response.results[1].claim.status).toBe('DISMISSED');
    expect(response.results[2].claim).toEqual({ id: open!.id, status: 'DISMISSED', version: open!.version + 1 });
    const [fc] = await app.database.db
      .select({ retractedAt: factChecks.retractedAt })
      .from(factChecks)
      .where(eq(factChecks.claimId, uuidOf(published!.id)));
    expect(fc!.retractedAt).not.toBeNull();
    expect((await eventsOf(open!.id)).map((e) => e.type)).toEqual(['CREATED', 'DISMISSED']);
    expect((await eventsOf(already!.id)).map((e) => e.type)).toEqual(['CREATED', 'DISMISSED']);
    const [event] = await app.database.db
      .select({ note: claimEvents.note })
      .from(claimEvents)
      .where(and(eq(claimEvents.claimId, uuidOf(published!.id)), eq(claimEvents.type, 'DISMISSED')));
    expect(event!.note).toBe('Out of scope.');
  });
});

describe('bad input for the whole call changes nothing', () => {
  const cases: [string, 'assign' | 'dismiss', string, (ids: string[]) => Record<string, unknown>][] = [
    ['no claims', 'assign', 'claimIds', () => ({ claimIds: [], reviewerIds: [] })],
    [
      '101 claims',
      'dismiss',
      'claimIds',
      (ids) => ({ claimIds: Array.from({ length: 101 }, (_, i) => (i < ids.length ? ids[i] : toGlobalId('Claim', randomUUID()))), reason: 'x' }),
    ],
    ['a claim twice', 'assign', 'claimIds', (ids) => ({ claimIds: [ids[0], ids[1], ids[0]], reviewerIds: [] })],
    ['the same malformed ID twice', 'dismiss', 'claimIds', (ids) => ({ claimIds: [ids[0], 'junk', 'junk'], reason: 'x' })],
    ['no reviewers', 'assign', 'reviewerIds', (ids) => ({ claimIds: ids, reviewerIds: [] })],
    ['a malformed reviewer ID', 'assign', 'reviewerIds', (ids) => ({ claimIds: ids, reviewerIds: ['junk'] })],
    ['a due date in year 0', 'assign', 'dueAt', (ids) => ({ claimIds: ids, reviewerIds: [desk.reviewer1.globalId], dueAt: '0000-01-01T00:00:00Z' })],
    ['a blank reason', 'dismiss', 'reason', (ids) => ({ claimIds: ids, reason: '   ' })],
  ];
  test.each(cases)('%s (%s): BAD_USER_INPUT naming %s', async (_name, action, field, input) => {
    const ids = (await newClaims(2)).map((c) => c.id);
    const before = await snapshotDatabase(app.database.db);
    const response = await app.gql(action === 'assign' ? BULK_ASSIGN : BULK_DISMISS, { i: input(ids) }, desk.editor.token);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions!.field).toBe(field);
    expect(await snapshotDatabase(app.database.db)).toEqual(before);
  });

  test('100 claims is the limit, not over it', async () => {
    const ids = [...(await newClaims(2)).map((c) => c.id), ...Array.from({ length: 98 }, () => toGlobalId('Claim', randomUUID()))];
    const response = ok(await app.gql(BULK_DISMISS, { i: { claimIds: ids, reason: 'Spam.' } }, desk.editor.token)).bulkDismissClaims;
    expect([response.succeeded, response.failed]).toEqual([2, 98]);
  });
});

describe('who may', () => {
  test.each([
    ['reviewer', 'FORBIDDEN', (): string | null => desk.reviewer1.token],
    ['partner', 'FORBIDDEN', (): string | null => desk.partner.token],
    ['no token', 'UNAUTHENTICATED', (): string | null => null],
  ] as const)('%s: %s for the whole call, nothing changed', async (_who, code, token) => {
    const ids = (await newClaims(2)).map((c) => c.id);
    const before = await snapshotDatabase(app.database.db);
    for (const [document, input] of [
      [BULK_ASSIGN, { claimIds: ids, reviewerIds: [desk.reviewer1.globalId] }],
      [BULK_DISMISS, { claimIds: ids, reason: 'No.' }],
    ] as const) {
      const response = await app.gql(document, { i: input }, token());
      expect(codes(response)).toEqual([code]);
      expect(response.data).toBeNull();
    }
    expect(await snapshotDatabase(app.database.db)).toEqual(before);
  });

  test('admins may', async () => {
    const ids = (await newClaims(1)).map((c) => c.id);
    expect(ok(await app.gql(BULK_DISMISS, { i: { claimIds: ids, reason: 'No.' } }, desk.admin.token)).bulkDismissClaims.succeeded).toBe(1);
  });
});

describe('Idempotency-Key', () => {
  const itemRows = async (key: string) =>
    Number((await app.database.db.select({ n: count() }).from(idempotencyItemResults).where(eq(idempotencyItemResults.key, key)))[0]!.n);

  test('a retry answers the same, byte for byte, without redoing any item', async () => {
    const claims = await newClaims(3);
    const key = randomUUID();
    const input = { claimIds: [...claims.map((c) => c.id), toGlobalId('Claim', randomUUID())], reviewerIds: [desk.reviewer1.globalId] };
    const first = await send(BULK_ASSIGN, input, { key });
    expect(first.status).toBe(200);
    expect(first.body.data.bulkAssignClaims.succeeded).toBe(3);
    expect(await itemRows(key)).toBe(4);
    // Another editor withdraws one assignment meanwhile: a retry must not assign again.
    const [row] = await app.database.db
      .select({ id: assignments.id })
      .from(assignments)
      .where(eq(assignments.claimId, uuidOf(claims[0]!.id)));
    ok(await mutate(app, desk.editor.token, 'withdraw', { assignmentId: toGlobalId('Assignment', row!.id) }));
    const before = await snapshotDatabase(app.database.db);
    const retry = await send(BULK_ASSIGN, input, { key });
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await snapshotDatabase(app.database.db)).toEqual(before);
    // The same key with another request is refused.
    const other = await send(BULK_ASSIGN, { ...input, reviewerIds: [desk.reviewer2.globalId] }, { key });
    expect(other.status).toBe(422);
    expect(other.body.errors[0].extensions.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  test('a failure midway keeps the items done; the retry with the key does only the rest', async () => {
    const claims = await newClaims(4);
    const sorted = [...claims].sort((x, y) => (uuidOf(x.id) < uuidOf(y.id) ? -1 : 1));
    const victim = uuidOf(sorted[2]!.id); // the third in lock order
    const db = app.database.db;
    await db.execute(
      sql.raw(`create function fail_bulk_item() returns trigger language plpgsql as $$
      begin if new.claim_id = '${victim}' then raise exception 'injected fault'; end if; return new; end $$`),
    );
    await db.execute(sql`create trigger bulk_item_fault before insert on claim_events for each row execute function fail_bulk_item()`);
    const key = randomUUID();
    const input = { claimIds: claims.map((c) => c.id), reason: 'Duplicate of an earlier claim.' };
    try {
      const failed = await send(BULK_DISMISS, input, { key });
      expect(failed.body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
      // The two claims before the fault are dismissed and recorded; the victim and the one after it are not touched.
      for (const [i, types] of [
        [0, ['CREATED', 'DISMISSED']],
        [1, ['CREATED', 'DISMISSED']],
        [2, ['CREATED']],
        [3, ['CREATED']],
      ] as const) {
        expect((await eventsOf(sorted[i]!.id)).map((e) => e.type)).toEqual(types);
      }
      expect(await itemRows(key)).toBe(2);
    } finally {
      await db.execute(sql`drop trigger bulk_item_fault on claim_events`);
      await db.execute(sql`drop function fail_bulk_item()`);
    }
    const retried = await send(BULK_DISMISS, input, { key });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    const payload = retried.body.data.bulkDismissClaims;
    expect([payload.succeeded, payload.failed]).toEqual([4, 0]);
    expect(payload.results.map((r: any) => r.claimId)).toEqual(input.claimIds);
    // Each claim dismissed exactly once: the first two were not done again (they would be CONFLICT).
    for (const claim of claims) expect((await eventsOf(claim.id)).map((e) => e.type)).toEqual(['CREATED', 'DISMISSED']);
    expect((await send(BULK_DISMISS, input, { key })).text).toBe(retried.text);
  });

  test('a keyed request must hold the bulk field alone', async () => {
    const [claim] = await newClaims(1);
    const document = `mutation($i: BulkDismissClaimsInput!, $e: AddEvidenceInput!) {
      bulkDismissClaims(input: $i) { succeeded } addEvidence(input: $e) { evidence { id } } }`;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${desk.editor.token}`, 'idempotency-key': randomUUID() };
    const before = await snapshotDatabase(app.database.db);
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        query: document,
        variables: { i: { claimIds: [claim!.id], reason: 'x' }, e: { claimId: claim!.id, kind: 'OTHER', title: 't', stance: 'CONTEXT' } },
      }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('IDEMPOTENCY_KEY_INVALID');
    expect(await snapshotDatabase(app.database.db)).toEqual(before);
  });
});
