/**
 * A feed's lease while its fetch runs (docs/operations.md, Feeds of other publishers' fact checks):
 * renewed as long as the fetch and its import last, however long that is, and no longer; a fetch
 * whose lease another process took stops importing and records nothing. Two "processes" here are
 * two feed runtimes in one test (their own lease names), on a clock the test moves instead of
 * waiting, with a lease renewed every 50 ms instead of every third of it.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { externalFactChecks, externalSources } from '../../src/db/schema.js';
import { takeLeaseOf } from '../../src/domain/external-sources/lease.js';
import { fetchExternalSource } from '../../src/domain/external-sources/fetch-now.js';
import { leaseMs, type FeedRuntime, type FeedSettings, type FetchOutcome } from '../../src/domain/external-sources/settings.js';
import { TEST_SITE, type TestApp } from '../support/app.js';
import { claimReview, dataFeed } from '../support/external-sources/claim-reviews.js';
import { createSource, rowId } from '../support/external-sources/external-sources.js';
import { startFeedServer, type FeedServer } from '../support/external-sources/feed-server.js';
import { startDeskApp, type Desk } from '../support/factories.js';

const JSON_TYPE = { 'content-type': 'application/ld+json' };
const RENEW_MS = 50;
/** The lease named in each statement that renews one. */
const RENEWAL = /^update "external_sources" set "lease_expires_at"/i;

let app: TestApp;
let desk: Desk;
let feed: FeedServer;
const statements: string[] = [];
beforeAll(async () => {
  feed = await startFeedServer(() => ({ hang: true }));
  ({ app, desk } = await startDeskApp({}, { onQuery: (sql) => statements.push(sql) }));
});
afterAll(async () => {
  await feed?.stop();
  await app?.stop();
});

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The feeds' clock, moved by the tests: what both runtimes read as now is the database's now() plus `offset`. */
const clock = { offset: 0, offsetMs: () => clock.offset };
const settings: FeedSettings = { allowPrivateUrls: true, trustedOrigins: [], timeoutMs: 10_000, maxBytes: 1_000_000, clock, leaseRenewMs: RENEW_MS };
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
