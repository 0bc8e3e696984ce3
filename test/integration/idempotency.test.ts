/**
 * Idempotency-Key on GraphQL mutations through the real HTTP server, on PGlite and Postgres: a retry
 * gets the first outcome and writes nothing; another request under the key is 422; keys are per
 * viewer and expire; bad keys are 400; an unexpected failure keeps nothing, so a retry runs afresh.
 * (Two processes and restarts: idempotency-processes.test.ts.)
 */
import { randomUUID } from 'node:crypto';
import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { evidence, idempotencyKeys } from '../../src/db/schema.js';
import { parseGlobalId } from '../../src/domain/global-ids.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { createClaim, createDesk, ingestArticle, type Desk } from '../support/factories.js';
import { M } from '../support/workflow.js';

let app: TestApp;
let desk: Desk;
let claimId: string;
beforeAll(async () => {
  // Retries wait for a running first attempt as long as it takes here (a loaded machine is slow); the
  // bounded wait and its 409 are tested across processes.
  app = await startTestApp({ IDEMPOTENCY_KEY_WAIT_MS: 60_000 });
  desk = await createDesk(app.database.db);
  const article = await ingestArticle(app, desk.editor.token, { body: 'The ferry carried 300 passengers. The port was closed.' });
  claimId = (await createClaim(app, desk.editor.token, { articleId: article.id, quote: 'The ferry carried 300 passengers.' })).id;
});
afterAll(() => app?.stop());

interface Sent {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

async function send(
  document: string,
  variables: Record<string, unknown>,
  options: { key?: string | null; token?: string; target?: TestApp } = {},
): Promise<Sent> {
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${options.token ?? desk.editor.token}` };
  if (options.key !== null) headers['idempotency-key'] = options.key ?? randomUUID();
  const response = await fetch(`${(options.target ?? app).url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: document, variables }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
}

const addEvidence = (title: string, target = claimId) => ({ i: { claimId: target, kind: 'OTHER', title, stance: 'CONTEXT' } });
const evidenceTitled = async (title: string, db = app.database.db) =>
  Number(
    (
      await db
        .select({ n: count() })
        .from(evidence)
        .where(and(eq(evidence.claimId, parseGlobalId(claimId)!.id), eq(evidence.title, title)))
    )[0]!.n,
  );

describe('a retry with the same key', () => {
  test('after a response that was lost gets the first outcome, byte for byte, and writes once', async () => {
    const key = randomUUID();
    const first = await send(M.evidence, addEvidence('lost response'), { key });
    expect(first.status).toBe(200);
    expect(first.body.data.addEvidence.evidence.title).toBe('lost response');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // The client never saw `first` (a timeout, a dropped connection) and sends the same request again.
    for (let i = 0; i < 3; i++) {
      const retry = await send(M.evidence, addEvidence('lost response'), { key });
      expect(retry.status).toBe(200);
      expect(retry.text).toBe(first.text);
      expect(retry.headers.get('content-type')).toBe(first.headers.get('content-type'));
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
    }
    expect(await evidenceTitled('lost response')).toBe(1);
  });

  test('sent five times at once: one execution, the others wait for it and get its outcome', async () => {
    const key = randomUUID();
    const all = await Promise.all(Array.from({ length: 5 }, () => send(M.evidence, addEvidence('concurrent'), { key })));
    expect(all.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(all.map((r) => r.text)).size).toBe(1);
    expect(all.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);
    expect(await evidenceTitled('concurrent')).toBe(1);
  });

  test('replays a coded error as well: the outcome was the error', async () => {
    const key = randomUUID();
    const missing = Buffer.from('Claim:00000000-0000-4000-8000-000000000000').toString('base64url');
    const first = await send(M.evidence, addEvidence('no such claim', missing), { key });
    expect(first.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const retry = await send(M.evidence, addEvidence('no such claim', missing), { key });
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
  });

  test('the variables are compared as JSON values: key order does not matter', async () => {
    const key = randomUUID();
    const first = await send(M.evidence, { i: { claimId, kind: 'OTHER', title: 'reordered', stance: 'CONTEXT' } }, { key });
    const retry = await send(M.evidence, { i: { stance: 'CONTEXT', title: 'reordered', kind: 'OTHER', claimId } }, { key });
    expect(retry.text).toBe(first.text);
    expect(await evidenceTitled('reordered')).toBe(1);
  });
});

describe('the key is refused or independent', () => {
  test('the same key with another request is 422 IDEMPOTENCY_KEY_REUSED and writes nothing', async () => {
    const key = randomUUID();
    expect((await send(M.evidence, addEvidence('original'), { key })).status).toBe(200);
    const other = await send(M.evidence, addEvidence('changed body'), { key });
    expect(other.status).toBe(422);
    expect(other.body).toEqual({ errors: [{ message: expect.stringContaining('another request'), extensions: { code: 'IDEMPOTENCY_KEY_REUSED' } }] });
    const otherOperation = await send(`mutation Named($i: AddEvidenceInput!) { addEvidence(input: $i) { evidence { id } } }`, addEvidence('original'), { key });
    expect(otherOperation.status).toBe(422);
    expect(await evidenceTitled('changed body')).toBe(0);
    expect(await evidenceTitled('original')).toBe(1);
  });

  test('another viewer with the same key is another key', async () => {
    const key = randomUUID();
    const byEditor = await send(M.evidence, addEvidence('two viewers'), { key, token: desk.editor.token });
    const byAdmin = await send(M.evidence, addEvidence('two viewers'), { key, token: desk.admin.token });
    expect(byEditor.status).toBe(200);
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.headers.get('idempotent-replayed')).toBeNull();
    expect(byAdmin.body.data.addEvidence.evidence.addedBy.name).toBe('Ada Admin');
    expect(await evidenceTitled('two viewers')).toBe(2);
  });

  test('a malformed key is 400 IDEMPOTENCY_KEY_INVALID and writes nothing; the draft’s quoted form is accepted', async () => {
    for (const key of ['', 'has space', 'x'.repeat(256), 'ünïcode', 'a,b', '"unterminated']) {
      const response = await send(M.evidence, addEvidence('bad key'), { key });
      expect(response.status, key).toBe(400);
      expect(response.body.errors[0].extensions.code, key).toBe('IDEMPOTENCY_KEY_INVALID');
    }
    expect(await evidenceTitled('bad key')).toBe(0);
    const quoted = `"${randomUUID()}"`;
    const first = await send(M.evidence, addEvidence('quoted key'), { key: quoted });
    const bare = await send(M.evidence, addEvidence('quoted key'), { key: quoted.slice(1, -1) });
    expect(bare.text).toBe(first.text);
    expect(bare.headers.get('idempotent-replayed')).toBe('true');
  });

  test('queries ignore the header, even a malformed one', async () => {
    const response = await send('{ viewer { name } }', {}, { key: 'not a valid key' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { viewer: { name: 'Erin Editor' } } });
    expect(await app.database.db.select({ n: count() }).from(idempotencyKeys).where(eq(idempotencyKeys.key, 'not a valid key'))).toEqual([{ n: 0 }]);
  });

  test('authentication failures are answered as without a key, and keep nothing', async () => {
    const key = randomUUID();
    const refused = await send(M.evidence, addEvidence('unauthenticated'), { key, token: 'fc_unknown_token' });
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(await app.database.db.select({ n: count() }).from(idempotencyKeys).where(eq(idempotencyKeys.key, key))).toEqual([{ n: 0 }]);
  });
});

test('an expired key is a new key: the request runs again (IDEMPOTENCY_KEY_TTL_SECONDS)', async () => {
  const shortLived = await startTestApp({ IDEMPOTENCY_KEY_TTL_SECONDS: 1 });
  try {
    const { editor } = await createDesk(shortLived.database.db);
    const article = await ingestArticle(shortLived, editor.token, { body: 'The ferry carried 300 passengers.' });
    const claim = (await createClaim(shortLived, editor.token, { articleId: article.id, quote: 'The ferry carried 300 passengers.' })).id;
    const key = randomUUID();
    const request = () => send(M.evidence, addEvidence('expiring', claim), { key, token: editor.token, target: shortLived });
    const first = await request();
    const [row] = await shortLived.database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(1_000);
    // Wait until the database's clock has passed the key's expiry.
    const expired = async () =>
      (
        await shortLived.database.db
          .select({ expired: sql<boolean>`now() > ${idempotencyKeys.expiresAt}` })
          .from(idempotencyKeys)
          .where(eq(idempotencyKeys.key, key))
      )[0]!.expired;
    while (!(await expired())) await new Promise((resolve) => setTimeout(resolve, 200));
    const again = await request();
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(again.body.data.addEvidence.evidence.id).not.toBe(first.body.data.addEvidence.evidence.id);
    const titled = await shortLived.database.db.select({ n: count() }).from(evidence).where(eq(evidence.title, 'expiring'));
    expect(titled).toEqual([{ n: 2 }]);
    // And it is remembered again, for a new TTL.
    expect((await request()).headers.get('idempotent-replayed')).toBe('true');
  } finally {
    await shortLived.stop();
  }
});

test('the default TTL is 24 hours', async () => {
  const key = randomUUID();
  await send(M.evidence, addEvidence('default ttl'), { key });
  const [row] = await app.database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
  expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(24 * 3_600_000);
});

test('an unexpected failure keeps nothing, the key included; the retry runs afresh', async () => {
  const db = app.database.db;
  // A fault in the database for one title: the second write of the operation fails unexpectedly.
  await db.execute(sql`create function fail_on_boom() returns trigger language plpgsql as $$
    begin if new.title = 'boom' then raise exception 'injected fault'; end if; return new; end $$`);
  await db.execute(sql`create trigger evidence_boom before insert on evidence for each row execute function fail_on_boom()`);
  const twoWrites = `mutation($a: AddEvidenceInput!, $b: AddEvidenceInput!) {
    first: addEvidence(input: $a) { evidence { title } }
    second: addEvidence(input: $b) { evidence { title } } }`;
  const key = randomUUID();
  const variables = { a: addEvidence('before the fault').i, b: addEvidence('boom').i };
  try {
    const failed = await send(twoWrites, variables, { key });
    expect(failed.status).toBe(500);
    expect(failed.body).toEqual({ errors: [{ message: expect.stringContaining('nothing was saved'), extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    expect(await evidenceTitled('before the fault')).toBe(0); // the first root field's write was rolled back too
    expect(await db.select({ n: count() }).from(idempotencyKeys).where(eq(idempotencyKeys.key, key))).toEqual([{ n: 0 }]);
    // Without a key the same operation keeps the first field's write, as it always did.
    const unkeyed = await send(twoWrites, variables, { key: null });
    expect(unkeyed.body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(await evidenceTitled('before the fault')).toBe(1);
  } finally {
    await db.execute(sql`drop trigger evidence_boom on evidence`);
    await db.execute(sql`drop function fail_on_boom()`);
  }
  const retried = await send(twoWrites, variables, { key });
  expect(retried.status).toBe(200);
  expect(retried.body.data).toEqual({ first: { evidence: { title: 'before the fault' } }, second: { evidence: { title: 'boom' } } });
  expect(await evidenceTitled('before the fault')).toBe(2); // one by the unkeyed request, one by the keyed retry
});
