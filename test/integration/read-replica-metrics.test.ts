/**
 * The read replica's metrics as a user gets them: the compiled server (`node dist/src/server/main.js`,
 * test/support/processes.ts) started with DATABASE_URL = a throw-away primary and DATABASE_READ_URL =
 * a real hot standby of it (test/support/pg-cluster.ts), scraped over GET /metrics, nothing
 * registered by the test. While the standby is caught up: factcheck_read_replica_up 1, a lag sample,
 * no fallback; with the standby stopped: up 0, no lag sample (unknown, not 0), and each partner read
 * counted under cause="down"; once it is back, up 1 again. Beside it, a server with
 * METRICS_ENABLED=false on the same standby (no /metrics, partner reads unaffected), and one without
 * a replica (no replica metrics at all).
 *
 * Postgres project only, like read-replica.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection.js';
import { REPLICA_METRICS } from '../../src/server/replica-metrics.js';
import { testDatabaseKind } from '../support/database.js';
import { createUser, type TestUser } from '../support/factories.js';
import { createCluster, createStandby, type Cluster } from '../support/pg-cluster.js';
import { delay, killAllServers, okData, startServer, type ServerProcess } from '../support/processes.js';
import { scrapeMetrics, type Scrape } from '../support/prometheus.js';

const FACT_CHECKS = 'query PartnerList { factChecks(first: 10) { edges { node { id } } } }';
const CAUSES = ['down', 'lagging', 'conflict'] as const;
const REPLICA_MAX_LAG_MS = 5_000;

/** Polls `probe` until it returns something other than undefined. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(100);
  }
}

/** The messages of a process's log lines about where partner reads go. */
const routingLog = (server: ServerProcess) =>
  server.stdout.flatMap((line) => {
    try {
      const { msg } = JSON.parse(line) as { msg?: string };
      return msg && /partner reads go to/.test(msg) ? [msg] : [];
    } catch {
      return [];
    }
  });

describe.runIf(testDatabaseKind === 'postgres')('the read replica’s metrics on GET /metrics of the server process', () => {
  let primary: Cluster | null = null;
  let standby: Cluster | null = null;
  let admin: DatabaseHandle | null = null;
  let partner: TestUser;
  let server: ServerProcess;
  let metricsOff: ServerProcess;

  const env = () => ({
    DATABASE_URL: primary!.url,
    DATABASE_READ_URL: standby!.url,
    DATABASE_POOL_SIZE: '3',
    REPLICA_MAX_LAG_MS: String(REPLICA_MAX_LAG_MS),
    REPLICA_CHECK_INTERVAL_MS: '100',
  });
  const partnerRead = async (on: ServerProcess) => okData(await on.gql(FACT_CHECKS, {}, partner.token)).factChecks.edges as unknown[];
  /** Scrapes until `accept` holds (a check runs every 100 ms); the scrape that passed. */
  const scrapeUntil = (what: string, accept: (scrape: Scrape) => boolean) =>
    waitFor(what, async () => {
      const scrape = await scrapeMetrics(server.url);
      return accept(scrape) ? scrape : undefined;
    });

  beforeAll(async () => {
    primary = await createCluster();
    admin = await openDatabase(primary.url, { poolSize: 2 });
    await admin.migrate();
    partner = await createUser(admin.db, 'PARTNER');
    standby = await createStandby(primary);
    [server, metricsOff] = await Promise.all([startServer('replica', env()), startServer('metrics off', { ...env(), METRICS_ENABLED: 'false' })]);
  }, 180_000);

  afterAll(async () => {
    await killAllServers();
    await admin?.close();
    await standby?.destroy();
    await primary?.destroy();
  });

  test('on the caught-up standby: up 1, a lag sample within REPLICA_MAX_LAG_MS, every fallback cause at 0', async () => {
    const scrape = await scrapeUntil('partner reads on the standby', (s) => s.value(REPLICA_METRICS.up) === 1);
    expect(routingLog(server)).toEqual(['partner reads go to the read replica']);
    const lag = scrape.value(REPLICA_METRICS.lag);
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThanOrEqual(REPLICA_MAX_LAG_MS / 1000);
    for (const cause of CAUSES) expect(scrape.value(REPLICA_METRICS.fallbacks, { cause })).toBe(0);
    expect(scrape.text).toContain(`# TYPE ${REPLICA_METRICS.up} gauge`);
    expect(scrape.text).toContain(`# TYPE ${REPLICA_METRICS.lag} gauge`);
    expect(scrape.text).toContain(`# TYPE ${REPLICA_METRICS.fallbacks} counter`);

    // A partner read served by the standby is no fallback.
    expect(await partnerRead(server)).toEqual([]);
    const after = await scrapeMetrics(server.url);
    expect(after.value(REPLICA_METRICS.up)).toBe(1);
    for (const cause of CAUSES) expect(after.value(REPLICA_METRICS.fallbacks, { cause })).toBe(0);
    // The app's other metrics are on the same registry, beside them.
    expect(after.value('graphql_operations_total', { operation_name: 'PartnerList', operation_type: 'query', outcome: 'ok' })).toBe(1);
  });

  test('METRICS_ENABLED=false: no /metrics, and partner reads go to the standby all the same', async () => {
    const response = await fetch(`${metricsOff.url}/metrics`);
    expect(response.status).toBe(404);
    await waitFor('the metrics-off server on the standby', async () =>
      routingLog(metricsOff).includes('partner reads go to the read replica') ? true : undefined,
    );
    expect(await partnerRead(metricsOff)).toEqual([]);
    expect((await fetch(`${metricsOff.url}/readyz`)).status).toBe(200);
  });

  test('the standby stopped: up 0, no lag sample, partner reads counted as fallbacks (cause "down"); up 1 again once it is back', async () => {
    const before = await scrapeMetrics(server.url);
    const downBefore = before.value(REPLICA_METRICS.fallbacks, { cause: 'down' })!;
    await standby!.stop('fast');

    const down = await scrapeUntil('up 0 after the standby stopped', (s) => s.value(REPLICA_METRICS.up) === 0);
    expect(down.value(REPLICA_METRICS.lag)).toBeUndefined(); // unknown, not 0
    expect(down.declares(REPLICA_METRICS.lag)).toBe(true);
    expect(routingLog(server).at(-1)).toBe('read replica does not answer: partner reads go to the primary');

    // Partner reads answer, from the primary, and each statement the primary serves in the standby's stead counts.
    expect(await partnerRead(server)).toEqual([]);
    expect(await partnerRead(server)).toEqual([]);
    const fellBack = await scrapeMetrics(server.url);
    expect(fellBack.value(REPLICA_METRICS.up)).toBe(0);
    expect(fellBack.value(REPLICA_METRICS.fallbacks, { cause: 'down' })).toBeGreaterThanOrEqual(downBefore + 2);
    expect(fellBack.value(REPLICA_METRICS.fallbacks, { cause: 'lagging' })).toBe(0);
    expect(fellBack.value(REPLICA_METRICS.lag)).toBeUndefined();

    // Without metrics too.
    expect(await partnerRead(metricsOff)).toEqual([]);
    await waitFor('the metrics-off server to leave the standby', async () =>
      routingLog(metricsOff).at(-1) === 'read replica does not answer: partner reads go to the primary' ? true : undefined,
    );

    await standby!.start();
    const back = await scrapeUntil('up 1 once the standby is back', (s) => s.value(REPLICA_METRICS.up) === 1);
    expect(back.value(REPLICA_METRICS.lag)).toBeGreaterThanOrEqual(0);
    expect(routingLog(server).at(-1)).toBe('partner reads go to the read replica');
    // A counter never goes back.
    expect(back.value(REPLICA_METRICS.fallbacks, { cause: 'down' })).toBe(fellBack.value(REPLICA_METRICS.fallbacks, { cause: 'down' }));
  });

  test('without DATABASE_READ_URL no replica metric is registered', async () => {
    const alone = await startServer('no replica', { DATABASE_URL: primary!.url, DATABASE_POOL_SIZE: '2' });
    try {
      const scrape = await scrapeMetrics(alone.url);
      expect(scrape.value('db_pool_max_connections', { database: 'postgres' })).toBe(2);
      for (const name of Object.values(REPLICA_METRICS)) expect(scrape.declares(name)).toBe(false);
      expect(scrape.text).not.toContain('factcheck_read_replica');
    } finally {
      expect(await alone.stop()).toEqual({ code: 0, signal: null });
    }
  });

  test('SIGTERM: both replica servers drain and exit 0', async () => {
    const [a, b] = await Promise.all([server.stop(), metricsOff.stop()]);
    expect(a).toEqual({ code: 0, signal: null });
    expect(b).toEqual({ code: 0, signal: null });
  });
});
