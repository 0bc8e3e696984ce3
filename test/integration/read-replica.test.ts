/**
 * Partner reads on a read replica (DATABASE_READ_URL): a throw-away primary of this test's own and
 * a real hot standby made from it with `pg_basebackup -R` (test/support/pg-cluster.ts), each on a
 * free port, removed afterwards. Three servers (in this process, as `npm start` builds them) read
 * from the standby: `current` allows 60 s of replay lag, `strict` 300 ms, and `unchecked` checks the
 * lag only at start.
 *
 * What it shows: a fact check published on the primary reaches partners once the standby has
 * replayed it, and the read was the standby's (its pg_stat_activity); while replay is paused the
 * partner answers come from the standby's past (the primary has more) and staff still read the
 * primary; past REPLICA_MAX_LAG_MS partner reads go to the primary, logged once and counted (each
 * server's own GET /metrics); the change feed's cursor skips nothing when pages come from a lagging
 * standby and from the primary in turn; with the standby stopped, partner reads still answer (from
 * the primary), and once it is back they return to it. The same metrics from the compiled server
 * process: read-replica-metrics.test.ts.
 *
 * Postgres project only, like postgres-restart.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import postgres from 'postgres';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { openDatabase, postgresClientOf, type DatabaseHandle } from '../../src/db/connection.js';
import { parseGlobalId } from '../../src/domain/global-ids.js';
import { startApp, type StartedApp } from '../../src/server/start.js';
import { REPLICA_METRICS } from '../../src/server/replica-metrics.js';
import type { GraphQLResponse, TestApp } from '../support/app.js';
import { testDatabaseKind } from '../support/database.js';
import { createDesk, type Desk } from '../support/factories.js';
import { createCluster, createStandby, type Cluster } from '../support/pg-cluster.js';
import { scrapeMetrics } from '../support/prometheus.js';
import { publish, reviewedClaim, W } from '../support/webhooks.js';

const FACT_CHECK = 'query($id: ID!) { factCheck(id: $id) { id rating summary article { url } corrections { note } } }';
const FACT_CHECKS = 'query { factChecks(first: 100) { edges { node { id } } } }';
const STAFF_CLAIM = 'query($id: ID!) { claim(id: $id) { factCheck { id } } }';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const uuidOf = (globalId: string) => parseGlobalId(globalId)!.id;

/** Polls `probe` until it returns something other than undefined; the test's own timeout bounds it. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(50);
  }
}

interface Server {
  app: StartedApp;
  /** The log lines about where partner reads go, in order. */
  routingLog: string[];
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GraphQLResponse<T>>;
}

async function startServer(primary: Cluster, standby: Cluster, maxLagMs: number, checkIntervalMs = 100): Promise<Server> {
  const routingLog: string[] = [];
  const logger = pino(
    { level: 'info' },
    {
      write: (line: string) => {
        const { msg } = JSON.parse(line) as { msg: string };
        if (/partner reads go to/.test(msg)) routingLog.push(msg);
      },
    },
  );
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    SEED: 'none',
    PUBLIC_BASE_URL: 'https://factcheck.test',
    DATABASE_POOL_SIZE: '4',
    DATABASE_URL: primary.url,
    DATABASE_READ_URL: standby.url,
    REPLICA_MAX_LAG_MS: String(maxLagMs),
    REPLICA_CHECK_INTERVAL_MS: String(checkIntervalMs),
    RATE_LIMIT_PARTNER_PER_MINUTE: '1000000',
    RATE_LIMIT_STAFF_PER_MINUTE: '1000000',
  });
  const app = await startApp(config, logger);
  return {
    app,
    routingLog,
    async gql(query, variables, token) {
      const response = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: GraphQLResponse['errors'] };
      return { status: response.status, data: body.data as never, errors: body.errors, headers: response.headers };
    },
  };
}

function data<T = any>(response: GraphQLResponse<T>): T {
  expect(response.errors ?? []).toEqual([]);
  return response.data as T;
}

/** A sample of the server's own GET /metrics (startApp registers the replica's metrics there); undefined when absent. */
const metric = async (server: Server, name: string, labels: Record<string, string> = {}) => (await scrapeMetrics(server.app.url)).value(name, labels);

describe.runIf(testDatabaseKind === 'postgres')('partner reads on a hot standby', () => {
  let primary: Cluster | null = null;
  let standby: Cluster | null = null;
  let admin: DatabaseHandle | null = null;
  let replicaSql: postgres.Sql | null = null;
  let current: Server | null = null;
  let strict: Server | null = null;
  /** Checks the lag only at start (every 10 min): only a failing statement can tell it the standby went away. */
  let unchecked: Server | null = null;
  let desk: Desk;
  /** What the desk does, through `current` (its staff requests go to the primary). */
  let staffApp: TestApp;
  const published: { a?: string; b?: string } = {};
  /** Figures printed at the end (not asserted: speed is measured in bench/). */
  const figures: string[] = [];

  const partner = (server: Server, query: string, variables?: Record<string, unknown>) => server.gql(query, variables, desk.partner.token);
  const onStandby = async (globalId: string) => (await replicaSql!`select 1 from fact_checks where id = ${uuidOf(globalId)}`).length === 1;
  const search = (server: Server) =>
    fetch(`${server.app.url}/v1alpha1/claims:search?query=hijacks&pageSize=100`, { headers: { authorization: `Bearer ${desk.partner.token}` } });
  const page = (server: Server, globalId: string) => fetch(`${server.app.url}/fact-checks/${globalId}`, { headers: { accept: 'application/json' } });
  /** The last statement of each of the standby's partner-read connections (pg_stat_activity). */
  const lastStandbyStatements = async () =>
    (await replicaSql!`select query from pg_stat_activity where application_name = 'factcheck-api partner reads'`).map((r) => String(r.query));
  const changesOf = async (server: Server, after: string | null) =>
    data(await partner(server, W.changes, { after, first: 100 })).factCheckChanges as {
      pageInfo: { endCursor: string };
      edges: { node: { type: string; factCheckId: string } }[];
    };

  beforeAll(async () => {
    primary = await createCluster();
    admin = await openDatabase(primary.url, { poolSize: 2 });
    await admin.migrate();
    desk = await createDesk(admin.db);
    standby = await createStandby(primary);
    replicaSql = postgres(standby.url, { max: 1, onnotice: () => {} });
    current = await startServer(primary, standby, 60_000);
    strict = await startServer(primary, standby, 300);
    unchecked = await startServer(primary, standby, 60_000, 600_000);
    // Each starts on the standby (at start it may first find the lag unknown and wait on the primary).
    for (const server of [current, strict, unchecked])
      await waitFor('a server to start on the standby', () => (server.app.reads.status().target === 'replica' ? true : undefined));
    staffApp = { gql: (query: string, variables?: Record<string, unknown>, token?: string | null) => current!.gql(query, variables, token) } as TestApp;
  }, 180_000);

  afterAll(async () => {
    await replicaSql?.unsafe('select pg_wal_replay_resume()').catch(() => {});
    await Promise.all([current?.app.stop(), strict?.app.stop(), unchecked?.app.stop()]);
    await replicaSql?.end({ timeout: 5 });
    await admin?.close();
    await standby?.destroy();
    await primary?.destroy();
  });

  test('a fact check published on the primary reaches partners from the standby once replayed', async () => {
    expect(current!.app.reads.status()).toMatchObject({ configured: true, target: 'replica', reason: null });
    expect((await replicaSql!`select pg_is_in_recovery() as standby`)[0]!.standby).toBe(true);

    published.a = (await publish(staffApp, desk, await reviewedClaim(staffApp, desk))).factCheck.id;
    const publishedAt = Date.now();
    await waitFor('the standby to replay the publication', async () => ((await onStandby(published.a!)) ? true : undefined));
    figures.push(`publication on the standby ${Date.now() - publishedAt} ms after publishFactCheck answered (polled every 50 ms)`);

    expect(data(await partner(current!, FACT_CHECK, { id: published.a })).factCheck).toMatchObject({ id: published.a, rating: 'FALSE' });
    expect(data(await partner(current!, FACT_CHECKS)).factChecks.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([published.a]);
    // The standby served it: a partner-read connection there last ran the list's statement.
    expect(await lastStandbyStatements()).toContainEqual(expect.stringMatching(/^select .* from "fact_checks"/));
    expect((await changesOf(current!, null)).edges.map((e) => [e.node.type, e.node.factCheckId])).toEqual([['PUBLISHED', published.a]]);
    const found = await search(current!);
    expect(found.status).toBe(200);
    expect(JSON.stringify(await found.json())).toContain(published.a);
    expect((await page(current!, published.a!)).status).toBe(200);
    expect(await lastStandbyStatements()).toContainEqual(expect.stringMatching(/ from "corrections" /));

    const onPrimary = await postgresClientOf(admin!)`select count(*)::int as n from pg_stat_activity where application_name = 'factcheck-api partner reads'`;
    expect(onPrimary[0]!.n).toBe(0);
    expect(await metric(current!, REPLICA_METRICS.up)).toBe(1);
    expect(await metric(current!, REPLICA_METRICS.lag)).toBeLessThan(60);
    expect(await metric(current!, REPLICA_METRICS.fallbacks, { cause: 'down' })).toBe(0);
  });

  test('with replay paused, partners read the standby’s past and staff the primary; past REPLICA_MAX_LAG_MS partner reads go to the primary; the feed skips nothing', async () => {
    const before = await changesOf(current!, null);
    const [currentLog, strictLog] = [current!.routingLog.length, strict!.routingLog.length];
    await replicaSql!`select pg_wal_replay_pause()`;
    await waitFor('replay to pause', async () => ((await replicaSql!`select pg_get_wal_replay_pause_state() as s`)[0]!.s === 'paused' ? true : undefined));

    const claimB = await reviewedClaim(staffApp, desk);
    published.b = (await publish(staffApp, desk, claimB)).factCheck.id;
    const bPublishedAt = Date.now();
    expect(await onStandby(published.b)).toBe(false);

    // `current` tolerates the lag: every partner read is the standby's, which has not seen B.
    expect(current!.app.reads.status().target).toBe('replica');
    expect(data(await partner(current!, FACT_CHECK, { id: published.b })).factCheck).toBeNull();
    expect(data(await partner(current!, FACT_CHECKS)).factChecks.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([published.a]);
    expect(JSON.stringify(await (await search(current!)).json())).not.toContain(published.b);
    expect((await page(current!, published.b)).status).toBe(404);
    const lagging = await changesOf(current!, before.pageInfo.endCursor);
    expect(lagging.edges).toEqual([]);
    // Staff read the primary: the editor sees B at once.
    expect(data(await current!.gql(STAFF_CLAIM, { id: claimB }, desk.editor.token)).claim.factCheck.id).toBe(published.b);

    // `strict` (300 ms) falls back to the primary once the lag is measured past its limit.
    await waitFor('strict to fall back', () => (strict!.app.reads.status().reason === 'lagging' ? true : undefined));
    figures.push(`strict (REPLICA_MAX_LAG_MS 300, checks every 100 ms) on the primary ${Date.now() - bPublishedAt} ms after B's publication`);
    expect(data(await partner(strict!, FACT_CHECK, { id: published.b })).factCheck).toMatchObject({ id: published.b });
    const fromPrimary = await changesOf(strict!, before.pageInfo.endCursor);
    expect(fromPrimary.edges.map((e) => [e.node.type, e.node.factCheckId])).toEqual([['PUBLISHED', published.b]]);
    expect((await page(strict!, published.b)).status).toBe(200);
    expect(await metric(strict!, REPLICA_METRICS.up)).toBe(0);
    expect(await metric(strict!, REPLICA_METRICS.fallbacks, { cause: 'lagging' })).toBeGreaterThan(0);
    expect(await metric(strict!, REPLICA_METRICS.lag)).toBeGreaterThan(0.3);

    // A cursor the primary handed out, asked of the lagging standby: nothing again, nothing lost.
    expect((await changesOf(current!, fromPrimary.pageInfo.endCursor)).edges).toEqual([]);

    await replicaSql!`select pg_wal_replay_resume()`;
    await waitFor('the standby to replay B', async () => ((await onStandby(published.b!)) ? true : undefined));
    // The cursor the lagging standby handed out skipped nothing: B comes next, once.
    const caughtUp = await changesOf(current!, lagging.pageInfo.endCursor);
    expect(caughtUp.edges.map((e) => [e.node.type, e.node.factCheckId])).toEqual([['PUBLISHED', published.b]]);
    expect(data(await partner(current!, FACT_CHECK, { id: published.b })).factCheck).toMatchObject({ id: published.b });

    await waitFor('strict to return to the standby', () => (strict!.app.reads.status().target === 'replica' ? true : undefined));
    // Logged once per change: the fallback, the return.
    expect(strict!.routingLog.slice(strictLog)).toEqual([
      'read replica lags more than REPLICA_MAX_LAG_MS: partner reads go to the primary',
      'partner reads go to the read replica',
    ]);
    expect(current!.routingLog.slice(currentLog)).toEqual([]);
  });

  test('the standby stopped: partner reads still answer, from the primary; back once it is', async () => {
    const downBefore = (await metric(current!, REPLICA_METRICS.fallbacks, { cause: 'down' })) ?? 0;
    const [currentLog, uncheckedLog] = [current!.routingLog.length, unchecked!.routingLog.length];
    // `unchecked` has a connection open to the standby, and will not check it again.
    expect(data(await partner(unchecked!, FACT_CHECK, { id: published.a })).factCheck).toMatchObject({ id: published.a });
    expect(await lastStandbyStatements()).toContainEqual(expect.stringMatching(/ from "corrections" /));
    expect(await metric(unchecked!, REPLICA_METRICS.fallbacks, { cause: 'down' })).toBe(0);
    await standby!.stop('fast');
    const stoppedAt = Date.now();

    // The statement that meets the dead standby runs again on the primary: the request answers, and
    // partner reads go to the primary from then on, without waiting for a check.
    const firstRead = Date.now();
    expect(data(await partner(unchecked!, FACT_CHECK, { id: published.b })).factCheck).toMatchObject({ id: published.b });
    figures.push(
      `the first partner read after the standby stopped (${firstRead - stoppedAt} ms after pg_ctl stop returned) answered in ${Date.now() - firstRead} ms, run again on the primary`,
    );
    expect(unchecked!.app.reads.status()).toMatchObject({ target: 'primary', reason: 'down' });
    expect(await metric(unchecked!, REPLICA_METRICS.fallbacks, { cause: 'down' })).toBeGreaterThanOrEqual(1);
    expect(data(await partner(unchecked!, FACT_CHECKS)).factChecks.edges).toHaveLength(2);
    expect(unchecked!.routingLog.slice(uncheckedLog)).toEqual(['read replica does not answer: partner reads go to the primary']);

    // The first statement may still meet the standby's terminated connection: it is run again on the primary.
    expect(data(await partner(current!, FACT_CHECK, { id: published.a })).factCheck).toMatchObject({ id: published.a });
    expect(
      data(await partner(current!, FACT_CHECKS))
        .factChecks.edges.map((e: { node: { id: string } }) => e.node.id)
        .sort(),
    ).toEqual([published.a, published.b].sort());
    expect((await changesOf(current!, null)).edges.map((e) => e.node.factCheckId)).toEqual([published.a, published.b]);
    expect((await search(current!)).status).toBe(200);
    expect((await page(current!, published.b!)).status).toBe(200);
    expect(current!.app.reads.status()).toMatchObject({ target: 'primary', reason: 'down', lagMs: null });
    expect(await metric(current!, REPLICA_METRICS.fallbacks, { cause: 'down' })).toBeGreaterThan(downBefore);
    expect(await metric(current!, REPLICA_METRICS.up)).toBe(0);
    expect(await metric(current!, REPLICA_METRICS.lag)).toBeUndefined(); // unknown, not 0
    expect(current!.routingLog.slice(currentLog)).toEqual(['read replica does not answer: partner reads go to the primary']);

    await standby!.start();
    const restartedAt = Date.now();
    await waitFor('current to return to the standby', () => (current!.app.reads.status().target === 'replica' ? true : undefined));
    figures.push(`partner reads back on the standby ${Date.now() - restartedAt} ms after pg_ctl start returned (checks every 100 ms)`);
    console.log(`Read replica: ${figures.join('; ')}`);
    expect(data(await partner(current!, FACT_CHECK, { id: published.b })).factCheck).toMatchObject({ id: published.b });
    expect(current!.routingLog.at(-1)).toBe('partner reads go to the read replica');
  });
});
