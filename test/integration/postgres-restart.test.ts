/**
 * The database server restarts under load: a throw-away cluster of this test's own (initdb + pg_ctl
 * on a free port, test/support/pg-cluster.ts), two server processes on it, a write load, then
 * `pg_ctl stop -m fast` and `pg_ctl start` mid-load. No acknowledged write is lost; /readyz says 503
 * while the database is down and 200 once it is back, with no server restart; requests during the
 * outage fail at once with SERVICE_UNAVAILABLE (HTTP 503), never a hang or a masked 500.
 *
 * Postgres project only, like processes.test.ts (CI runs it: .ci/run sets TEST_DATABASE_URL).
 */
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection.js';
import { claims, evidence } from '../../src/db/schema.js';
import { parseGlobalId } from '../../src/domain/global-ids.js';
import { testDatabaseKind } from '../support/database.js';
import { CREATE_CLAIM, INGEST, createUser, type TestUser } from '../support/factories.js';
import { createCluster, type Cluster } from '../support/pg-cluster.js';
import { delay, isOk, killAllServers, okData, outcomeKey, startServer, type ReadyPoll, type ServerProcess, type TimedWrite } from '../support/processes.js';
import { M } from '../support/workflow.js';

const uuidOf = (globalId: string) => parseGlobalId(globalId)!.id;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sentence = (i: number) => `Statement ${String(i).padStart(4, '0')} is a checkable claim.`;
const STATEMENT_TIMEOUT_MS = 10_000;

describe.runIf(testDatabaseKind === 'postgres')('a Postgres restart under load', () => {
  let cluster: Cluster | null = null;
  let database: DatabaseHandle | null = null;
  let editor: TestUser;

  beforeAll(async () => {
    cluster = await createCluster();
    database = await openDatabase(cluster.url, { poolSize: 2 });
    await database.migrate();
    editor = await createUser(database.db, 'EDITOR');
  });

  afterAll(async () => {
    await killAllServers();
    await database?.close();
    await cluster?.destroy();
  });

  type Write = TimedWrite<'evidence' | 'claim'>;
  type Poll = ReadyPoll;

  test('pg_ctl stop -m fast and start mid-load: no acknowledged write lost, /readyz 503 then 200 without a server restart, outage requests fail fast and coded', async () => {
    const env = { DATABASE_URL: cluster!.url, DATABASE_POOL_SIZE: '6', DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS) };
    const servers = await Promise.all([startServer('A', env), startServer('B', env)]);
    const [a] = servers;
    const body = range(400).map(sentence).join(' ');
    const articleId = okData(await a!.gql(INGEST, { input: { url: 'https://news.example/restart', title: 'Restart', body } }, editor.token)).ingestArticle
      .article.id;
    const claimIds = await Promise.all(
      range(4).map(async (i) => okData(await a!.gql(CREATE_CLAIM, { input: { articleId, quote: sentence(i) } }, editor.token)).createClaim.claim.id as string),
    );

    const writes: Write[] = [];
    const polls: Poll[] = [];
    let loading = true;
    let issued = 0;
    const worker = async () => {
      while (loading && issued < 6_000) {
        const n = issued++;
        const server = servers[n % 2]!;
        const op = n % 3 === 2 ? 'claim' : 'evidence';
        const tag = `restart write ${n}`;
        const start = Date.now();
        const outcome =
          op === 'claim'
            ? await server.gql(CREATE_CLAIM, { input: { articleId, quote: sentence(10 + (n % 390)), statement: tag } }, editor.token, 30_000)
            : await server.gql(M.evidence, { i: { claimId: claimIds[n % 4], kind: 'NEWS_REPORT', title: tag, stance: 'CONTEXT' } }, editor.token, 30_000);
        writes.push({ server, op, tag, start, end: Date.now(), outcome });
        if (!isOk(outcome)) await delay(20); // failures come back at once: do not spin
      }
    };
    const poller = async () => {
      while (loading) {
        for (const server of servers) {
          const start = Date.now();
          const o = await server.get('/readyz', 30_000);
          polls.push({ server, start, end: Date.now(), status: o.kind === 'response' ? o.status : o.error });
        }
        await delay(50);
      }
    };
    const load = Promise.all([...range(6).map(worker), poller()]);

    await delay(3_000); // load before the stop
    const stopBegan = Date.now();
    await cluster!.stop('fast');
    const stoppedAt = Date.now();
    await delay(3_000); // the outage: load and polls go on
    const startBegan = Date.now();
    await cluster!.start();
    const startedAt = Date.now();
    // Wait (bounded) until each server's /readyz says 200 again by itself.
    const readyAt = new Map<ServerProcess, number>();
    const until = Date.now() + 30_000;
    while (readyAt.size < 2 && Date.now() < until) {
      for (const p of polls) if (p.start >= startedAt && p.status === 200 && !readyAt.has(p.server)) readyAt.set(p.server, p.end);
      await delay(20);
    }
    const recovered = Math.max(...readyAt.values());
    await delay(3_000); // load after the recovery
    loading = false;
    await load;

    const lastWords = (s: ServerProcess) => [...s.stdout.filter((l) => /"level":(50|60)/.test(l)).slice(-3), ...s.stderr.slice(-30)].join('\n');
    for (const s of servers) expect(s.exit, `${s.name} must live through the restart; its last output:\n${lastWords(s)}`).toBeNull();
    expect(readyAt.size, 'both servers answer /readyz 200 again').toBe(2);

    // While the database was down, /readyz said 503 on both servers.
    const duringOutage = polls.filter((p) => p.start > stoppedAt && p.end < startBegan);
    // At least twice each: a /readyz waits up to the connect timeout while the server is unreachable.
    for (const s of servers) expect(duringOutage.filter((p) => p.server === s).length).toBeGreaterThanOrEqual(2);
    expect([...new Set(duringOutage.map((p) => p.status))]).toEqual([503]);

    // Requests made during the outage: every one answered (no dropped connection), SERVICE_UNAVAILABLE with HTTP 503, in less than the statement timeout.
    const outageWrites = writes.filter((w) => w.start > stoppedAt && w.end < startBegan);
    expect(outageWrites.length).toBeGreaterThan(20);
    expect([...new Set(outageWrites.map((w) => `${w.outcome.kind === 'response' ? w.outcome.status : 'network'} ${outcomeKey(w.outcome)}`))]).toEqual([
      '503 SERVICE_UNAVAILABLE',
    ]);
    const slowestOutageMs = Math.max(...outageWrites.map((w) => w.end - w.start));
    expect(slowestOutageMs).toBeLessThan(STATEMENT_TIMEOUT_MS);

    // Around the stop (a connection terminated under a request) the only failure is the same coded one; never a masked 500 or a dropped connection.
    expect([...new Set(writes.map((w) => outcomeKey(w.outcome)))].filter((k) => k !== 'OK' && k !== 'SERVICE_UNAVAILABLE')).toEqual([]);
    // Recovered without a restart: everything sent after both were ready again succeeded.
    const afterRecovery = writes.filter((w) => w.start > recovered);
    expect(afterRecovery.length).toBeGreaterThan(10);
    expect(afterRecovery.filter((w) => !isOk(w.outcome)).map((w) => `${w.server.name} ${outcomeKey(w.outcome)}`)).toEqual([]);

    // No acknowledged write lost: each OK write is in the database, by id and with its tag.
    const okWrites = writes.filter((w) => isOk(w.outcome));
    const evidenceIds = okWrites.filter((w) => w.op === 'evidence').map((w) => uuidOf(okData(w.outcome).addEvidence.evidence.id));
    const claimIdsWritten = okWrites.filter((w) => w.op === 'claim').map((w) => uuidOf(okData(w.outcome).createClaim.claim.id));
    const storedEvidence = new Map(
      (await database!.db.select({ id: evidence.id, title: evidence.title }).from(evidence).where(inArray(evidence.id, evidenceIds))).map((r) => [
        r.id,
        r.title,
      ]),
    );
    const storedClaims = new Map(
      (await database!.db.select({ id: claims.id, statement: claims.statement }).from(claims).where(inArray(claims.id, claimIdsWritten))).map((r) => [
        r.id,
        r.statement,
      ]),
    );
    const lost = okWrites.filter((w) => {
      const id = uuidOf(w.op === 'evidence' ? okData(w.outcome).addEvidence.evidence.id : okData(w.outcome).createClaim.claim.id);
      return (w.op === 'evidence' ? storedEvidence.get(id) : storedClaims.get(id)) !== w.tag;
    });
    expect(lost.map((w) => w.tag)).toEqual([]);
    expect(okWrites.filter((w) => w.end < stopBegan).length).toBeGreaterThan(5);

    expect(await Promise.all(servers.map((s) => s.stop()))).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
    const failed = writes.filter((w) => !isOk(w.outcome)).length;
    console.log(
      `Postgres restart: ${writes.length} writes, ${okWrites.length} acknowledged writes verified in the database, ${failed} failed with SERVICE_UNAVAILABLE ` +
        `(${outageWrites.length} during the outage, slowest ${slowestOutageMs} ms); pg_ctl stop -m fast took ${stoppedAt - stopBegan} ms, pg_ctl start ${startedAt - startBegan} ms; ` +
        `/readyz 200 again ${[...readyAt].map(([s, at]) => `${s.name} ${at - startedAt} ms`).join(', ')} after pg_ctl start returned; ${duringOutage.length} polls during the outage, all 503`,
    );
  }, 180_000);
});
