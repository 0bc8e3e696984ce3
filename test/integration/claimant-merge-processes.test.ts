/**
 * mergeClaimants racing on two server processes against one Postgres database (issue 28): merges run
 * one at a time (an advisory lock), claimants are locked before claims, so two merges over the same
 * claimants (A into B while B into A; A into B while B into C) and a merge against claim actions that
 * give the source as speaker neither lose a claim nor deadlock. Every claim ends with a live speaker,
 * each moved claim has exactly one UPDATED event of the merge, and version = number of events.
 *
 * Postgres only (several processes need a database they can share): the postgres vitest project.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { claimants, claimEvents, claims } from '../../src/db/schema.js';
import { parseGlobalId } from '../../src/domain/global-ids.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/database.js';
import { INGEST, createUser, type TestUser } from '../support/factories.js';
import { checkInvariants } from '../support/invariants.js';
import { killAllServers, okData, outcomeKey, startServer, type Outcome, type ServerProcess } from '../support/processes.js';

const CREATE_CLAIMANT = `mutation($i: CreateClaimantInput!) { createClaimant(input: $i) { claimant { id } } }`;
const MERGE = `mutation($i: MergeClaimantsInput!) { mergeClaimants(input: $i) { claimant { id } movedClaims } }`;
const CREATE_CLAIM = `mutation($i: CreateClaimInput!) { createClaim(input: $i) { claim { id speaker { id } } } }`;
const UPDATE_CLAIM = `mutation($i: UpdateClaimInput!) { updateClaim(input: $i) { claim { id version speaker { id } } } }`;
const CLAIMANT = `query($id: ID!) { claimant(id: $id) { id } }`;
const CLAIMS_EACH = 30;
const uuidOf = (globalId: string) => parseGlobalId(globalId)!.id;

describe.runIf(testDatabaseKind === 'postgres')('mergeClaimants on two processes', () => {
  let testDb: TestDatabase;
  let db: Database;
  let editor: TestUser;
  let a: ServerProcess;
  let b: ServerProcess;
  let round = 0;

  beforeAll(async () => {
    testDb = await createTestDatabase({ poolSize: 2 });
    db = testDb.db;
    editor = await createUser(db, 'EDITOR');
    const env = { DATABASE_URL: testDb.url!, DATABASE_POOL_SIZE: '4', LOG_LEVEL: 'info' };
    [a, b] = await Promise.all([startServer('A', env), startServer('B', env)]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()].filter(Boolean));
    await killAllServers();
    await testDb?.drop();
  });

  /** Runs `jobs` `width` at a time, alternating the two processes. */
  async function inParallel<T>(jobs: ((server: ServerProcess) => Promise<T>)[], width = 8): Promise<T[]> {
    const results: T[] = [];
    for (let i = 0; i < jobs.length; i += width) results.push(...(await Promise.all(jobs.slice(i, i + width).map((job, j) => job((i + j) % 2 ? b : a)))));
    return results;
  }

  /** Claimants with `each` claims apiece (their global IDs), all quotes of one article, plus `spare` claims with no speaker. */
  async function world(names: string[], each = CLAIMS_EACH, spare = 0) {
    round++;
    const ids = names.map(() => '');
    for (const [i, name] of names.entries())
      ids[i] = okData(await a.gql(CREATE_CLAIMANT, { i: { name: `${name} ${round}`, kind: 'PERSON' } }, editor.token)).createClaimant.claimant.id;
    const sentences = Array.from({ length: names.length * each + spare }, (_, i) => `Round ${round} statement ${String(i).padStart(3, '0')} is checkable.`);
    const article = okData(
      await a.gql(INGEST, { input: { url: `https://news.example/merge-${randomUUID()}`, title: 'Many', body: sentences.join(' ') } }, editor.token),
    ).ingestArticle.article.id;
    const claimIds = await inParallel(
      sentences.map((quote, i) => async (server) => {
        const speakerId = i < names.length * each ? ids[Math.floor(i / each)] : undefined;
        return okData(await server.gql(CREATE_CLAIM, { i: { articleId: article, quote, speakerId } }, editor.token)).createClaim.claim.id as string;
      }),
    );
    const claimsOf = names.map((_, k) => claimIds.slice(k * each, (k + 1) * each));
    return { ids, article, claimsOf, spare: claimIds.slice(names.length * each) };
  }

  const merge = (server: ServerProcess, sourceId: string, targetId: string) => server.gql(MERGE, { i: { sourceId, targetId } }, editor.token, 60_000);
  const codes = (outcome: Outcome) => (outcome.kind === 'response' ? (outcome.errors ?? []).map((e) => e.extensions?.code) : [`NETWORK:${outcome.error}`]);

  /** Speaker (row ID) of each claim, by claim global ID. */
  async function speakersOf(claimIds: string[]) {
    const rows = await db
      .select({ id: claims.id, speakerId: claims.speakerId })
      .from(claims)
      .where(inArray(claims.id, claimIds.map(uuidOf)));
    return new Map(rows.map((r) => [r.id, r.speakerId]));
  }

  /** Every claim's speaker is a live claimant. */
  async function expectLiveSpeakers(claimIds: string[]) {
    const speakers = [...new Set((await speakersOf(claimIds)).values())].filter((s): s is string => s !== null);
    const live = await db
      .select({ id: claimants.id })
      .from(claimants)
      .where(and(inArray(claimants.id, speakers), isNull(claimants.mergedInto)));
    expect(live.map((c) => c.id).sort()).toEqual(speakers.sort());
  }

  /** How many UPDATED events of a merge ("Speaker … merged into …") each claim has, by claim row ID. */
  async function mergeEvents(claimIds: string[]) {
    const events = await db
      .select({ claimId: claimEvents.claimId, type: claimEvents.type, note: claimEvents.note })
      .from(claimEvents)
      .where(inArray(claimEvents.claimId, claimIds.map(uuidOf)))
      .orderBy(asc(claimEvents.claimId), asc(claimEvents.version));
    const moves = new Map(claimIds.map((id) => [uuidOf(id), 0]));
    for (const e of events) if (e.type === 'UPDATED' && / merged into /.test(e.note ?? '')) moves.set(e.claimId, moves.get(e.claimId)! + 1);
    return moves;
  }

  /** Where each server's output stood when the test began. */
  let logStart = new Map<ServerProcess, [number, number]>();
  beforeEach(() => {
    logStart = new Map([a, b].map((server) => [server, [server.stdout.length, server.stderr.length]]));
  });

  /** Nothing in either server's output since the test began at level error or above, and no deadlock. */
  function expectQuietLogs() {
    for (const server of [a, b]) {
      const [out, err] = logStart.get(server)!;
      const lines = [...server.stdout.slice(out), ...server.stderr.slice(err)];
      expect(lines.filter((line) => /deadlock|40P01/i.test(line) || /"level":(50|60)/.test(line))).toEqual([]);
    }
  }

  test('A into B while B into A: one merge happens, the other is BAD_USER_INPUT (a merge into itself); no claim is lost', async () => {
    for (const [first, second] of [
      [a, b],
      [b, a],
    ] as const) {
      const w = await world(['Ada Alpha', 'Bo Beta', 'Cy Gamma']);
      const [A, B, C] = w.ids as [string, string, string];
      const [ab, ba] = await Promise.all([merge(first, A, B), merge(second, B, A)]);
      // One merges; the other, once it has the lock, finds both its IDs leading to the claimant kept: a
      // merge into itself. (It cannot go through in the other direction: the source is gone by then.)
      expect([ab, ba].map(outcomeKey).sort()).toEqual(['BAD_USER_INPUT', 'OK']);
      const loser = [ab, ba].find((o) => outcomeKey(o) !== 'OK')!;
      expect(codes(loser)).toEqual(['BAD_USER_INPUT']);
      expect(loser.kind === 'response' && loser.errors![0]!.message).toBe('A claimant cannot be merged into itself');
      const winner = [ab, ba].find((o) => outcomeKey(o) === 'OK')!;
      expect(okData(winner).mergeClaimants.movedClaims).toBe(CLAIMS_EACH);
      const kept = okData(winner).mergeClaimants.claimant.id as string;
      const gone = kept === B ? A : B;
      expect([A, B]).toContain(kept);

      const all = [...w.claimsOf.flat()];
      const speakers = await speakersOf(all);
      expect(all.filter((id) => speakers.get(uuidOf(id)) === uuidOf(kept))).toHaveLength(2 * CLAIMS_EACH);
      expect(all.filter((id) => speakers.get(uuidOf(id)) === uuidOf(C))).toHaveLength(CLAIMS_EACH);
      expect(all.filter((id) => speakers.get(uuidOf(id)) === uuidOf(gone))).toHaveLength(0);
      await expectLiveSpeakers(all);
      // One UPDATED event per moved claim (the merged one's), none on the others.
      const moved = await mergeEvents(all);
      const movedFrom = kept === B ? w.claimsOf[0]! : w.claimsOf[1]!;
      for (const id of all) expect([id, moved.get(uuidOf(id))]).toEqual([id, movedFrom.includes(id) ? 1 : 0]);
      // Both IDs lead to the claimant kept, on either process.
      for (const server of [a, b]) for (const id of [A, B]) expect(okData(await server.gql(CLAIMANT, { id }, editor.token)).claimant.id).toBe(kept);
    }
    expect((await checkInvariants(db)).violations).toEqual([]);
    expectQuietLogs();
  });

  test('A into B while B into C: both go through, and A, B and their 60 claims all lead to C', async () => {
    for (const bcFirst of [false, true]) {
      const w = await world(['Ada Alpha', 'Bo Beta', 'Cy Gamma']);
      const [A, B, C] = w.ids as [string, string, string];
      // Sent in both orders (the first sent usually takes the merge lock first), on different processes.
      const [ab, bc] = bcFirst
        ? await Promise.all([merge(b, B, C), merge(a, A, B)]).then(([x, y]) => [y, x] as const)
        : await Promise.all([merge(a, A, B), merge(b, B, C)]);
      expect([outcomeKey(ab), outcomeKey(bc)]).toEqual(['OK', 'OK']);
      const moves = [okData(ab).mergeClaimants.movedClaims, okData(bc).mergeClaimants.movedClaims];
      // A into B first: 30, then B's 60 into C; B into C first: 30, then A's 30 straight into C.
      expect([
        [CLAIMS_EACH, 2 * CLAIMS_EACH],
        [CLAIMS_EACH, CLAIMS_EACH],
      ]).toContainEqual(moves);
      expect(okData(bc).mergeClaimants.claimant.id).toBe(C);
      expect(okData(ab).mergeClaimants.claimant.id).toBe(moves[1] === CLAIMS_EACH ? C : B);

      const all = w.claimsOf.flat();
      const speakers = await speakersOf(all);
      expect(all.filter((id) => speakers.get(uuidOf(id)) === uuidOf(C))).toHaveLength(3 * CLAIMS_EACH);
      await expectLiveSpeakers(all);
      // A's claims moved once (into B or straight into C) or twice (into B, then with B's into C): one event per move.
      const moved = await mergeEvents(all);
      const twice = moves[1] === 2 * CLAIMS_EACH;
      for (const id of w.claimsOf[0]!) expect(moved.get(uuidOf(id))).toBe(twice ? 2 : 1);
      for (const id of w.claimsOf[1]!) expect(moved.get(uuidOf(id))).toBe(1);
      for (const id of w.claimsOf[2]!) expect(moved.get(uuidOf(id))).toBe(0);
      // The chain is one step deep in the table, and every ID leads to C.
      const rows = await db
        .select({ id: claimants.id, mergedInto: claimants.mergedInto })
        .from(claimants)
        .where(inArray(claimants.id, [A, B].map(uuidOf)));
      expect(rows.map((r) => r.mergedInto)).toEqual([uuidOf(C), uuidOf(C)]);
      for (const server of [a, b]) for (const id of [A, B, C]) expect(okData(await server.gql(CLAIMANT, { id }, editor.token)).claimant.id).toBe(C);
    }
    expect((await checkInvariants(db)).violations).toEqual([]);
    expectQuietLogs();
  });

  test('A into B while the other process gives claims A as speaker (createClaim, updateClaim): every one ends on B', async () => {
    const RACING = 12;
    const w = await world(['Ada Alpha', 'Bo Beta'], CLAIMS_EACH, RACING);
    const [A, B] = w.ids as [string, string];
    const sentences = Array.from({ length: RACING }, (_, i) => `Racing ${round} statement ${String(i).padStart(3, '0')} is checkable.`);
    const article = okData(
      await b.gql(INGEST, { input: { url: `https://news.example/racing-${randomUUID()}`, title: 'Racing', body: sentences.join(' ') } }, editor.token),
    ).ingestArticle.article.id;
    // Two streams on process B, one request at a time each: new claims naming A, and the spare claims
    // (no speaker) given A. The merge starts on process A once each stream has sent a few, so that some
    // claims get A before it, some while it runs and some after.
    let merging: Promise<Outcome> | null = null;
    const stream = async (requests: (() => Promise<Outcome>)[]) => {
      const outcomes: Outcome[] = [];
      for (const [i, send] of requests.entries()) {
        if (i === 3) merging ??= merge(a, A, B);
        outcomes.push(await send());
      }
      return outcomes;
    };
    const [created, updated] = await Promise.all([
      stream(sentences.map((quote) => () => b.gql(CREATE_CLAIM, { i: { articleId: article, quote, speakerId: A } }, editor.token))),
      stream(w.spare.map((claimId) => () => b.gql(UPDATE_CLAIM, { i: { claimId, speakerId: A } }, editor.token))),
    ]);
    const merged = await merging!;
    expect(outcomeKey(merged)).toBe('OK');
    for (const outcome of [...created, ...updated]) expect(outcomeKey(outcome)).toBe('OK');
    const newClaims = created.map((o) => okData(o).createClaim.claim.id as string);
    const all = [...w.claimsOf.flat(), ...w.spare, ...newClaims];
    const speakers = await speakersOf(all);
    // Given A before the merge (and moved by it) or after (given B straight away): B either way.
    for (const id of [...w.claimsOf[0]!, ...w.spare, ...newClaims]) expect([id, speakers.get(uuidOf(id))]).toEqual([id, uuidOf(B)]);
    await expectLiveSpeakers(all);
    // The merge moved A's 30 and every raced claim that had A when it ran: one UPDATED event each.
    const moved = await mergeEvents(all);
    for (const id of w.claimsOf[0]!) expect(moved.get(uuidOf(id))).toBe(1);
    for (const id of w.claimsOf[1]!) expect(moved.get(uuidOf(id))).toBe(0);
    const racedAndMoved = [...w.spare, ...newClaims].filter((id) => moved.get(uuidOf(id)) === 1).length;
    for (const id of [...w.spare, ...newClaims]) expect(moved.get(uuidOf(id))).toBeLessThanOrEqual(1);
    expect(okData(merged).mergeClaimants.movedClaims).toBe(CLAIMS_EACH + racedAndMoved);
    // A spare claim: CREATED, its update (UPDATED) and, if the update came first, the merge's UPDATED.
    const events = await db
      .select({ claimId: claimEvents.claimId, type: claimEvents.type })
      .from(claimEvents)
      .where(inArray(claimEvents.claimId, w.spare.map(uuidOf)))
      .orderBy(asc(claimEvents.claimId), asc(claimEvents.version));
    for (const id of w.spare)
      expect(events.filter((e) => e.claimId === uuidOf(id)).map((e) => e.type)).toEqual(
        moved.get(uuidOf(id)) ? ['CREATED', 'UPDATED', 'UPDATED'] : ['CREATED', 'UPDATED'],
      );
    const [leftOnA] = await db
      .select({ id: claims.id })
      .from(claims)
      .where(and(inArray(claims.id, all.map(uuidOf)), eq(claims.speakerId, uuidOf(A))));
    expect(leftOnA).toBeUndefined();
    expect((await checkInvariants(db)).violations).toEqual([]);
    expectQuietLogs();
  });
});
