/**
 * The compiled server as real processes on one Postgres database (docs/operations.md, "Several processes":
 * any number of stateless processes serve one database; every invariant holds across them).
 *
 * 1. Conflicting mutations raced across two processes: the row lock and constraints live in Postgres,
 *    so exactly one of the conflicting writes wins, whichever process it reaches.
 * 2. Faults: kill -9 of a process, pg_terminate_backend of every connection, SIGTERM under load.
 *    No acknowledged write is ever lost, the survivors keep serving, the drain completes in-flight work.
 *
 * Postgres only (it needs a database that several processes can open): the postgres vitest project.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { assignments, claimEvents, claims, corrections, evidence, factChecks, verdicts } from '../../src/db/schema.js';
import { RATINGS } from '../../src/model/enums.js';
import { parseGlobalId } from '../../src/domain/global-ids.js';
import { holdClaimLock as holdSharedClaimLock } from '../support/claim-lock.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/database.js';
import { CREATE_CLAIM, INGEST, createUser, type TestUser } from '../support/factories.js';
import { checkInvariants } from '../support/invariants.js';
import { delay, isOk, killAllServers, okData, outcomeKey, startServer, tally, type Outcome, type ServerProcess } from '../support/processes.js';
import { M } from '../support/workflow.js';

const uuidOf = (globalId: string) => parseGlobalId(globalId)!.id;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** An article of distinct sentences: claim i quotes sentence i, which occurs exactly once. */
const sentence = (i: number) => `Statement ${String(i).padStart(4, '0')} is a checkable claim.`;
const BODY = range(400).map(sentence).join(' ');

describe.runIf(testDatabaseKind === 'postgres')('server processes on one Postgres database', () => {
  let testDb: TestDatabase;
  let db: Database;
  let dbName: string;

  const holdClaimLock = (claimId: string) => holdSharedClaimLock(db, claimId);
  let editor: TestUser;
  let reviewer1: TestUser;
  let reviewer2: TestUser;
  let reviewer3: TestUser;
  let articleId: string;
  let articlePromise: Promise<string> | null = null;
  let serverEnv: Record<string, string>;
  const started = Date.now();

  beforeAll(async () => {
    testDb = await createTestDatabase({ poolSize: 4 });
    db = testDb.db;
    dbName = new URL(testDb.url!).pathname.slice(1);
    editor = await createUser(db, 'EDITOR');
    reviewer1 = await createUser(db, 'REVIEWER');
    reviewer2 = await createUser(db, 'REVIEWER');
    reviewer3 = await createUser(db, 'REVIEWER');
    // LOG_LEVEL info: the "factcheck API ready" line (with the port) is an info line.
    serverEnv = { DATABASE_URL: testDb.url!, DATABASE_POOL_SIZE: '8', LOG_LEVEL: 'info' };
  });

  afterAll(async () => {
    await killAllServers();
    await testDb?.drop();
    console.log(`processes.test.ts on Postgres: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  /** The article of distinct sentences, ingested through `server` once per file. */
  function article(server: ServerProcess): Promise<string> {
    articlePromise ??= server
      .gql(INGEST, { input: { url: `https://news.example/processes-${Date.now()}`, title: 'Many statements', body: BODY } }, editor.token)
      .then((outcome) => (articleId = okData(outcome).ingestArticle.article.id as string));
    return articlePromise;
  }

  async function newClaim(server: ServerProcess, i: number, extra: Record<string, unknown> = {}) {
    const input = { articleId: await article(server), quote: sentence(i), ...extra };
    return okData(await server.gql(CREATE_CLAIM, { input }, editor.token)).createClaim.claim as { id: string; version: number; status: string };
  }

  // ---------------------------------------------------------------------------------------------
  // 1. Races across processes
  // ---------------------------------------------------------------------------------------------

  test('conflicting mutations raced across two processes: one winner each, invariants hold, every acknowledged write is stored', async () => {
    const [a, b] = await Promise.all([startServer('A', serverEnv), startServer('B', serverEnv)]);
    const t0 = Date.now();
    const via = (k: number) => (k % 2 === 0 ? a : b); // alternate the processes
    const send = (k: number, mutation: keyof typeof M, input: Record<string, unknown>, token: string) => via(k).gql(M[mutation], { i: input }, token);

    // What the servers acknowledged (OK responses), to look for in the database afterwards.
    const acked = {
      claims: [] as string[],
      assignments: [] as { id: string; claimId: string }[],
      verdicts: [] as { id: string; claimId: string; rating: string; rationale: string }[],
      publishes: [] as { claimId: string; factCheckId: string; rating: string; summary: string; note: string | null }[],
      reopens: [] as string[],
      dismisses: [] as string[],
    };
    let races = 0;
    let requests = 0;
    let acknowledged = 0; // OK mutation responses; each one's effect is looked up in the database below
    const record = (outcomes: Outcome[]) => {
      races += 1;
      requests += outcomes.length;
      acknowledged += outcomes.filter(isOk).length;
      // No race may crash a request: every failure is a coded CONFLICT.
      for (const o of outcomes) expect(['OK', 'CONFLICT'], JSON.stringify(o)).toContain(outcomeKey(o));
      return outcomes;
    };

    async function raceOneClaim(i: number) {
      const claim = await newClaim(via(i), i, { requiredVerdicts: 1 });
      const claimId = claim.id;
      acked.claims.push(claimId);
      acknowledged += 1;

      // assignClaim × 6, the same two reviewers, from both processes: all OK (no change is not an error), one ACTIVE each.
      const assigns = record(
        await Promise.all(range(6).map((k) => send(k + i, 'assign', { claimId, reviewerIds: [reviewer1.globalId, reviewer2.globalId] }, editor.token))),
      );
      expect(tally(assigns)).toEqual({ OK: 6 });
      for (const o of assigns) for (const x of okData(o).assignClaim.assignments) acked.assignments.push({ id: x.id, claimId });
      const active = await db
        .select()
        .from(assignments)
        .where(and(eq(assignments.claimId, uuidOf(claimId)), eq(assignments.state, 'ACTIVE')));
      expect(active.map((x) => x.reviewerId).sort()).toEqual([reviewer1.id, reviewer2.id].sort());
      const events = await db
        .select({ type: claimEvents.type })
        .from(claimEvents)
        .where(eq(claimEvents.claimId, uuidOf(claimId)))
        .orderBy(asc(claimEvents.version)); // without it, the order rows happen to lie in: two backends' inserts can land in any order
      expect(events.map((e) => e.type)).toEqual(['CREATED', 'ASSIGNED']); // one change, five no-ops

      // submitVerdict × 20 by one reviewer: exactly one verdict.
      const verdictInputs = range(20).map((k) => ({ claimId, rating: RATINGS[k % 6], confidence: 'HIGH', rationale: `claim ${i}, verdict attempt ${k}` }));
      const verdictOutcomes = record(await Promise.all(verdictInputs.map((input, k) => send(k, 'verdict', input, reviewer1.token))));
      expect(tally(verdictOutcomes)).toEqual({ OK: 1, CONFLICT: 19 });
      const vk = verdictOutcomes.findIndex(isOk);
      const verdict = okData(verdictOutcomes[vk]!).submitVerdict;
      acked.verdicts.push({ id: verdict.verdict.id, claimId, rating: verdictInputs[vk]!.rating!, rationale: verdictInputs[vk]!.rationale });
      expect(verdict.claim.status).toBe('REVIEWED');

      // publishFactCheck × 6 with the same expectedVersion: exactly one.
      const publishInputs = range(6).map((k) => ({
        claimId,
        expectedVersion: verdict.claim.version,
        rating: RATINGS[k],
        summary: `claim ${i}, first publication attempt ${k}`,
      }));
      const publishOutcomes = record(await Promise.all(publishInputs.map((input, k) => send(k + 1, 'publish', input, editor.token))));
      expect(tally(publishOutcomes)).toEqual({ OK: 1, CONFLICT: 5 });
      const pk = publishOutcomes.findIndex(isOk);
      const published = okData(publishOutcomes[pk]!).publishFactCheck;
      acked.publishes.push({
        claimId,
        factCheckId: published.factCheck.id,
        rating: publishInputs[pk]!.rating!,
        summary: publishInputs[pk]!.summary,
        note: null,
      });
      expect(published.claim).toMatchObject({ status: 'PUBLISHED', version: verdict.claim.version + 1 });

      // reopenClaim × 4 against publishFactCheck (a correction) × 4: exactly one reopen; corrections only before it.
      const mixed = range(8).map((k) =>
        k % 2 === 0
          ? { mutation: 'reopen' as const, input: { claimId, reason: `claim ${i}, reopen ${k}` } }
          : {
              mutation: 'publish' as const,
              input: { claimId, rating: RATINGS[k % 7], summary: `claim ${i}, correction ${k}`, correctionNote: `claim ${i}, note ${k}` },
            },
      );
      const mixedOutcomes = record(await Promise.all(mixed.map(({ mutation, input }, k) => send(k + i, mutation, input, editor.token))));
      const reopened = mixedOutcomes.filter((o, k) => isOk(o) && mixed[k]!.mutation === 'reopen');
      expect(reopened).toHaveLength(1);
      acked.reopens.push(claimId);
      mixedOutcomes.forEach((o, k) => {
        const m = mixed[k]!;
        if (isOk(o) && m.mutation === 'publish') {
          const input = m.input as { rating: string; summary: string; correctionNote: string };
          acked.publishes.push({
            claimId,
            factCheckId: okData(o).publishFactCheck.factCheck.id,
            rating: input.rating,
            summary: input.summary,
            note: input.correctionNote,
          });
        }
      });

      // assignClaim against dismissClaim on the reopened (OPEN) claim: exactly one dismissal, no ACTIVE assignment survives it.
      const reviewerSets = [[reviewer1], [reviewer2], [reviewer1, reviewer2], [reviewer3]];
      const duel = range(8).map((k) =>
        k % 2 === 0
          ? { mutation: 'assign' as const, input: { claimId, reviewerIds: reviewerSets[(k / 2) % 4]!.map((r) => r.globalId) } }
          : { mutation: 'dismiss' as const, input: { claimId, reason: `claim ${i}, dismissal ${k}` } },
      );
      const duelOutcomes = record(await Promise.all(duel.map(({ mutation, input }, k) => send(k + i + 1, mutation, input, editor.token))));
      expect(duelOutcomes.filter((o, k) => isOk(o) && duel[k]!.mutation === 'dismiss')).toHaveLength(1);
      acked.dismisses.push(claimId);
      duelOutcomes.forEach((o, k) => {
        if (isOk(o) && duel[k]!.mutation === 'assign') for (const x of okData(o).assignClaim.assignments) acked.assignments.push({ id: x.id, claimId });
      });
    }

    const CLAIMS = 8; // raced concurrently with each other too
    await Promise.all(range(CLAIMS).map((i) => raceOneClaim(i)));
    const raceTime = Date.now() - t0;

    // Invariants over the whole database.
    const report = await checkInvariants(db);
    expect(report.violations).toEqual([]);
    expect(report.claimsChecked).toBe(CLAIMS);

    // Every acknowledged write is in the database.
    const claimRows = await db
      .select()
      .from(claims)
      .where(inArray(claims.id, acked.claims.map(uuidOf)));
    expect(claimRows).toHaveLength(acked.claims.length);

    const assignmentRows = await db
      .select()
      .from(assignments)
      .where(inArray(assignments.id, [...new Set(acked.assignments.map((x) => uuidOf(x.id)))]));
    const assignmentById = new Map(assignmentRows.map((r) => [r.id, r]));
    for (const x of acked.assignments) {
      expect(assignmentById.get(uuidOf(x.id))?.claimId, `assignment ${x.id}`).toBe(uuidOf(x.claimId));
    }

    for (const v of acked.verdicts) {
      const [row] = await db
        .select()
        .from(verdicts)
        .where(eq(verdicts.id, uuidOf(v.id)));
      expect(row, `verdict ${v.id}`).toMatchObject({
        claimId: uuidOf(v.claimId),
        round: 1,
        reviewerId: reviewer1.id,
        rating: v.rating,
        rationale: v.rationale,
      });
    }

    for (const claimId of acked.claims) {
      const id = uuidOf(claimId);
      const claim = claimRows.find((c) => c.id === id)!;
      // reopened once (round 2), dismissed once: DISMISSED, fact check retracted from partners.
      expect(claim).toMatchObject({ round: 2, dismissed: true, status: 'DISMISSED' });
      const [factCheck] = await db.select().from(factChecks).where(eq(factChecks.claimId, id));
      expect(factCheck?.retractedAt).toBeInstanceOf(Date);
      const fixes = await db.select().from(corrections).where(eq(corrections.factCheckId, factCheck!.id));
      // Every published version (the current one and each one a correction replaced) is an acknowledged publish, and vice versa.
      const stored = [
        { rating: factCheck!.rating, summary: factCheck!.summary },
        ...fixes.map((c) => ({ rating: c.previousRating, summary: c.previousSummary })),
      ];
      const mine = acked.publishes.filter((p) => p.claimId === claimId);
      const bySummary = (x: { summary: string }, y: { summary: string }) => x.summary.localeCompare(y.summary);
      expect(stored.sort(bySummary)).toEqual(mine.map((p) => ({ rating: p.rating, summary: p.summary })).sort(bySummary));
      expect(fixes.map((c) => c.note).sort()).toEqual(
        mine
          .filter((p) => p.note)
          .map((p) => p.note)
          .sort(),
      );
      for (const p of mine) expect(uuidOf(p.factCheckId)).toBe(factCheck!.id);
      // One event per acknowledged change of each kind.
      const events = await db.select({ type: claimEvents.type }).from(claimEvents).where(eq(claimEvents.claimId, id));
      const count = (type: string) => events.filter((e) => e.type === type).length;
      expect({
        verdicts: count('VERDICT_SUBMITTED'),
        published: count('PUBLISHED'),
        corrected: count('CORRECTED'),
        reopened: count('REOPENED'),
        dismissed: count('DISMISSED'),
      }).toEqual({
        verdicts: 1,
        published: 1,
        corrected: mine.length - 1,
        reopened: 1,
        dismissed: 1,
      });
    }

    await Promise.all([a.stop(), b.stop()]);
    console.log(
      `races across 2 processes: ${races} races (${requests} concurrent requests) on ${CLAIMS} claims in ${raceTime} ms; ` +
        `${acknowledged} acknowledged mutations verified in the database; ${report.claimsChecked} claims / ${report.eventsChecked} events checked for invariants`,
    );
  });

  // ---------------------------------------------------------------------------------------------
  // 2. Faults
  // ---------------------------------------------------------------------------------------------

  interface LoadRecord {
    server: ServerProcess;
    op: 'evidence' | 'claim';
    tag: string;
    start: number;
    end: number;
    outcome: Outcome;
  }

  /** addEvidence / createClaim from `workers` loops spread over `servers`, bounded by time and count. */
  async function writeLoad(label: string, servers: ServerProcess[], claimIds: string[], options: { durationMs: number; maxRequests: number; workers: number }) {
    const records: LoadRecord[] = [];
    const deadline = Date.now() + options.durationMs;
    let issued = 0;
    const worker = async () => {
      while (Date.now() < deadline && issued < options.maxRequests) {
        const n = issued++;
        const server = servers[n % servers.length]!;
        const op = n % 3 === 2 ? 'claim' : 'evidence';
        const tag = `${label} write ${n}`;
        const start = Date.now();
        const outcome =
          op === 'claim'
            ? await server.gql(CREATE_CLAIM, { input: { articleId, quote: sentence(200 + (n % 200)), statement: tag } }, editor.token)
            : await server.gql(
                M.evidence,
                { i: { claimId: claimIds[n % claimIds.length], kind: 'NEWS_REPORT', title: tag, stance: 'CONTEXT', url: 'https://evidence.example/x' } },
                editor.token,
              );
        records.push({ server, op, tag, start, end: Date.now(), outcome });
        if (outcome.kind === 'network') await delay(5); // a dead server answers instantly: do not spin
      }
    };
    await Promise.all(range(options.workers).map(worker));
    return records;
  }

  /** Every OK write of the load is in the database (by id, with its tag); and how many unacknowledged ones landed anyway. */
  async function verifyLoad(records: LoadRecord[]) {
    const okEvidence = records.filter((r) => r.op === 'evidence' && isOk(r.outcome));
    const okClaims = records.filter((r) => r.op === 'claim' && isOk(r.outcome));
    const evidenceRows = await db.select({ id: evidence.id, title: evidence.title }).from(evidence);
    const claimRows = await db.select({ id: claims.id, statement: claims.statement }).from(claims);
    const evidenceById = new Map(evidenceRows.map((r) => [r.id, r.title]));
    const claimById = new Map(claimRows.map((r) => [r.id, r.statement]));
    const lost: string[] = [];
    for (const r of okEvidence) {
      const id = uuidOf((r.outcome as { data: any }).data.addEvidence.evidence.id);
      if (evidenceById.get(id) !== r.tag) lost.push(`${r.server.name}: ${r.tag} (evidence ${id})`);
    }
    for (const r of okClaims) {
      const id = uuidOf((r.outcome as { data: any }).data.createClaim.claim.id);
      if (claimById.get(id) !== r.tag) lost.push(`${r.server.name}: ${r.tag} (claim ${id})`);
    }
    const storedTags = new Set([...evidenceRows.map((r) => r.title), ...claimRows.map((r) => r.statement)]);
    const unacknowledged = records.filter((r) => !isOk(r.outcome));
    // Committed although the client got no success: lost responses (kill -9), or an error after the commit.
    const landed = unacknowledged.filter((r) => storedTags.has(r.tag));
    const landedDetail = landed.map(
      (r) => `${r.server.name} ${r.op} ${outcomeKey(r.outcome)}${r.outcome.kind === 'response' ? ` at ${JSON.stringify(r.outcome.errors?.[0]?.path)}` : ''}`,
    );
    return { verified: okEvidence.length + okClaims.length, lost, unacknowledged: unacknowledged.length, landedAnyway: landed.length, landedDetail };
  }

  const summary = (records: LoadRecord[]) => {
    const by: Record<string, Record<string, number>> = {};
    for (const r of records) {
      const key = outcomeKey(r.outcome);
      by[r.server.name] ??= {};
      by[r.server.name]![key] = (by[r.server.name]![key] ?? 0) + 1;
    }
    return by;
  };

  async function openClaims(server: ServerProcess, from: number, n: number) {
    return Promise.all(range(n).map(async (k) => (await newClaim(server, from + k)).id));
  }

  test('kill -9 of one process mid-load: the other keeps serving, no acknowledged write is lost', async () => {
    const t0 = Date.now();
    const [c, d] = await Promise.all([startServer('C', serverEnv), startServer('D', serverEnv)]);
    const claimIds = await openClaims(c, 20, 4);
    let killedAt = Number.POSITIVE_INFINITY;
    const killer = delay(800).then(() => {
      killedAt = Date.now();
      d.child.kill('SIGKILL');
    });
    const records = await writeLoad('kill9', [c, d], claimIds, { durationMs: 2_200, maxRequests: 3_000, workers: 8 });
    await killer;
    expect(await d.exited, `D's last output:\n${[...d.stdout.slice(-5), ...d.stderr.slice(-10)].join('\n')}`).toEqual({ code: null, signal: 'SIGKILL' });

    const toSurvivor = records.filter((r) => r.server === c);
    const toKilled = records.filter((r) => r.server === d);
    const survivorAfterKill = toSurvivor.filter((r) => r.start > killedAt);
    const killedAfterKill = toKilled.filter((r) => r.start > killedAt);
    // The survivor served every request, before and after the kill.
    expect(toSurvivor.filter((r) => !isOk(r.outcome)).map((r) => outcomeKey(r.outcome))).toEqual([]);
    expect(survivorAfterKill.length).toBeGreaterThan(10);
    // The killed one: served until the kill; afterwards only connection errors (never a response).
    expect(toKilled.filter((r) => r.end < killedAt).every((r) => isOk(r.outcome))).toBe(true);
    expect(killedAfterKill.length).toBeGreaterThan(0);
    expect(killedAfterKill.every((r) => r.outcome.kind === 'network')).toBe(true);
    expect(toKilled.filter((r) => !isOk(r.outcome)).every((r) => r.outcome.kind === 'network')).toBe(true);

    const result = await verifyLoad(records);
    expect(result.lost).toEqual([]);
    expect((await checkInvariants(db)).violations).toEqual([]);
    expect(c.alive()).toBe(true);
    expect(await c.get('/readyz')).toMatchObject({ kind: 'response', status: 200 });
    expect(await c.stop()).toEqual({ code: 0, signal: null });

    const connectionErrors = toKilled.filter((r) => r.outcome.kind === 'network');
    console.log(
      `kill -9: ${records.length} writes in ${Date.now() - t0} ms, ${result.verified} acknowledged writes verified, ` +
        `${connectionErrors.length} connection errors from the killed process (${JSON.stringify(summary(records))}), ` +
        `${result.landedAnyway} of ${result.unacknowledged} unacknowledged writes committed anyway`,
    );
  });

  test('pg_terminate_backend of the connection under one transaction: SERVICE_UNAVAILABLE, the process lives on, the next request succeeds', async () => {
    // The smallest form of the outage below, deterministic: a server with ONE pool connection, one
    // addEvidence parked inside its transaction (the test holds the claim's row lock), then that
    // connection's backend is terminated. The parked request may fail (coded); the process must
    // survive, and the next request (a new backend, the database is fine) must succeed.
    const h = await startServer('H', { ...serverEnv, DATABASE_POOL_SIZE: '1' });
    const claimId = (await openClaims(h, 80, 1))[0]!;
    const lastWords = () => [...h.stdout.filter((l) => l.includes('"level":50')).slice(-4), ...h.stderr.slice(-12)].join('\n');
    const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    const { isLocked, release, holder } = holdClaimLock(claimId);
    try {
      await isLocked;
      const parked = h.gql(M.evidence, { i: { claimId, kind: 'OTHER', title: 'parked when its backend dies', stance: 'CONTEXT' } }, editor.token, 10_000);
      const waiters = async () =>
        (await admin<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${dbName} and wait_event_type = 'Lock'`).map((r) => r.pid);
      const deadline = Date.now() + 5_000;
      while ((await waiters()).length < 1 && Date.now() < deadline) await delay(25);
      const pids = await waiters();
      expect(pids).toHaveLength(1);
      await admin`select pg_terminate_backend(pid) from pg_stat_activity where pid = ${pids[0]!}`;

      const outcome = await parked;
      await delay(300);
      expect(h.exit, `H must survive the termination; its last output:\n${lastWords()}`).toBeNull();
      // The database's failure, not the request's: coded SERVICE_UNAVAILABLE (HTTP 503), so the client knows to retry.
      expect(outcome).toMatchObject({
        kind: 'response',
        status: 503,
        errors: [{ message: 'The database is unavailable; retry shortly', extensions: { code: 'SERVICE_UNAVAILABLE' } }],
      });
    } finally {
      release();
      await holder;
      await admin.end({ timeout: 5 });
    }
    // The outage is over: the first request after it gets a new connection and succeeds.
    const after = await h.gql(M.evidence, { i: { claimId, kind: 'OTHER', title: 'after the terminated one', stance: 'CONTEXT' } }, editor.token, 10_000);
    expect(outcomeKey(after), `the first request after the termination: ${JSON.stringify(after)}\nH's errors:\n${lastWords()}`).toBe('OK');
    expect(await h.get('/readyz')).toMatchObject({ kind: 'response', status: 200 });
    const titles = (
      await db
        .select({ title: evidence.title })
        .from(evidence)
        .where(eq(evidence.claimId, uuidOf(claimId)))
    ).map((r) => r.title);
    expect(titles).toEqual(['after the terminated one']); // the failed write changed nothing
    expect(await h.stop()).toEqual({ code: 0, signal: null });
  });

  test('pg_terminate_backend of every connection mid-load: no crash, coded errors only, /readyz recovers, acknowledged writes kept', async () => {
    const t0 = Date.now();
    const [e, f] = await Promise.all([startServer('E', serverEnv), startServer('F', serverEnv)]);
    const claimIds = await openClaims(e, 40, 4);
    const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    const terminations: { at: number; killed: number }[] = [];
    const readiness: { server: string; at: number; status: number | string }[] = [];
    try {
      const terminate = async () => {
        const rows = await admin`SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE datname = ${dbName} AND pid <> pg_backend_pid()`;
        terminations.push({ at: Date.now(), killed: rows.filter((r) => r.done).length });
      };
      const chaos = (async () => {
        await delay(600);
        await terminate();
        await delay(700);
        await terminate();
      })();
      let loadRunning = true;
      const pollUntil = Date.now() + 15_000;
      const poller = (async () => {
        while (loadRunning && Date.now() < pollUntil) {
          for (const s of [e, f]) {
            const o = await s.get('/readyz', 3_000);
            readiness.push({ server: s.name, at: Date.now(), status: o.kind === 'response' ? o.status : o.error });
          }
          await delay(100);
        }
      })();
      const records = await writeLoad('terminate', [e, f], claimIds, { durationMs: 2_500, maxRequests: 3_000, workers: 8 });
      loadRunning = false;
      await Promise.all([chaos, poller]);
      const lastTermination = Math.max(...terminations.map((t) => t.at));

      // Neither process crashed; each answers /readyz with 200 again by itself within a few seconds.
      const lastWords = (s: ServerProcess) => [...s.stdout.slice(-6), ...s.stderr.slice(-30)].join('\n');
      for (const s of [e, f]) expect(s.exit, `${s.name} must not exit; its last output:\n${lastWords(s)}`).toBeNull();
      for (const s of [e, f]) {
        const deadline = Date.now() + 5_000;
        let status: number | string = 'none';
        while (Date.now() < deadline) {
          const o = await s.get('/readyz', 2_000);
          status = o.kind === 'response' ? o.status : o.error;
          readiness.push({ server: s.name, at: Date.now(), status });
          if (status === 200) break;
          await delay(100);
        }
        expect(status, `${s.name} /readyz`).toBe(200);
      }
      // Every request got an HTTP response (no dropped connection: no crash); every failure is coded.
      const keys = records.map((r) => outcomeKey(r.outcome));
      expect(keys.filter((k) => k.startsWith('NETWORK') || k === 'UNCODED' || k.startsWith('HTTP_'))).toEqual([]);
      // The only acceptable failure is SERVICE_UNAVAILABLE (a request whose connection died under it); never a masked 500.
      expect([...new Set(keys)].filter((k) => k !== 'OK' && k !== 'SERVICE_UNAVAILABLE')).toEqual([]);
      // Masked errors carry nothing internal.
      for (const r of records) {
        if (r.outcome.kind === 'response')
          for (const err of r.outcome.errors ?? []) if (err.extensions?.code === 'INTERNAL_SERVER_ERROR') expect(err.message).toBe('Internal server error');
      }
      // Recovered without a restart: requests sent a moment after the last termination all succeed.
      const afterRecovery = records.filter((r) => r.start > lastTermination + 300);
      expect(afterRecovery.length).toBeGreaterThan(10);
      expect(afterRecovery.filter((r) => !isOk(r.outcome)).map((r) => `${r.server.name} +${r.start - lastTermination}ms ${outcomeKey(r.outcome)}`)).toEqual([]);
      const fresh = await Promise.all(
        range(10).map((k) =>
          [e, f][k % 2]!.gql(M.evidence, { i: { claimId: claimIds[0], kind: 'OTHER', title: `after terminate ${k}`, stance: 'SUPPORTS' } }, editor.token),
        ),
      );
      expect(tally(fresh)).toEqual({ OK: 10 });

      const result = await verifyLoad(records);
      expect(result.lost).toEqual([]);
      expect((await checkInvariants(db)).violations).toEqual([]);
      expect(await Promise.all([e.stop(), f.stop()])).toEqual([
        { code: 0, signal: null },
        { code: 0, signal: null },
      ]);
      const outage = readiness.filter((r) => r.status !== 200);
      console.log(
        `pg_terminate_backend: ${terminations.map((t) => t.killed).join(' + ')} backends terminated during ${records.length} writes in ${Date.now() - t0} ms; ` +
          `outcomes ${JSON.stringify(summary(records))}; ${result.verified} acknowledged writes verified; ` +
          `${result.landedAnyway} of ${result.unacknowledged} failed writes committed anyway ${JSON.stringify(result.landedDetail)}; /readyz non-200 ${outage.length} of ${readiness.length} polls`,
      );
    } finally {
      await admin.end({ timeout: 5 });
    }
  });

  // NODE_ENV matters: Apollo Server installs SIGTERM/SIGINT handlers of its own unless NODE_ENV=test,
  // so `production` is what a deployment runs and `test` isolates the drain itself.
  test.each(['production', 'test'])('SIGTERM under load (NODE_ENV=%s): in-flight requests complete, then the process exits 0', async (nodeEnv) => {
    const t0 = Date.now();
    const g = await startServer(`G (${nodeEnv})`, { ...serverEnv, NODE_ENV: nodeEnv, DATABASE_POOL_SIZE: '4' });
    const claimId = (await openClaims(g, nodeEnv === 'production' ? 60 : 61, 1))[0]!;
    const exitAt = g.exited.then(() => Date.now());

    // Park the server's requests inside their transactions: the test holds the claim's row lock.
    const { isLocked, release, holder } = holdClaimLock(claimId);
    const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    const N = 12;
    let inFlight: Promise<{ outcome: Outcome; at: number }>[] = [];
    let releasedAt = 0;
    try {
      await isLocked;
      inFlight = range(N).map((k) =>
        g
          .gql(M.evidence, { i: { claimId, kind: 'OTHER', title: `in flight at SIGTERM ${k}`, stance: 'CONTEXT' } }, editor.token, 20_000)
          .then((outcome) => ({ outcome, at: Date.now() })),
      );
      // Wait until all 4 pool connections of the server block on the lock (the other 8 requests queue for a connection).
      const waitingOnLock = async () =>
        (await admin<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where datname = ${dbName} and wait_event_type = 'Lock'`)[0]!.n;
      const deadline = Date.now() + 5_000;
      while ((await waitingOnLock()) < 4 && Date.now() < deadline) await delay(50);
      expect(await waitingOnLock()).toBe(4);
      // And until the server has received all N (on a busy machine the last may still be on its way:
      // a connection whose request has not arrived is idle, and a drain closes idle connections).
      const received = async () => Number(/^http_requests_in_flight (\d+)/m.exec(await (await fetch(`${g.url}/metrics`)).text())?.[1] ?? 0) - 1;
      // (A scrape answers with the last database readings while every pool connection is held.)
      const allReceivedBy = Date.now() + 10_000;
      while ((await received()) < N && Date.now() < allReceivedBy) await delay(50);
      expect(await received(), 'requests received (the scrape counts itself)').toBe(N);

      g.child.kill('SIGTERM');
      await delay(600);
      expect(g.alive(), 'the process waits for its in-flight requests').toBe(true);
    } finally {
      releasedAt = Date.now();
      release();
      await holder;
      await admin.end({ timeout: 5 });
    }

    const results = await Promise.all(inFlight);
    // main.ts exits 1 after 15 s if the drain has not finished by then: wait a little longer, to tell the two apart.
    const exit = await Promise.race([g.exited, delay(17_000).then(() => null)]);
    expect(tally(results.map((r) => r.outcome))).toEqual({ OK: N });
    const exitedAfter = (await Promise.race([exitAt, Promise.resolve(Date.now())])) - releasedAt;
    expect(exit, `exit ${exitedAfter} ms after the lock was released; last log lines:\n${g.stdout.slice(-3).join('\n')}`).toEqual({ code: 0, signal: null });
    const lastResponse = Math.max(...results.map((r) => r.at));
    expect(lastResponse).toBeGreaterThanOrEqual(releasedAt);
    expect(await exitAt).toBeGreaterThanOrEqual(lastResponse);
    const ids = results.map((r) => uuidOf(okData(r.outcome).addEvidence.evidence.id));
    const stored = await db
      .select({ title: evidence.title })
      .from(evidence)
      .where(and(eq(evidence.claimId, uuidOf(claimId)), inArray(evidence.id, ids)));
    expect(stored).toHaveLength(N);
    expect(g.stdout.some((line) => line.includes('"msg":"stopped"'))).toBe(true);
    console.log(
      `SIGTERM (NODE_ENV=${nodeEnv}): ${N} in-flight writes completed and verified, exit code 0 ${exitedAfter} ms after they were released, ${Date.now() - t0} ms in all`,
    );
  });
});
