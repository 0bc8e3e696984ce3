/**
 * A feed's lease while its fetch runs (docs/operations.md, Feeds of other publishers' fact checks):
 * renewed as long as the fetch and its import last, however long that is, and no longer; a fetch
 * whose lease another process took stops importing and records nothing; fetchExternalSource waits
 * for the lease's holder at most EXTERNAL_FETCH_WAIT_MS (then CONFLICT), and not at all once its
 * caller has gone. Two "processes" here are two feed runtimes in one test (their own lease names),
 * on a clock the test moves instead of waiting, with a lease renewed every 50 ms instead of every
 * third of it.
 */
import { eq } from 'drizzle-orm';
import { DomainError } from '../../src/domain/coded-errors.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { externalFactChecks, externalSources } from '../../src/db/schema.js';
import { takeLeaseOf } from '../../src/domain/external-sources/lease.js';
import { fetchExternalSource } from '../../src/domain/external-sources/fetch-now.js';
import { toGlobalId } from '../../src/domain/global-ids.js';
import { leaseMs, type FeedRuntime, type FeedSettings, type FetchOutcome } from '../../src/domain/external-sources/settings.js';
import { codes, TEST_SITE, type TestApp } from '../support/app.js';
import { claimReview, dataFeed } from '../support/external-sources/claim-reviews.js';
import { createSource, rowId, S } from '../support/external-sources/external-sources.js';
import { startFeedServer, type FeedServer } from '../support/external-sources/feed-server.js';
import { startDeskApp, type Desk } from '../support/factories.js';

const JSON_TYPE = { 'content-type': 'application/ld+json' };
const RENEW_MS = 50;
/** How long a fetchExternalSource of these runtimes waits for another fetch, on the feeds' clock. */
const WAIT_MS = 90_000;
/** The server's own limit (EXTERNAL_FETCH_WAIT_MS; its clock is the real one). */
const SERVER_WAIT_MS = 1_000;
/** The lease named in each statement that renews one. */
const RENEWAL = /^update "external_sources" set "lease_expires_at"/i;
/** The read of one feed's row: what a waiting fetchExternalSource polls. */
const POLL = /^select .* from "external_sources" where "external_sources"\."id" = \$1$/is;

let app: TestApp;
let desk: Desk;
let feed: FeedServer;
const statements: string[] = [];
beforeAll(async () => {
  feed = await startFeedServer(() => ({ hang: true }));
  ({ app, desk } = await startDeskApp({ EXTERNAL_FETCH_WAIT_MS: SERVER_WAIT_MS }, { onQuery: (sql) => statements.push(sql) }));
});
afterAll(async () => {
  await feed?.stop();
  await app?.stop();
});

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The feeds' clock, moved by the tests: what both runtimes read as now is the database's now() plus `offset`. */
const clock = { offset: 0, offsetMs: () => clock.offset };
const settings: FeedSettings = {
  allowPrivateUrls: true,
  trustedOrigins: [],
  timeoutMs: 10_000,
  waitMs: WAIT_MS,
  maxBytes: 1_000_000,
  clock,
  leaseRenewMs: RENEW_MS,
};
function runtime(processId: string, outcomes: FetchOutcome[] = []): FeedRuntime {
  return {
    settings,
    processId,
    observer: { fetched: (outcome) => outcomes.push(outcome) },
    importing: { ownBaseUrl: () => TEST_SITE.PUBLIC_BASE_URL, batchSize: 1 },
  };
}
const editor = () => ({ id: desk.editor.id, name: desk.editor.name, role: desk.editor.role });
const row = async (id: string) => (await app.database.db.select().from(externalSources).where(eq(externalSources.id, id)))[0]!;
const imported = async (id: string) => (await app.database.db.select().from(externalFactChecks).where(eq(externalFactChecks.sourceId, id))).length;

/** A feed on its own path, and the fetch by "process A" under way: its GET waiting at the publisher. */
async function fetchUnderWay(path: string, outcomes: FetchOutcome[]) {
  const before = feed.requests.length;
  const source = await createSource(app, desk.editor.token, { url: feed.url(path) });
  const id = rowId(source.id);
  const running = fetchExternalSource(app.database.db, editor(), runtime('process-a', outcomes), id);
  await feed.waitForRequests(before + 1);
  return { id, running };
}

describe("a feed's lease while it is fetched", () => {
  test('renewed while the fetch runs, however long: no other process takes the feed; no renewal once it is recorded', async () => {
    const { id, running } = await fetchUnderWay('/slow.json', []);
    // Three leases pass on the feeds' clock, 30 s at a time, each step a few renewals long.
    for (let passed = 0; passed < 3 * leaseMs(settings); passed += 30_000) {
      clock.offset += 30_000;
      await delay(6 * RENEW_MS);
      expect(await takeLeaseOf(app.database.db, settings, 'process-b', id), `after ${clock.offset} ms`).toBeNull();
    }
    expect((await row(id)).leaseOwner).toMatch(/^process-a\//);
    feed.release({ headers: JSON_TYPE, body: dataFeed([claimReview(1), claimReview(2)]) });
    const { source, report } = await running;
    expect(report).toMatchObject({ created: 2, skipped: [] });
    expect(source).toMatchObject({ leaseOwner: null, leaseExpiresAt: null, lastError: null });
    const renewals = statements.filter((s) => RENEWAL.test(s)).length;
    expect(renewals).toBeGreaterThan(0);
    await delay(6 * RENEW_MS);
    expect(statements.filter((s) => RENEWAL.test(s)).length).toBe(renewals);
    expect((await row(id)).leaseOwner).toBeNull();
  });

  test('a fetch whose lease another process took stops before importing, and records nothing', async () => {
    const outcomes: FetchOutcome[] = [];
    const { id, running } = await fetchUnderWay('/stalled.json', outcomes);
    // As if process A had stalled past its lease and process B had taken the feed.
    await app.database.db.update(externalSources).set({ leaseOwner: 'process-b/1' }).where(eq(externalSources.id, id));
    await delay(4 * RENEW_MS);
    feed.release({ headers: JSON_TYPE, body: dataFeed(Array.from({ length: 20 }, (_, i) => claimReview(100 + i))) });
    const { source, report } = await running;
    expect(report).toBeNull();
    expect(await imported(id)).toBe(0);
    expect(source).toMatchObject({ leaseOwner: 'process-b/1', lastFetchedAt: null, lastReport: null, lastError: null });
    expect(outcomes).toEqual([expect.objectContaining({ kind: 'error', leaseLost: true, created: 0, error: expect.stringMatching(/lease was taken/) })]);
  });
});

describe('fetchExternalSource while another fetch holds the lease', () => {
  const polls = () => statements.filter((s) => POLL.test(s)).length;
  async function settles<T>(promise: Promise<T>, withinMs: number): Promise<boolean> {
    let settled = false;
    void promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    const deadline = Date.now() + withinMs;
    while (!settled && Date.now() < deadline) await delay(20);
    return settled;
  }

  test("waits while the holder's lease is renewed, up to EXTERNAL_FETCH_WAIT_MS on the feeds' clock; then CONFLICT, having changed nothing", async () => {
    const { id, running } = await fetchUnderWay('/long-import.json', []);
    try {
      const before = await row(id);
      const requests = feed.requests.length;
      const waiting = fetchExternalSource(app.database.db, editor(), runtime('process-b'), id).then(
        () => null,
        (error: unknown) => error,
      );
      // 60 s of a 90 s limit pass, 30 s at a time, each step a few renewals long: still waiting.
      for (let step = 0; step < 2; step++) {
        clock.offset += 30_000;
        expect(await settles(waiting, 6 * RENEW_MS), `after ${(step + 1) * 30} s`).toBe(false);
      }
      // Past the limit: answered within a few polls, while the holder still holds its lease.
      clock.offset += 31_000;
      expect(await settles(waiting, 2_000)).toBe(true);
      const error = await waiting;
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/still running .* after 90 s of waiting; nothing was done/) });
      const after = await row(id);
      expect(after.leaseOwner).toBe(before.leaseOwner);
      expect(after.leaseExpiresAt!.getTime()).toBeGreaterThan(before.leaseExpiresAt!.getTime());
      const { leaseExpiresAt: _before, ...unchanged } = before;
      expect(after).toMatchObject(unchanged);
      // It fetched nothing itself.
      expect(feed.requests.length).toBe(requests);
    } finally {
      feed.release({ headers: JSON_TYPE, body: dataFeed([claimReview(200)]) });
    }
    // The holder's fetch goes on and records its outcome.
    expect((await running).report).toMatchObject({ created: 1 });
  });

  test('stops waiting, and polls no more, once its caller has gone (the signal aborts)', async () => {
    const { id, running } = await fetchUnderWay('/abandoned.json', []);
    try {
      const caller = new AbortController();
      const waiting = fetchExternalSource(app.database.db, editor(), runtime('process-b'), id, caller.signal).then(
        () => null,
        (error: unknown) => error,
      );
      const from = polls();
      await delay(500);
      expect(polls()).toBeGreaterThan(from);
      caller.abort();
      expect(await settles(waiting, 200)).toBe(true);
      expect(await waiting).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/closed by its client/) });
      const stoppedAt = polls();
      await delay(500);
      expect(polls()).toBe(stoppedAt);
      expect((await row(id)).leaseOwner).toMatch(/^process-a\//);
    } finally {
      feed.release({ headers: JSON_TYPE, body: dataFeed([claimReview(201)]) });
    }
    await running;
  });

  test('through the API: CONFLICT after EXTERNAL_FETCH_WAIT_MS; a client that closes its request stops the wait', async () => {
    const { id, running } = await fetchUnderWay('/through-the-api.json', []);
    try {
      const sourceId = toGlobalId('ExternalSource', id);
      const started = Date.now();
      const refused = await app.gql(S.fetch, { i: { sourceId } }, desk.editor.token);
      expect(codes(refused)).toEqual(['CONFLICT']);
      expect(refused.errors![0]!.message).toMatch(/still running .* after 1 s of waiting/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(SERVER_WAIT_MS);
      expect(Date.now() - started).toBeLessThan(SERVER_WAIT_MS + 2_000);

      // A client that gives up before the limit: the server stops polling for it.
      const client = new AbortController();
      const from = polls();
      const request = fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${desk.editor.token}` },
        body: JSON.stringify({ query: S.fetch, variables: { i: { sourceId } } }),
        signal: client.signal,
      }).catch(() => 'aborted');
      await delay(300);
      expect(polls()).toBeGreaterThan(from);
      client.abort();
      expect(await request).toBe('aborted');
      await delay(200);
      const stoppedAt = polls();
      await delay(1_500);
      expect(polls()).toBe(stoppedAt);
    } finally {
      feed.release({ headers: JSON_TYPE, body: dataFeed([claimReview(202)]) });
    }
    await running;
  });
});
