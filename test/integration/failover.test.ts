/**
 * Failover (issue 32): a primary and a synchronous streaming standby, clusters of this test's own
 * (test/support/pg-cluster.ts); two server processes whose DATABASE_URL names both hosts with
 * target_session_attrs=read-write; a partner's webhook endpoint on a local receiver; a steady write
 * load (createClaim, publishFactCheck) and /readyz polled on both servers. Then the primary is
 * stopped (`pg_ctl stop -m immediate`: a crash), and after a pause the standby is promoted.
 *
 * What holds: every write acknowledged before, during and after is on the new primary (synchronous
 * replication); while no host accepts writes every request fails at once with SERVICE_UNAVAILABLE
 * and /readyz says 503; within 10 s of the promotion the servers write again, without a restart,
 * and /readyz says 200 from then on (never 200 while writes fail, never 503 while they succeed);
 * the change feed has every fact check on the new primary once, in the order the publications were
 * acknowledged; every publication's webhook arrived at least once (duplicates counted), and none
 * arrived for a write the new primary does not have. The figures are printed.
 *
 * Postgres only: PGlite has no replication.
 */
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection.js';
import { claims, factChecks, webhookDeliveries } from '../../src/db/schema.js';
import { parseGlobalId } from '../../src/domain/global-ids.js';
import { testDatabaseKind } from '../support/database.js';
import { CREATE_CLAIM, INGEST, createDesk, type Desk } from '../support/factories.js';
import { createCluster, createStandby, makeSynchronous, type Cluster } from '../support/pg-cluster.js';
import {
  delay,
  isOk,
  killAllServers,
  okData,
  outcomeKey,
  startServer,
  type Outcome,
  type ReadyPoll,
  type ServerProcess,
  type TimedWrite,
} from '../support/processes.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { FACT_CHECK_EVENTS, W } from '../support/webhooks.js';
import { M } from '../support/workflow.js';

const STANDBY_NAME = 'factcheck_standby';
const STATEMENT_TIMEOUT_MS = 10_000;
const RECOVERY_LIMIT_MS = 10_000;
const STOCK = 110; // reviewed claims ready to publish during the load
const uuidOf = (globalId: string) => parseGlobalId(globalId)!.id;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sentence = (i: number) => `Statement ${String(i).padStart(4, '0')} is a checkable claim.`;

type Write = TimedWrite<'claim' | 'publish'>;
type Poll = ReadyPoll;

describe.skipIf(testDatabaseKind !== 'postgres')('failover to a synchronous standby under load (Postgres only: PGlite has no replication)', () => {
  let primary: Cluster | null = null;
  let standby: Cluster | null = null;
  let desk: Desk;
  let receiver: Receiver | null = null;
  let newPrimary: DatabaseHandle | null = null;

  beforeAll(async () => {
    primary = await createCluster();
    const setup = await openDatabase(primary.url, { poolSize: 2 });
    try {
      await setup.migrate();
      desk = await createDesk(setup.db);
    } finally {
      await setup.close();
    }
    standby = await createStandby(primary, { applicationName: STANDBY_NAME });
    await makeSynchronous(primary, STANDBY_NAME);
    receiver = await startReceiver();
  });

  afterAll(async () => {
    await killAllServers();
    await receiver?.stop();
    await newPrimary?.close();
    await standby?.destroy();
    await primary?.destroy();
  });

  test('pg_ctl stop -m immediate of the primary, then promote the standby: no acknowledged write lost, writes again within 10 s, /readyz truthful, feed and webhooks whole', async () => {
    const url = `postgres://postgres@127.0.0.1:${primary!.port},127.0.0.1:${standby!.port}/postgres?target_session_attrs=read-write`;
    const env = {
      DATABASE_URL: url,
      DATABASE_POOL_SIZE: '6',
      DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      PUBLIC_BASE_URL: 'https://factcheck.test',
      ORG_URL: 'https://desk.test',
      RATE_LIMIT_STAFF_PER_MINUTE: '1000000',
      RATE_LIMIT_PARTNER_PER_MINUTE: '1000000',
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_RETRY_BASE_MS: '200',
      WEBHOOK_MAX_ATTEMPTS: '30',
    };
    const servers = await Promise.all([startServer('failover-a', env), startServer('failover-b', env)]);
    const [a] = servers;

    // A partner's endpoint, subscribed to the fact-check events, on the local receiver.
    const endpointId = uuidOf(
      okData(await a!.gql(W.create, { i: { url: receiver!.url, events: FACT_CHECK_EVENTS } }, desk.partner.token)).createWebhookEndpoint.endpoint.id,
    );
    const body = range(400).map(sentence).join(' ');
    const articleId = okData(await a!.gql(INGEST, { input: { url: 'https://news.example/failover', title: 'Failover', body } }, desk.editor.token))
      .ingestArticle.article.id as string;
    // The stock of reviewed claims (one verdict each), ready to publish.
    const stock: string[] = [];
    await Promise.all(
      range(8).map(async (w) => {
        for (let i = w; i < STOCK; i += 8) {
          const server = servers[i % 2]!;
          const claimId = okData(
            await server.gql(CREATE_CLAIM, { input: { articleId, quote: sentence(i), statement: `failover stock ${i}` } }, desk.editor.token),
          ).createClaim.claim.id as string;
          okData(await server.gql(M.assign, { i: { claimId, reviewerIds: [desk.reviewer1.globalId] } }, desk.editor.token));
          okData(await server.gql(M.verdict, { i: { claimId, rating: 'FALSE', confidence: 'HIGH', rationale: 'No evidence.' } }, desk.reviewer1.token));
          stock.push(claimId);
        }
      }),
    );

    const writes: Write[] = [];
    const polls: Poll[] = [];
    let loading = true;
    let issued = 0;
    const record = (server: ServerProcess, op: Write['op'], tag: string, start: number, outcome: Outcome) => {
      writes.push({ server, op, tag, start, end: Date.now(), outcome });
      return isOk(outcome);
    };
    const claimWriter = async () => {
      while (loading) {
        const n = issued++;
        const server = servers[n % 2]!;
        const tag = `failover write ${n}`;
        const start = Date.now();
        const outcome = await server.gql(CREATE_CLAIM, { input: { articleId, quote: sentence(n % 400), statement: tag } }, desk.editor.token, 30_000);
        // A failure comes back at once: a client would back off before retrying.
        if (!record(server, 'claim', tag, start, outcome)) await delay(100);
        else await delay(20);
      }
    };
    let published = 0;
    const publisher = async () => {
      while (loading && stock.length) {
        const claimId = stock.shift()!;
        const server = servers[published++ % 2]!;
        const start = Date.now();
        const outcome = await server.gql(M.publish, { i: { claimId, rating: 'FALSE', summary: 'No evidence of it.' } }, desk.editor.token, 30_000);
        // Not retried: a failed publication may have committed (its answer lost), and the checks below
        // take every fact check the new primary has, acknowledged or not.
        await delay(record(server, 'publish', claimId, start, outcome) ? 250 : 1_000);
      }
    };
    const poller = async () => {
      while (loading) {
        await Promise.all(
          servers.map(async (server) => {
            const start = Date.now();
            const o = await server.get('/readyz', 30_000);
            polls.push({ server, start, end: Date.now(), status: o.kind === 'response' ? o.status : o.error });
          }),
        );
        await delay(100);
      }
    };
    const load = Promise.all([...range(4).map(claimWriter), publisher(), publisher(), poller()]);

    await delay(3_000); // the load before
    const stopBegan = Date.now();
    await primary!.stop('immediate');
    const stoppedAt = Date.now();
    await delay(3_000); // no primary: what a failover tool takes to decide
    const promoteBegan = Date.now();
    await standby!.promote();
    const promotedAt = Date.now();
    await delay(10_000); // the load after
    loading = false;
    await load;

    const lastWords = (s: ServerProcess) => [...s.stdout.filter((l) => /"level":(50|60)/.test(l)).slice(-3), ...s.stderr.slice(-30)].join('\n');
    for (const s of servers) expect(s.exit, `${s.name} must live through the failover; its last output:\n${lastWords(s)}`).toBeNull();

    // The only failure is the coded, retryable one: no masked 500, no dropped connection.
    const masked = (s: ServerProcess) => s.stdout.filter((l) => /"level":50/.test(l)).slice(-3);
    expect(
      [...new Set(writes.map((w) => outcomeKey(w.outcome)))].filter((k) => k !== 'OK' && k !== 'SERVICE_UNAVAILABLE'),
      `the servers' last errors:\n${servers.flatMap(masked).join('\n')}`,
    ).toEqual([]);

    // No host accepted writes between the stop and the promotion: every request in that window failed at once, with a 503.
    const windowWrites = writes.filter((w) => w.start >= stoppedAt && w.end <= promoteBegan);
    expect(windowWrites.length).toBeGreaterThan(10);
    expect([...new Set(windowWrites.map((w) => `${w.outcome.kind === 'response' ? w.outcome.status : 'network'} ${outcomeKey(w.outcome)}`))]).toEqual([
      '503 SERVICE_UNAVAILABLE',
    ]);
    const slowestInWindow = Math.max(...windowWrites.map((w) => w.end - w.start));
    expect(slowestInWindow).toBeLessThan(STATEMENT_TIMEOUT_MS);

    // Writes again within 10 s of the promotion, without a restart.
    const okWrites = writes.filter((w) => isOk(w.outcome));
    const firstAfter = Math.min(...okWrites.filter((w) => w.end > promoteBegan).map((w) => w.end));
    expect(firstAfter - promotedAt).toBeLessThanOrEqual(RECOVERY_LIMIT_MS);

    // /readyz told the truth: 503 on both servers while no host accepted writes (at least twice each),
    // 200 from its first 200 after the promotion on, and every write a server took after that succeeded.
    const windowPolls = polls.filter((p) => p.start >= stoppedAt && p.end <= promoteBegan);
    for (const s of servers) expect(windowPolls.filter((p) => p.server === s).length).toBeGreaterThanOrEqual(2);
    expect([...new Set(windowPolls.map((p) => p.status))]).toEqual([503]);
    const readyAgain = new Map<ServerProcess, number>();
    for (const s of servers) {
      const first = polls.filter((p) => p.server === s && p.start >= promoteBegan && p.status === 200).sort((x, y) => x.start - y.start)[0];
      expect(first, `${s.name}: /readyz 200 after the promotion`).toBeDefined();
      readyAgain.set(s, first!.start);
      expect(first!.end - promotedAt).toBeLessThanOrEqual(RECOVERY_LIMIT_MS);
      expect(polls.filter((p) => p.server === s && p.start >= first!.start && p.status !== 200).map((p) => p.status)).toEqual([]);
      expect(writes.filter((w) => w.server === s && w.start >= first!.start && !isOk(w.outcome)).map((w) => `${w.op} ${outcomeKey(w.outcome)}`)).toEqual([]);
    }
    // And 503 only while writes failed: no 503 before the stop.
    expect(polls.filter((p) => p.end < stopBegan && p.status !== 200).map((p) => `${p.server.name} ${p.status}`)).toEqual([]);

    // Every acknowledged write is on the new primary (queried directly).
    newPrimary = await openDatabase(standby!.url, { poolSize: 2 });
    const db = newPrimary.db;
    const okClaims = okWrites.filter((w) => w.op === 'claim');
    const okPublishes = okWrites.filter((w) => w.op === 'publish');
    const claimIdOf = (w: Write) => uuidOf(okData(w.outcome).createClaim.claim.id);
    const factCheckIdOf = (w: Write) => uuidOf(okData(w.outcome).publishFactCheck.factCheck.id);
    const storedClaims = new Map(
      (
        await db
          .select({ id: claims.id, statement: claims.statement })
          .from(claims)
          .where(inArray(claims.id, okClaims.map(claimIdOf)))
      ).map((r) => [r.id, r.statement]),
    );
    const allFactChecks = await db.select({ id: factChecks.id, claimId: factChecks.claimId }).from(factChecks);
    const storedFactChecks = new Map(allFactChecks.map((r) => [r.id, r.claimId]));
    const lost = [
      ...okClaims.filter((w) => storedClaims.get(claimIdOf(w)) !== w.tag).map((w) => w.tag),
      ...okPublishes.filter((w) => storedFactChecks.get(factCheckIdOf(w)) !== uuidOf(w.tag)).map((w) => `publication of ${w.tag}`),
    ];
    expect(lost).toEqual([]);
    const phase = (w: Write) => (w.end < stopBegan ? 'before' : w.start > promoteBegan ? 'after' : 'during');
    const acknowledged = { before: 0, during: 0, after: 0 };
    for (const w of okWrites) acknowledged[phase(w)]++;
    expect(acknowledged.before).toBeGreaterThan(10);
    expect(acknowledged.after).toBeGreaterThan(10);
    expect(okPublishes.filter((w) => phase(w) === 'before').length).toBeGreaterThan(0);
    expect(okPublishes.filter((w) => phase(w) === 'after').length).toBeGreaterThan(0);
    // Publications that failed but committed (the answer lost with the primary): on the new primary, counted, not lost.
    const failedPublishes = writes.filter((w) => w.op === 'publish' && !isOk(w.outcome));
    const committedUnacknowledged = failedPublishes.filter((w) => [...storedFactChecks.values()].includes(uuidOf(w.tag))).length;

    // The change feed after the recovery: every fact check the new primary has, PUBLISHED once, in
    // the order the publications were acknowledged (one acknowledged before another began comes first).
    const changes: { type: string; factCheckId: string }[] = [];
    for (let after: string | null = null; ;) {
      const page = okData(await a!.gql(W.changes, { after, first: 100 }, desk.partner.token)).factCheckChanges as {
        pageInfo: { hasNextPage: boolean; endCursor: string };
        edges: { node: { type: string; factCheckId: string } }[];
      };
      changes.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(changes.every((c) => c.type === 'PUBLISHED')).toBe(true);
    const feedIds = changes.map((c) => uuidOf(c.factCheckId));
    expect(feedIds.length).toBe(new Set(feedIds).size);
    expect(new Set(feedIds)).toEqual(new Set(storedFactChecks.keys()));
    const position = new Map(feedIds.map((id, i) => [id, i]));
    const outOfOrder: string[] = [];
    for (const x of okPublishes)
      for (const y of okPublishes)
        if (x.end < y.start && position.get(factCheckIdOf(x))! > position.get(factCheckIdOf(y))!) outOfOrder.push(`${x.tag} after ${y.tag}`);
    expect(outOfOrder).toEqual([]);

    // Webhooks: every fact check on the new primary delivered at least once; nothing delivered that
    // the new primary does not have; duplicates (at-least-once) counted.
    const publishedWire = (ids: Set<string>) =>
      new Set(
        receiver!.received
          .filter((r) => r.json.type === 'fact_check.published')
          .map((r) => uuidOf(r.json.data.factCheck.id))
          .filter((id) => ids.has(id)),
      );
    const everyFactCheck = new Set(storedFactChecks.keys());
    await receiver!.waitFor(() => publishedWire(everyFactCheck).size === everyFactCheck.size, 60_000);
    const events = await db.select({ id: webhookDeliveries.eventId }).from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId));
    const eventIds = new Set(events.map((e) => e.id));
    expect(eventIds.size).toBe(everyFactCheck.size);
    const received = receiver!.received;
    expect(received.map((r) => r.headers['webhook-id']!).filter((id) => !eventIds.has(id))).toEqual([]);
    expect(new Set(received.map((r) => r.headers['webhook-id']))).toEqual(eventIds);
    const duplicates = received.length - eventIds.size;

    expect(await Promise.all(servers.map((s) => s.stop()))).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);

    const rel = (t: number) => `${((t - promotedAt) / 1000).toFixed(2)} s`;
    const timeline = servers
      .map((s) => {
        const mine = polls.filter((p) => p.server === s).sort((x, y) => x.start - y.start);
        const runs: string[] = [];
        for (const p of mine) {
          const label = String(p.status);
          if (!runs.length || !runs[runs.length - 1]!.startsWith(`${label} `)) runs.push(`${label} from ${rel(p.start)}`);
        }
        return `${s.name}: ${runs.join(', ')}`;
      })
      .join('; ');
    console.log(
      [
        `Failover drill: ${writes.length} writes (${okClaims.length} createClaim and ${okPublishes.length} publishFactCheck acknowledged: ` +
          `${acknowledged.before} before the stop, ${acknowledged.during} around it, ${acknowledged.after} after the promotion); ` +
          `${okWrites.length} acknowledged, ${okWrites.length - lost.length} found on the new primary; ` +
          `${writes.length - okWrites.length} failed with 503 SERVICE_UNAVAILABLE (${windowWrites.length} while no host accepted writes, slowest ${slowestInWindow} ms); ` +
          `${committedUnacknowledged} of ${failedPublishes.length} failed publications had committed.`,
        `pg_ctl stop -m immediate took ${stoppedAt - stopBegan} ms; promotion came ${promoteBegan - stoppedAt} ms later and pg_ctl promote took ${promotedAt - promoteBegan} ms; ` +
          `first acknowledged write ${firstAfter - promotedAt} ms after pg_ctl promote returned (${firstAfter - promoteBegan} ms after it began); ` +
          `/readyz 200 again ${servers.map((s) => `${s.name} ${readyAgain.get(s)! - promotedAt} ms`).join(', ')} after it returned.`,
        `/readyz timeline (times from the promotion's end; the primary stopped at ${rel(stoppedAt)}, promotion began at ${rel(promoteBegan)}): ${timeline}.`,
        `Change feed: ${changes.length} PUBLISHED changes, once each, in acknowledgement order. Webhooks: ${eventIds.size} events, ${received.length} requests, ${duplicates} duplicates.`,
      ].join('\n'),
    );
  }, 240_000);
});
