/**
 * Idempotency-Key across server processes (the compiled server, `npm run build` first): the same key
 * sent to two processes at once executes once (the second waits for the first, or gets 409 when its
 * wait is short); a client that gave up after the server committed gets the outcome on retry, from
 * the other process; and a retry after a restart is answered from the database (PGlite and Postgres).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, count, eq, isNotNull } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { evidence, idempotencyKeys } from '../../src/db/schema.js';
import { parseGlobalId } from '../../src/domain/global-ids.js';
import { holdClaimLock as holdSharedClaimLock } from '../support/claim-lock.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/database.js';
import { CREATE_CLAIM, INGEST, createUser, type TestUser } from '../support/factories.js';
import { delay, killAllServers, okData, startServer, type ServerProcess } from '../support/processes.js';
import { M } from '../support/workflow.js';

const uuidOf = (globalId: string) => parseGlobalId(globalId)!.id;

interface Answer {
  status: number;
  replayed: boolean;
  text: string;
  body: any;
}

async function keyed(server: ServerProcess, key: string, token: string, variables: Record<string, unknown>, signal?: AbortSignal): Promise<Answer> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
    body: JSON.stringify({ query: M.evidence, variables }),
    signal: signal ?? AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  return { status: response.status, replayed: response.headers.get('idempotent-replayed') === 'true', text, body: JSON.parse(text) };
}

async function openClaim(server: ServerProcess, token: string): Promise<string> {
  const body = 'The ferry carried 300 passengers. The port was closed.';
  const article = okData(await server.gql(INGEST, { input: { url: `https://news.example/${randomUUID()}`, title: 'Ferry', body } }, token)).ingestArticle
    .article.id;
  return okData(await server.gql(CREATE_CLAIM, { input: { articleId: article, quote: 'The ferry carried 300 passengers.' } }, token)).createClaim.claim.id;
}

const evidenceInput = (claimId: string, title: string) => ({ i: { claimId, kind: 'OTHER', title, stance: 'CONTEXT' } });

describe.runIf(testDatabaseKind === 'postgres')('two server processes on one Postgres database', () => {
  let testDb: TestDatabase;
  let db: Database;
  let dbName: string;
  let editor: TestUser;
  let patient: ServerProcess; // waits up to 30 s for a running request with the same key
  let impatient: ServerProcess; // waits 300 ms, then answers 409
  let admin: postgres.Sql;

  beforeAll(async () => {
    testDb = await createTestDatabase({ poolSize: 4 });
    db = testDb.db;
    dbName = new URL(testDb.url!).pathname.slice(1);
    editor = await createUser(db, 'EDITOR');
    const env = { DATABASE_URL: testDb.url!, DATABASE_POOL_SIZE: '4' };
    [patient, impatient] = await Promise.all([
      startServer('patient', { ...env, IDEMPOTENCY_KEY_WAIT_MS: '30000' }),
      startServer('impatient', { ...env, IDEMPOTENCY_KEY_WAIT_MS: '300' }),
    ]);
    admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await killAllServers();
    await admin?.end({ timeout: 5 });
    await testDb?.drop();
  });

  const holdClaimLock = (claimId: string) => holdSharedClaimLock(db, claimId);

  /** Resolves once `n` of the servers' backends wait on a lock (the claim's row, or a key's index entry). */
  async function lockWaiters(n: number) {
    const waiting = async () =>
      Number((await admin`select count(*)::int as n from pg_stat_activity where datname = ${dbName} and wait_event_type = 'Lock'`)[0]!.n);
    const deadline = Date.now() + 20_000;
    while ((await waiting()) < n) {
      if (Date.now() > deadline) throw new Error(`fewer than ${n} backends waited on a lock within 20 s`);
      await delay(25);
    }
  }

  const writes = async (claimId: string, title: string) =>
    Number(
      (
        await db
          .select({ n: count() })
          .from(evidence)
          .where(and(eq(evidence.claimId, uuidOf(claimId)), eq(evidence.title, title)))
      )[0]!.n,
    );

  test('the same key on two processes at once: one executes, the other waits for it and gets its outcome', async () => {
    const claimId = await openClaim(patient, editor.token);
    const key = randomUUID();
    const lock = holdClaimLock(claimId);
    let first: Promise<Answer>;
    let second: Promise<Answer>;
    try {
      await lock.isLocked;
      first = keyed(impatient, key, editor.token, evidenceInput(claimId, 'raced'));
      await lockWaiters(1); // the first parked on the claim, its key row inserted
      second = keyed(patient, key, editor.token, evidenceInput(claimId, 'raced'));
      await lockWaiters(2); // the second waits on the key's index entry
    } finally {
      lock.release();
      await lock.holder;
    }
    const [a, b] = await Promise.all([first!, second!]);
    expect(a.status).toBe(200);
    expect(a.body.data.addEvidence.evidence.title).toBe('raced');
    expect(a.replayed).toBe(false);
    expect(b).toEqual({ ...a, replayed: true });
    expect(await writes(claimId, 'raced')).toBe(1);
  });

  test('the same key on two processes at once, the second with a short wait: 409 IDEMPOTENCY_KEY_IN_USE, then the outcome', async () => {
    const claimId = await openClaim(patient, editor.token);
    const key = randomUUID();
    const lock = holdClaimLock(claimId);
    let first: Promise<Answer>;
    try {
      await lock.isLocked;
      first = keyed(patient, key, editor.token, evidenceInput(claimId, 'in use'));
      await lockWaiters(1);
      const second = await fetch(`${impatient.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${editor.token}`, 'idempotency-key': key },
        body: JSON.stringify({ query: M.evidence, variables: evidenceInput(claimId, 'in use') }),
      });
      expect(second.status).toBe(409);
      expect(second.headers.get('retry-after')).toBe('1');
      expect(await second.json()).toEqual({ errors: [{ message: expect.stringContaining('still running'), extensions: { code: 'IDEMPOTENCY_KEY_IN_USE' } }] });
    } finally {
      lock.release();
      await lock.holder;
    }
    const a = await first!;
    expect(a.status).toBe(200);
    const retry = await keyed(impatient, key, editor.token, evidenceInput(claimId, 'in use'));
    expect(retry).toEqual({ ...a, replayed: true });
    expect(await writes(claimId, 'in use')).toBe(1);
  });

  test('the client gave up before the response: the server commits anyway, and the retry (to the other process) gets the outcome', async () => {
    const claimId = await openClaim(patient, editor.token);
    const key = randomUUID();
    const lock = holdClaimLock(claimId);
    const client = new AbortController();
    let abandoned: Promise<unknown>;
    try {
      await lock.isLocked;
      abandoned = keyed(patient, key, editor.token, evidenceInput(claimId, 'abandoned'), client.signal).catch((error: Error) => error.name);
      await lockWaiters(1);
      client.abort(); // the connection closes while the server is inside its transaction
      expect(await abandoned).toBe('AbortError');
    } finally {
      lock.release();
      await lock.holder;
    }
    // The server finishes its transaction with nobody listening; its response is stored with the write.
    const stored = async () =>
      (
        await db
          .select({ n: count() })
          .from(idempotencyKeys)
          .where(and(eq(idempotencyKeys.key, key), isNotNull(idempotencyKeys.responseStatus)))
      )[0]!.n;
    const deadline = Date.now() + 20_000;
    while ((await stored()) === 0 && Date.now() < deadline) await delay(25);
    const retry = await keyed(impatient, key, editor.token, evidenceInput(claimId, 'abandoned'));
    expect(retry.status).toBe(200);
    expect(retry.replayed).toBe(true);
    expect(retry.body.data.addEvidence.evidence.title).toBe('abandoned');
    expect(await writes(claimId, 'abandoned')).toBe(1);
  });
});

describe('a retry after the server restarted', () => {
  let folder: string | null = null;
  let testDb: TestDatabase | null = null;
  afterAll(async () => {
    await killAllServers();
    await testDb?.drop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  test(`is answered from the database (${testDatabaseKind})`, async () => {
    const adminToken = `fc_admin_${randomUUID()}`;
    let databaseUrl: string;
    if (testDatabaseKind === 'postgres') {
      testDb = await createTestDatabase({ poolSize: 2 });
      databaseUrl = testDb.url!;
    } else {
      folder = mkdtempSync(join(tmpdir(), 'factcheck-idempotency-'));
      databaseUrl = `pglite:${join(folder, 'db')}`;
    }
    const env = { DATABASE_URL: databaseUrl, ADMIN_TOKEN: adminToken };
    const slowStart = { readyTimeoutMs: 120_000 }; // a new PGlite folder is created and migrated
    const before = await startServer('before restart', env, slowStart);
    const claimId = await openClaim(before, adminToken);
    const key = randomUUID();
    const first = await keyed(before, key, adminToken, evidenceInput(claimId, 'across a restart'));
    expect(first.status).toBe(200);
    expect(await before.stop()).toEqual({ code: 0, signal: null });

    const after = await startServer('after restart', env, slowStart);
    const retry = await keyed(after, key, adminToken, evidenceInput(claimId, 'across a restart'));
    expect(retry).toEqual({ ...first, replayed: true });
    const titles = okData(await after.gql('query($id: ID!) { claim(id: $id) { evidence { title } } }', { id: claimId }, adminToken)).claim.evidence;
    expect(titles).toEqual([{ title: 'across a restart' }]);
    expect(await after.stop()).toEqual({ code: 0, signal: null });
  }, 300_000);
});
