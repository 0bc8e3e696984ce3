/**
 * WORKERS: the compiled server as a cluster (src/server/cluster/), as `npm start` runs it.
 *
 * Postgres: WORKERS=2 is a primary and two worker processes on one port; the primary hands the
 * connections round the workers, and /metrics, wherever it lands, counts both. A worker killed with
 * -9 is replaced. SIGTERM to the primary drains both workers' in-flight requests, then every
 * process exits, the primary with 0; under `npm start`, SIGINT to npm alone does the same.
 * PGlite: WORKERS=2 is refused with the reason (one process per embedded folder), bad values as any
 * invalid setting; WORKERS=1 is one process, no cluster.
 */
import http from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { holdClaimLock } from '../support/claim-lock.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/eventually.js';
import { CREATE_CLAIM, INGEST, createUser, type TestUser } from '../support/factories.js';
import { parsePrometheus } from '../support/prometheus.js';
import {
  PROJECT_ROOT,
  delay,
  descendantsOf,
  isGone,
  killAllServers,
  okData,
  processInfo,
  runUntilExit,
  startServer,
  type Outcome,
  type ServerProcess,
} from '../support/processes.js';
import { M } from '../support/workflow.js';
import { GATHER_TIMEOUT_MS } from '../../src/server/cluster/primary.js';

const PROBE = 'query WorkersProbe { __typename }';

/**
 * One request on a connection of its own (no keep-alive): the primary hands each new connection to
 * the next worker, so consecutive calls alternate between them.
 */
function onNewConnection(base: string, path: string, body?: { query: string; variables?: unknown }, token?: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const request = http.request(
      `${base}${path}`,
      {
        method: body ? 'POST' : 'GET',
        agent: false,
        headers: { connection: 'close', ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        timeout: 20_000,
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          const status = response.statusCode!;
          try {
            const parsed = JSON.parse(text) as { data?: unknown; errors?: never };
            resolve({ kind: 'response', status, data: parsed.data, errors: parsed.errors, body: text });
          } catch {
            resolve({ kind: 'response', status, body: text });
          }
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error('TIMEOUT')));
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ kind: 'network', error: error.code ?? error.message }));
    request.end(body ? JSON.stringify(body) : undefined);
  });
}

/** The JSON log lines of `server` (its workers' too: they share its stdout). */
const logLines = (server: ServerProcess) =>
  server.stdout.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, any>];
    } catch {
      return [];
    }
  });

/** The pids whose request log lines show `method path`. */
const servedBy = (server: ServerProcess, method: string, path: string, since = 0) =>
  logLines(server)
    .slice(since)
    .filter((l) => l.req?.method === method && l.req?.path === path)
    .map((l) => l.pid as number);

/** How long the waits below give a cluster (a worker's start and its log lines on a busy CI host). */
const WAIT = { timeoutMs: 20_000, intervalMs: 100 };

describe.runIf(testDatabaseKind === 'postgres')('WORKERS=2 on Postgres', () => {
  let testDb: TestDatabase;
  let db: Database;
  let dbName: string;
  let editor: TestUser;
  let cluster: ServerProcess;
  let workers: number[];
  const sorted = (pids: Iterable<number>) => [...pids].sort((a, b) => a - b);

  /** Every pid below a server this file started, killed by pid in afterAll should a test fail midway. */
  const seen = new Set<number>();

  beforeAll(async () => {
    testDb = await createTestDatabase({ poolSize: 2 });
    db = testDb.db;
    dbName = new URL(testDb.url!).pathname.slice(1);
    editor = await createUser(db, 'EDITOR');
    cluster = await startServer(
      'WORKERS=2',
      { DATABASE_URL: testDb.url!, WORKERS: '2', DATABASE_POOL_SIZE: '3', NODE_ENV: 'production' },
      { readyTimeoutMs: 60_000 },
    );
    workers = sorted(descendantsOf(cluster.pid));
    workers.forEach((pid) => seen.add(pid));
  });

  afterAll(async () => {
    // The workers too, should the primary have died first (they leave with it, but by pid to be sure).
    if (cluster) descendantsOf(cluster.pid).forEach((pid) => seen.add(pid));
    await killAllServers();
    for (const pid of seen) if (!isGone(pid)) process.kill(pid, 'SIGKILL');
    await testDb?.drop();
  });

  test('one port, two worker processes serving GraphQL in turn; /metrics, from either, counts both', async () => {
    expect(workers).toHaveLength(2);
    const ready = logLines(cluster).find((l) => l.msg === 'factcheck API ready')!;
    expect(ready).toMatchObject({ pid: cluster.pid, workers: 2, database: 'postgres' });
    // Each worker's own line may reach the shared stdout after the primary's (logs are written asynchronously).
    const loggedReady = await eventually(
      () => {
        const pids = sorted(
          logLines(cluster)
            .filter((l) => l.msg === 'worker ready')
            .map((l) => l.pid as number),
        );
        return pids.length >= 2 ? pids : null;
      },
      { ...WAIT, what: 'both workers to log that they are ready' },
    );
    expect(loggedReady).toEqual(workers);

    const N = 12;
    const since = cluster.stdout.length;
    for (let i = 0; i < N; i++) expect(okData(await onNewConnection(cluster.url, '/graphql', { query: PROBE }, editor.token))).toEqual({ __typename: 'Query' });
    // Each worker logs the requests it served, with its pid: the connections went round both.
    const served = await eventually(
      () => {
        const pids = servedBy(cluster, 'POST', '/graphql', since);
        return pids.length === N ? pids : null;
      },
      { ...WAIT, what: 'the request log lines' },
    );
    expect(sorted(new Set(served))).toEqual(workers);

    // Scraped four times on new connections (so through both workers): every time all N requests, and each worker's own series.
    for (let i = 0; i < 4; i++) {
      const scrape = await onNewConnection(cluster.url, '/metrics');
      expect(scrape).toMatchObject({ kind: 'response', status: 200 });
      const samples = parsePrometheus((scrape as { body: string }).body);
      const value = (name: string, labels: Record<string, string> = {}) =>
        samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).map((s) => s.value);
      expect(value('http_requests_total', { route: '/graphql', method: 'POST', status: '200' })).toEqual([N]);
      expect(value('graphql_operations_total', { operation_name: 'WorkersProbe', outcome: 'ok' })).toEqual([N]);
      expect(value('graphql_operation_duration_seconds_count', { operation_name: 'WorkersProbe' })).toEqual([N]);
      // DATABASE_POOL_SIZE is per process: the cluster may open 2 × 3.
      expect(value('db_pool_max_connections', { database: 'postgres' })).toEqual([6]);
      // Per worker, by its place (0, 1): never summed into one series.
      const started = samples.filter((s) => s.name === 'process_start_time_seconds');
      expect(started.map((s) => s.labels.worker).sort()).toEqual(['0', '1']);
      expect(
        samples
          .filter((s) => s.name === 'process_resident_memory_bytes')
          .map((s) => s.labels.worker)
          .sort(),
      ).toEqual(['0', '1']);
      expect(value('factcheck_cluster_workers', { state: 'answered' })).toEqual([2]);
      // Read from the database by the scraped worker alone: one series per state, not one per worker.
      expect(value('webhook_deliveries', { state: 'PENDING' })).toEqual([0]);
    }
  });

  test('a worker killed with -9 is replaced, after a logged back-off; the other serves meanwhile; the counters never fall', async () => {
    const [victim, survivor] = workers as [number, number];
    const scrape = async () => {
      const startedAt = Date.now();
      const outcome = await onNewConnection(cluster.url, '/metrics');
      expect(outcome).toMatchObject({ kind: 'response', status: 200 });
      const samples = parsePrometheus((outcome as { body: string }).body);
      const value = (name: string, labels: Record<string, string> = {}) =>
        samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
      return { samples, value, ms: Date.now() - startedAt };
    };
    const graphqlOk = { route: '/graphql', method: 'POST', status: '200' };
    const before = await scrape(); // the victim's counts as the primary last gathered them
    const counted = before.value('http_requests_total', graphqlOk)!;
    expect(counted).toBeGreaterThan(0);
    const victimStarted = before.samples.filter((s) => s.name === 'process_start_time_seconds').map((s) => s.value);

    process.kill(victim, 'SIGKILL');
    const exit = await eventually(() => logLines(cluster).find((l) => l.msg?.startsWith('a worker exited') && l.workerPid === victim), {
      ...WAIT,
      what: 'the primary to log the death',
    });
    expect(exit).toMatchObject({ level: 50, pid: cluster.pid, signal: 'SIGKILL', deathsInARow: 1, restartInMs: 500 });
    // Meanwhile the survivor serves every connection.
    for (let i = 0; i < 3; i++) expect(okData(await onNewConnection(cluster.url, '/graphql', { query: PROBE }, editor.token))).toEqual({ __typename: 'Query' });
    // Scraped while the replacement starts: at once (it is not asked), with the dead worker's counts.
    const duringRestart = await scrape();
    expect(duringRestart.ms).toBeLessThan(GATHER_TIMEOUT_MS);
    expect(duringRestart.value('http_requests_total', graphqlOk)).toBe(counted + 3);

    const replacement = await eventually(() => logLines(cluster).find((l) => l.msg === 'worker ready' && !workers.includes(l.pid as number)), {
      ...WAIT,
      what: 'a new worker that serves',
    });
    workers = sorted(descendantsOf(cluster.pid));
    workers.forEach((pid) => seen.add(pid));
    expect(workers).toEqual(sorted([survivor, replacement.pid as number]));
    expect(isGone(victim)).toBe(true);

    const since = cluster.stdout.length;
    for (let i = 0; i < 4; i++) okData(await onNewConnection(cluster.url, '/graphql', { query: PROBE }, editor.token));
    const served = await eventually(
      () => {
        const pids = servedBy(cluster, 'POST', '/graphql', since);
        return pids.length === 4 ? pids : null;
      },
      { ...WAIT, what: 'the request log lines' },
    );
    expect(sorted(new Set(served))).toEqual(workers);
    // The sums went on from the victim's counts (not from 0: no counter reset for Prometheus).
    const after = await scrape();
    expect(after.value('http_requests_total', graphqlOk)).toBe(counted + 3 + 4);
    expect(after.value('graphql_operation_duration_seconds_count', { operation_name: 'WorkersProbe' })).toBe(counted + 3 + 4);
    expect(after.value('factcheck_cluster_workers', { state: 'answered' })).toBe(2);
    // The replacement took the victim's place: the same two series, one of which started anew.
    const started = after.samples.filter((s) => s.name === 'process_start_time_seconds');
    expect(started.map((s) => s.labels.worker).sort()).toEqual(['0', '1']);
    expect(started.filter((s) => !victimStarted.includes(s.value))).toHaveLength(1);
  });

  test('SIGTERM to the primary: both workers drain their in-flight requests, then every process exits, the primary with 0', async () => {
    const articleId = okData(
      await onNewConnection(
        cluster.url,
        '/graphql',
        {
          query: INGEST,
          variables: { input: { url: `https://news.example/workers-${Date.now()}`, title: 'Drained', body: 'A claim to hold. Another sentence.' } },
        },
        editor.token,
      ),
    ).ingestArticle.article.id as string;
    const claimId = okData(
      await onNewConnection(cluster.url, '/graphql', { query: CREATE_CLAIM, variables: { input: { articleId, quote: 'A claim to hold.' } } }, editor.token),
    ).createClaim.claim.id as string;

    // The test holds the claim's row lock: the workers' writes to it park inside their transactions.
    const { isLocked, release, holder } = holdClaimLock(db, claimId);
    const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    const N = 4;
    const since = cluster.stdout.length;
    let inFlight: Promise<Outcome>[] = [];
    try {
      await isLocked;
      inFlight = Array.from({ length: N }, (_, k) =>
        onNewConnection(
          cluster.url,
          '/graphql',
          { query: M.evidence, variables: { i: { claimId, kind: 'OTHER', title: `in flight ${k}`, stance: 'CONTEXT' } } },
          editor.token,
        ),
      );
      const waitingOnLock = async () =>
        (await admin<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where datname = ${dbName} and wait_event_type = 'Lock'`)[0]!.n;
      await eventually(async () => (await waitingOnLock()) === N, { ...WAIT, what: 'every write to wait on the lock' });

      process.kill(cluster.pid, 'SIGTERM');
      await delay(600);
      expect(cluster.alive(), 'the primary waits for its workers').toBe(true);
      expect(
        workers.every((pid) => !isGone(pid)),
        'each worker waits for its in-flight requests',
      ).toBe(true);
    } finally {
      release();
      await holder;
      await admin.end({ timeout: 5 });
    }

    const outcomes = await Promise.all(inFlight);
    for (const outcome of outcomes) okData(outcome);
    // A worker exits 1 after 15 s of drain, and the primary kills what is left after 20 s: wait a little longer.
    const exit = await Promise.race([cluster.exited, delay(22_000).then(() => null)]);
    expect(exit, `last lines:\n${cluster.stdout.slice(-6).join('\n')}`).toEqual({ code: 0, signal: null });
    for (const pid of workers) expect(isGone(pid), `worker ${pid} is gone`).toBe(true);
    expect(descendantsOf(cluster.pid)).toEqual([]);

    const lines = logLines(cluster).slice(since);
    // Both workers had writes in flight, and both drained them.
    expect(sorted(new Set(lines.filter((l) => l.req?.path === '/graphql' && l.res?.statusCode === 200).map((l) => l.pid as number)))).toEqual(workers);
    expect(sorted(lines.filter((l) => l.msg === 'stopped' && l.pid !== cluster.pid).map((l) => l.pid as number))).toEqual(workers);
    expect(lines.filter((l) => l.msg === 'stopped' && l.pid === cluster.pid)).toHaveLength(1);
  }, 60_000);

  test('`npm start` with WORKERS=2: SIGINT to the npm process alone reaches the primary, which stops both workers; nothing is left', async () => {
    const npm = await startServer(
      'npm start, WORKERS=2',
      { DATABASE_URL: testDb.url!, WORKERS: '2', DATABASE_POOL_SIZE: '2' },
      { readyTimeoutMs: 90_000, command: { file: 'npm', args: ['start'], cwd: PROJECT_ROOT } },
    );
    // npm → the primary (its own child: `exec node …`) → two workers.
    const below = descendantsOf(npm.pid);
    below.forEach((pid) => seen.add(pid));
    const primary = below.find((pid) => processInfo(pid)?.ppid === npm.pid)!;
    expect(processInfo(primary)?.cmdline).toContain('dist/src/server/main.js');
    const started = sorted(descendantsOf(primary));
    expect(started).toHaveLength(2);
    expect(sorted(below)).toEqual(sorted([primary, ...started]));
    expect(await onNewConnection(npm.url, '/readyz')).toMatchObject({ kind: 'response', status: 200 });

    process.kill(npm.pid, 'SIGINT'); // the npm pid only, not its group
    const exit = await Promise.race([npm.exited, delay(25_000).then(() => null)]);
    expect(exit, `npm did not exit; its output:\n${npm.stdout.slice(-5).join('\n')}`).toEqual({ code: 0, signal: null });
    for (const pid of below) expect(isGone(pid), `${pid} (${processInfo(pid)?.cmdline}) is gone`).toBe(true);
    expect(
      sorted(
        logLines(npm)
          .filter((l) => l.msg === 'stopped')
          .map((l) => l.pid as number),
      ),
    ).toEqual(sorted([primary, ...started]));
  }, 120_000);
});

describe.runIf(testDatabaseKind === 'pglite')('WORKERS on the embedded database', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'factcheck-workers-'));
  });
  afterAll(async () => {
    await killAllServers();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('WORKERS=2 with PGlite: exit 1 before anything is opened, one line saying why', async () => {
    const folder = join(dir, 'never-created');
    const result = await runUntilExit({ DATABASE_URL: `pglite:${folder}`, WORKERS: '2' });
    expect(result.exit).toEqual({ code: 1, signal: null });
    expect(result.stderr).toEqual([
      'factcheck-api: invalid configuration: WORKERS=2 needs a postgres:// DATABASE_URL; DATABASE_URL is embedded (pglite:), and an embedded database lives in one process (one process per embedded folder; with memory: each would have its own): unset WORKERS, or use PostgreSQL',
    ]);
    expect(existsSync(folder)).toBe(false);
  });

  test('bad values (0, -1, x) are refused as invalid settings: exit 1, the rule and the value', async () => {
    const results = await Promise.all(['0', '-1', 'x'].map((value) => runUntilExit({ DATABASE_URL: 'memory:', WORKERS: value })));
    for (const [i, value] of ['0', '-1', 'x'].entries()) {
      expect(results[i]!.exit).toEqual({ code: 1, signal: null });
      expect(results[i]!.stderr).toEqual([
        `factcheck-api: invalid configuration: WORKERS must be an integer from 1 to 64 (server processes on one port; more than 1 needs a postgres:// DATABASE_URL) (got "${value}")`,
      ]);
    }
  });

  test('WORKERS=1: one process, no cluster (no child process, no primary), as without the setting', async () => {
    const server = await startServer('WORKERS=1', { DATABASE_URL: 'memory:', WORKERS: '1' }, { readyTimeoutMs: 90_000 });
    expect(descendantsOf(server.pid)).toEqual([]);
    const ready = logLines(server).find((l) => l.msg === 'factcheck API ready')!;
    expect(ready).not.toHaveProperty('workers');
    expect(ready).not.toHaveProperty('pid');
    expect(okData(await server.gql(PROBE))).toEqual({ __typename: 'Query' });
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  }, 120_000);
});
