/**
 * Feeds on two server processes against one Postgres database: each process runs the fetch job, and
 * the lease in the row lets exactly one of them fetch a feed per interval (the interval made to pass
 * with the feeds' test clock, EXTERNAL_SOURCES_CLOCK_FILE, rather than waited for). fetchExternalSource
 * on one process while the other holds the lease waits for that fetch and answers its result.
 *
 * Postgres only (several processes need a database they can share): the postgres vitest project.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { claimReview, dataFeed } from '../support/external-sources/claim-reviews.js';
import { S } from '../support/external-sources/external-sources.js';
import { startFeedServer, type FeedReply, type FeedRequest, type FeedServer } from '../support/external-sources/feed-server.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/database.js';
import { createUser, type TestUser } from '../support/factories.js';
import { delay, killAllServers, okData, startServer, type ServerProcess } from '../support/processes.js';

const JSON_TYPE = { 'content-type': 'application/ld+json' };

describe.runIf(testDatabaseKind === 'postgres')('feeds on two processes', () => {
  let testDb: TestDatabase;
  let editor: TestUser;
  let feed: FeedServer;
  let a: ServerProcess;
  let b: ServerProcess;
  let clockFolder: string;
  let clockFile: string;
  const routes = new Map<string, (request: FeedRequest) => FeedReply>();

  const advanceClock = (minutes: number) => writeFileSync(clockFile, String(Number(readFileSync(clockFile, 'utf8')) + minutes * 60_000));
  const requestsTo = (path: string) => feed.requests.filter((r) => r.path === path).length;
  async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
      await delay(50);
    }
  }
  const create = async (server: ServerProcess, path: string) =>
    okData(await server.gql(S.create, { i: { name: `Feed ${path}`, url: feed.url(path), intervalMinutes: 5 } }, editor.token)).createExternalSource.source
      .id as string;

  beforeAll(async () => {
    testDb = await createTestDatabase({ poolSize: 2 });
    editor = await createUser(testDb.db, 'EDITOR');
    feed = await startFeedServer((request) => routes.get(request.path)?.(request) ?? { status: 404 });
    clockFolder = mkdtempSync(join(tmpdir(), 'feed-clock-'));
    clockFile = join(clockFolder, 'offset');
    writeFileSync(clockFile, '0');
    const env = { DATABASE_URL: testDb.url!, DATABASE_POOL_SIZE: '4', EXTERNAL_SOURCES_POLL_MS: '50', EXTERNAL_SOURCES_CLOCK_FILE: clockFile };
    [a, b] = await Promise.all([startServer('A', env), startServer('B', env)]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()].filter(Boolean));
    await killAllServers();
    await feed?.stop();
    await testDb?.drop();
    if (clockFolder) rmSync(clockFolder, { recursive: true, force: true });
  });

  test('a feed is fetched once per interval, by one process, never twice', async () => {
    // A slow publisher: a second process taking the same feed would overlap with the first's fetch.
    routes.set('/slow.json', () => ({ headers: JSON_TYPE, body: dataFeed([claimReview(1), claimReview(2)]), delayMs: 300 }));
    await create(a, '/slow.json');
    for (let interval = 1; interval <= 4; interval++) {
      await eventually(() => requestsTo('/slow.json') >= interval, `fetch ${interval}`);
      // Both processes poll every 50 ms: a second fetch in the same interval would show well within this.
      await delay(1_000);
      expect(requestsTo('/slow.json')).toBe(interval);
      advanceClock(5);
    }
  });

  test('fetchExternalSource on one process while the other holds the lease waits for that fetch and answers its result', async () => {
    let hold = false;
    routes.set('/held.json', () => (hold ? { hang: true } : { headers: JSON_TYPE, body: dataFeed([claimReview(10)]) }));
    const sourceId = await create(a, '/held.json');
    await eventually(async () => {
      const node = okData(await a.gql(S.node.replace('name', 'name lastFetchedAt'), { id: sourceId }, editor.token)).node;
      return node.lastFetchedAt !== null;
    }, 'the first fetch');
    // The next fetch, by A's fetchExternalSource, hangs at the publisher while A holds the lease.
    hold = true;
    const first = a.gql(S.fetch, { i: { sourceId } }, editor.token, 30_000);
    await eventually(() => requestsTo('/held.json') === 2, 'the held fetch');
    const second = b.gql(S.fetch, { i: { sourceId } }, editor.token, 30_000);
    await delay(700);
    expect(requestsTo('/held.json')).toBe(2);
    feed.release({ headers: JSON_TYPE, body: dataFeed([claimReview(10), claimReview(11)]) });
    const [fromA, fromB] = (await Promise.all([first, second])).map((outcome) => okData(outcome).fetchExternalSource);
    expect(requestsTo('/held.json')).toBe(2);
    expect(fromA.report).toEqual({ created: 1, updated: 0, unchanged: 1, skipped: [] });
    expect(fromB).toEqual(fromA);
    expect(fromB.source).toMatchObject({ lastError: null, factCheckCount: 2 });
  });
});
