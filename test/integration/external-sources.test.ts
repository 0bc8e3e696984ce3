/**
 * Feeds of other publishers' ClaimReview markup (docs/design.md, Other publishers' fact checks):
 * managing them, fetching them (conditional GET, errors, redirects, the SSRF rules, timeout and
 * size cap), the fetch job and its lease, deleting a feed. A real HTTP server on 127.0.0.1 plays
 * the publisher. Two processes on one database: external-sources-processes.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLoaders } from '../../src/db/loaders.js';
import { externalSources } from '../../src/db/schema.js';
import { sourceOfExternalFactCheck } from '../../src/domain/external-sources/queries.js';
import { codes, ok, type TestApp } from '../support/app.js';
import { claimReview, dataFeed } from '../support/external-sources/claim-reviews.js';
import { createSource, factCheckByReviewUrl, factChecksOf, fetchSource, rowId, S, type SourceData } from '../support/external-sources/external-sources.js';
import { X } from '../support/external-imports/imports.js';
import { startFeedServer, type FeedReply, type FeedRequest, type FeedServer } from '../support/external-sources/feed-server.js';
import { startDeskApp, type Desk } from '../support/factories.js';
import { scrapeMetrics } from '../support/prometheus.js';

const TIMEOUT_MS = 1_500;
const MAX_BYTES = 100_000;
const JSON_TYPE = { 'content-type': 'application/ld+json; charset=utf-8' };

let feed: FeedServer;
/** What each path of the feed server answers; a test adds its own paths. */
const routes = new Map<string, (request: FeedRequest) => FeedReply>();
let app: TestApp;
let desk: Desk;

beforeAll(async () => {
  feed = await startFeedServer((request) => routes.get(request.path)?.(request) ?? { status: 404, body: 'no such feed' });
  ({ app, desk } = await startDeskApp({ EXTERNAL_FETCH_TIMEOUT_MS: TIMEOUT_MS, EXTERNAL_FETCH_MAX_BYTES: MAX_BYTES }));
});
afterAll(async () => {
  await feed?.stop();
  await app?.stop();
});

let paths = 0;
/** A path of its own on the feed server, answered by `reply`. */
function serve(reply: (request: FeedRequest) => FeedReply): string {
  const path = `/feeds/${++paths}.json`;
  routes.set(path, reply);
  return feed.url(path);
}
const requestsTo = (url: string) => feed.requests.filter((r) => feed.url(r.path) === url);

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await delay(50);
  }
}

describe('managing feeds', () => {
  test('editors and admins create, change, list and delete feeds; reviewers and partners may not', async () => {
    const url = serve(() => ({ status: 404 }));
    const created = await createSource(app, desk.editor.token, { name: '  Checks Example  ', url });
    expect(created).toMatchObject({ name: 'Checks Example', url, intervalMinutes: 60, enabled: true, lastFetchedAt: null, lastError: null, factCheckCount: 0 });

    const changed = ok(await app.gql(S.update, { i: { sourceId: created.id, name: 'Renamed', intervalMinutes: 5, enabled: false } }, desk.admin.token))
      .updateExternalSource.source;
    expect(changed).toMatchObject({ id: created.id, name: 'Renamed', url, intervalMinutes: 5, enabled: false });
    const unchanged = ok(await app.gql(S.update, { i: { sourceId: created.id } }, desk.editor.token)).updateExternalSource.source;
    expect(unchanged).toMatchObject({ name: 'Renamed', intervalMinutes: 5, enabled: false });

    expect(ok(await app.gql(S.node, { id: created.id }, desk.editor.token)).node).toEqual({ id: created.id, name: 'Renamed' });
    for (const who of [desk.reviewer1, desk.partner]) {
      expect(ok(await app.gql(S.node, { id: created.id }, who.token)).node).toBeNull();
      expect(codes(await app.gql(S.list, {}, who.token))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(S.create, { i: { name: 'Mine', url } }, who.token))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(S.update, { i: { sourceId: created.id, name: 'Mine' } }, who.token))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(S.delete, { i: { sourceId: created.id } }, who.token))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(S.fetch, { i: { sourceId: created.id } }, who.token))).toEqual(['FORBIDDEN']);
    }
    expect(codes(await app.gql(S.list, {}, null))).toEqual(['UNAUTHENTICATED']);

    const deleted = ok(await app.gql(S.delete, { i: { sourceId: created.id } }, desk.editor.token)).deleteExternalSource;
    expect(deleted).toEqual({ deletedSourceId: created.id });
    expect(codes(await app.gql(S.delete, { i: { sourceId: created.id } }, desk.editor.token))).toEqual(['NOT_FOUND']);
    expect(codes(await app.gql(S.update, { i: { sourceId: created.id, name: 'Back' } }, desk.editor.token))).toEqual(['NOT_FOUND']);
    expect(codes(await app.gql(S.fetch, { i: { sourceId: created.id } }, desk.editor.token))).toEqual(['NOT_FOUND']);
    expect(ok(await app.gql(S.node, { id: created.id }, desk.editor.token)).node).toBeNull();
  });

  test('externalSources pages newest first, with totalCount on every page', async () => {
    const before = ok(await app.gql(S.list, { first: 100 }, desk.editor.token)).externalSources.totalCount as number;
    const made: SourceData[] = [];
    for (const n of [1, 2, 3]) made.push(await createSource(app, desk.editor.token, { name: `Paged ${n}`, url: serve(() => ({ status: 404 })) }));
    const first = ok(await app.gql(S.list, { first: 2 }, desk.admin.token)).externalSources;
    expect(first.totalCount).toBe(before + 3);
    expect(first.edges.map((e: any) => e.node.name)).toEqual(['Paged 3', 'Paged 2']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = ok(await app.gql(S.list, { first: 1, after: first.pageInfo.endCursor }, desk.admin.token)).externalSources;
    expect(second.edges.map((e: any) => e.node.name)).toEqual(['Paged 1']);
    expect(second.totalCount).toBe(before + 3);
    expect(codes(await app.gql(S.list, { after: 'not-a-cursor' }, desk.admin.token))).toEqual(['BAD_USER_INPUT']);
    for (const source of made) ok(await app.gql(S.delete, { i: { sourceId: source.id } }, desk.editor.token));
  });

  test('bad input is BAD_USER_INPUT naming the field, and changes nothing', async () => {
    const url = serve(() => ({ status: 404 }));
    // The URL scalar refuses other schemes before the domain sees them (no field: the variable is named in the message).
    const refused = async (input: Record<string, unknown>, field: string) => {
      const response = await app.gql(S.create, { i: { name: 'Feed', url, ...input } }, desk.editor.token);
      expect(codes(response), JSON.stringify(input)).toEqual(['BAD_USER_INPUT']);
      if (field === 'url') expect(response.errors![0]!.message).toMatch(/url/i);
      else expect(response.errors![0]!.extensions!.field).toBe(field);
    };
    const before = ok(await app.gql(S.list, {}, desk.editor.token)).externalSources.totalCount;
    await refused({ url: 'ftp://feeds.example.org/feed.json' }, 'url');
    await refused({ url: 'file:///etc/passwd' }, 'url');
    await refused({ intervalMinutes: 4 }, 'intervalMinutes');
    await refused({ intervalMinutes: 10_081 }, 'intervalMinutes');
    await refused({ name: '   ' }, 'name');
    await refused({ name: 'x'.repeat(201) }, 'name');
    expect(ok(await app.gql(S.list, {}, desk.editor.token)).externalSources.totalCount).toBe(before);

    const source = await createSource(app, desk.editor.token, { url, intervalMinutes: 10_080 });
    expect(source.intervalMinutes).toBe(10_080);
    const update = (i: Record<string, unknown>) => app.gql(S.update, { i: { sourceId: source.id, ...i } }, desk.editor.token);
    expect(codes(await update({ intervalMinutes: 0 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await update({ url: 'gopher://x' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await update({ name: null }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await app.gql(S.update, { i: { sourceId: 'not-an-id', name: 'x' } }, desk.editor.token))).toEqual(['BAD_USER_INPUT']);
    expect(ok(await app.gql(S.node, { id: source.id }, desk.editor.token)).node.name).toBe('Checks Example feed');
  });
});

describe('fetching a feed', () => {
  test('a fetch imports the feed; the same again is unchanged, a changed review updated; the fact checks are there, counted on the feed', async () => {
    let reviews = [claimReview(101), claimReview(102, { rating: 'Mostly False', ratingValue: 2 })];
    const url = serve(() => ({ headers: JSON_TYPE, body: dataFeed(reviews) }));
    const source = await createSource(app, desk.editor.token, { url });

    const first = await fetchSource(app, desk.editor.token, source.id);
    expect(first.report).toEqual({ created: 2, updated: 0, unchanged: 0, skipped: [] });
    expect(first.source).toMatchObject({ lastError: null, factCheckCount: 2 });
    expect(first.source.lastFetchedAt).not.toBeNull();
    expect(await factChecksOf(app.database.db, source.id)).toEqual(
      reviews.map((r) => ({ reviewUrl: r.url, claimReviewed: r.claimReviewed, publisherName: 'Checks Example' })),
    );

    expect((await fetchSource(app, desk.editor.token, source.id)).report).toEqual({ created: 0, updated: 0, unchanged: 2, skipped: [] });
    reviews = [reviews[0]!, claimReview(102, { rating: 'False', ratingValue: 1 }), claimReview(103)];
    expect((await fetchSource(app, desk.admin.token, source.id)).report).toEqual({ created: 1, updated: 1, unchanged: 1, skipped: [] });
    expect(ok(await app.gql(S.node.replace('name', 'name factCheckCount'), { id: source.id }, desk.editor.token)).node.factCheckCount).toBe(3);
    expect((await factCheckByReviewUrl(app.database.db, reviews[1]!.url))!.textualRating).toBe('False');
  });

  test('conditional GET: the next fetch sends the ETag and Last-Modified back; a 304 imports nothing and is a success', async () => {
    const lastModified = 'Sat, 03 Oct 2026 09:00:00 GMT';
    const url = serve((request) =>
      request.headers['if-none-match'] === '"v1"'
        ? { status: 304 }
        : { headers: { ...JSON_TYPE, etag: '"v1"', 'last-modified': lastModified }, body: JSON.stringify([claimReview(201)]) },
    );
    const source = await createSource(app, desk.editor.token, { url });
    const first = await fetchSource(app, desk.editor.token, source.id);
    expect(first.report!.created).toBe(1);
    expect(requestsTo(url)[0]!.headers['if-none-match']).toBeUndefined();

    const second = await fetchSource(app, desk.editor.token, source.id);
    const sent = requestsTo(url)[1]!.headers;
    expect(sent['if-none-match']).toBe('"v1"');
    expect(sent['if-modified-since']).toBe(lastModified);
    expect(second.report).toEqual({ created: 0, updated: 0, unchanged: 0, skipped: [] });
    expect(second.source).toMatchObject({ lastError: null, factCheckCount: 1 });
    expect(Date.parse(second.source.lastFetchedAt!)).toBeGreaterThanOrEqual(Date.parse(first.source.lastFetchedAt!));
  });

  test('HTTP 500 is recorded in lastError with no report; the next fetch succeeds and clears it', async () => {
    let broken = true;
    const url = serve(() => (broken ? { status: 500, body: 'upstream exploded' } : { headers: JSON_TYPE, body: JSON.stringify(claimReview(301)) }));
    const source = await createSource(app, desk.editor.token, { url });
    const failed = await fetchSource(app, desk.editor.token, source.id);
    expect(failed.report).toBeNull();
    expect(failed.source.lastError).toMatch(/HTTP 500/);
    expect(failed.source.lastFetchedAt).not.toBeNull();
    broken = false;
    const recovered = await fetchSource(app, desk.editor.token, source.id);
    expect(recovered.report!.created).toBe(1);
    expect(recovered.source.lastError).toBeNull();
  });

  test('a body that is not JSON is recorded in lastError', async () => {
    const url = serve(() => ({ headers: JSON_TYPE, body: '{"@context": "https://schema.org", "@type": "ClaimReview", "url": ' }));
    const source = await createSource(app, desk.editor.token, { url });
    const failed = await fetchSource(app, desk.editor.token, source.id);
    expect(failed.report).toBeNull();
    expect(failed.source.lastError).toMatch(/could not be imported/i);
    expect(failed.source.factCheckCount).toBe(0);
  });

  test('redirects: three are followed, a fourth is refused', async () => {
    const chain = (hops: number) => {
      let next = serve(() => ({ headers: JSON_TYPE, body: JSON.stringify(claimReview(400 + hops)) }));
      for (let i = 0; i < hops; i++) {
        const location = next;
        next = serve(() => ({ status: i % 2 ? 302 : 301, headers: { location } }));
      }
      return next;
    };
    const three = await createSource(app, desk.editor.token, { url: chain(3) });
    expect((await fetchSource(app, desk.editor.token, three.id)).report!.created).toBe(1);
    const four = await createSource(app, desk.editor.token, { url: chain(4) });
    const refused = await fetchSource(app, desk.editor.token, four.id);
    expect(refused.report).toBeNull();
    expect(refused.source.lastError).toMatch(/more than 3 redirects/);
  });

  test('a slow server is cut at EXTERNAL_FETCH_TIMEOUT_MS, before its headers or in the middle of its body', async () => {
    const body = dataFeed([claimReview(501), claimReview(502)]);
    for (const reply of [{ hang: true }, { headers: JSON_TYPE, body, stallAfterBytes: 100 }] as FeedReply[]) {
      const source = await createSource(app, desk.editor.token, { url: serve(() => reply) });
      const started = Date.now();
      const cut = await fetchSource(app, desk.editor.token, source.id);
      const took = Date.now() - started;
      expect(cut.report).toBeNull();
      expect(cut.source.lastError).toMatch(new RegExp(`within ${TIMEOUT_MS} ms`));
      expect(took).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(took).toBeLessThan(TIMEOUT_MS + 3_000);
    }
  });

  test('a body over EXTERNAL_FETCH_MAX_BYTES is cut at the cap: declared, or found while unpacking', async () => {
    const big = dataFeed(Array.from({ length: 400 }, (_, i) => claimReview(1_000 + i)));
    expect(Buffer.byteLength(big)).toBeGreaterThan(MAX_BYTES);
    const plain = await createSource(app, desk.editor.token, { url: serve(() => ({ headers: JSON_TYPE, body: big })) });
    const gzipped = await createSource(app, desk.editor.token, {
      url: serve(() => ({ headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: gzipSync(big) })),
    });
    for (const source of [plain, gzipped]) {
      const cut = await fetchSource(app, desk.editor.token, source.id);
      expect(cut.report).toBeNull();
      expect(cut.source.lastError).toMatch(new RegExp(`larger than ${MAX_BYTES} bytes`));
      expect(cut.source.factCheckCount).toBe(0);
    }
    // Under the cap, a compressed feed is read whole.
    const small = await createSource(app, desk.editor.token, {
      url: serve(() => ({ headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: gzipSync(dataFeed([claimReview(1_500)])) })),
    });
    expect((await fetchSource(app, desk.editor.token, small.id)).report!.created).toBe(1);
  });

  test('a host that does not resolve is recorded, not thrown', async () => {
    const source = await createSource(app, desk.editor.token, { url: 'http://feeds.invalid/feed.json' });
    const failed = await fetchSource(app, desk.editor.token, source.id);
    expect(failed.report).toBeNull();
    expect(failed.source.lastError).toMatch(/feeds\.invalid does not resolve|within/);
  });

  test('a feed of many bad items: the report it answers and stores lists the first 100 skipped, counts them all; by hand, every one is listed', async () => {
    const items = [...Array.from({ length: 150 }, (_, i) => ({ ...claimReview(2_000 + i), reviewRating: undefined })), claimReview(2_200)];
    const document = dataFeed(items);
    const source = await createSource(app, desk.editor.token, { url: serve(() => ({ headers: JSON_TYPE, body: document })) });
    const withCount = (query: string) => query.replace('skipped {', 'skippedCount skipped {');
    const { report } = ok(await app.gql(withCount(S.fetch), { i: { sourceId: source.id } }, desk.editor.token)).fetchExternalSource;
    expect(report).toMatchObject({ created: 1, skippedCount: 150 });
    expect(report.skipped).toHaveLength(100);
    expect(report.skipped.map((s: any) => s.index)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(report.skipped[0]).toEqual({ index: 0, reviewUrl: claimReview(2_000).url, reason: 'no reviewRating' });
    const [stored] = await app.database.db
      .select({ report: externalSources.lastReport })
      .from(externalSources)
      .where(eq(externalSources.id, rowId(source.id)));
    expect(stored!.report).toEqual(report);
    const byHand = ok(await app.gql(withCount(X.import), { i: { document } }, desk.editor.token)).importExternalFactChecks.report;
    expect(byHand).toMatchObject({ created: 0, unchanged: 1, skippedCount: 150 });
    expect(byHand.skipped).toHaveLength(150);
  });

  test('fetchExternalSource ignores Idempotency-Key: each call fetches, none is replayed', async () => {
    const url = serve(() => ({ headers: JSON_TYPE, body: JSON.stringify([claimReview(650)]) }));
    const source = await createSource(app, desk.editor.token, { url });
    const send = () =>
      fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${desk.editor.token}`, 'idempotency-key': `fetch-${source.id}` },
        body: JSON.stringify({ query: S.fetch, variables: { i: { sourceId: source.id } } }),
      });
    for (const expected of [
      { created: 1, unchanged: 0 },
      { created: 0, unchanged: 1 },
    ]) {
      const response = await send();
      expect(response.headers.get('idempotent-replayed')).toBeNull();
      const body = (await response.json()) as { data: { fetchExternalSource: { report: { created: number; unchanged: number } } } };
      expect(body.data.fetchExternalSource.report).toMatchObject(expected);
    }
    expect(requestsTo(url)).toHaveLength(2);
  });

  test('deleting a feed keeps the fact checks it brought in', async () => {
    const reviews = [claimReview(601), claimReview(602)];
    const source = await createSource(app, desk.editor.token, { url: serve(() => ({ headers: JSON_TYPE, body: dataFeed(reviews) })) });
    expect((await fetchSource(app, desk.editor.token, source.id)).report!.created).toBe(2);
    ok(await app.gql(S.delete, { i: { sourceId: source.id } }, desk.editor.token));
    for (const review of reviews) {
      const kept = await factCheckByReviewUrl(app.database.db, review.url);
      expect(kept).toMatchObject({ claimReviewed: review.claimReviewed, sourceId: null });
    }
  });

  test('ExternalFactCheck.source (sourceOfExternalFactCheck): the feed for editors and admins, FORBIDDEN for others, null without one', async () => {
    const source = await createSource(app, desk.editor.token, { url: serve(() => ({ headers: JSON_TYPE, body: JSON.stringify([claimReview(680)]) })) });
    await fetchSource(app, desk.editor.token, source.id);
    const { sourceId } = (await factCheckByReviewUrl(app.database.db, claimReview(680).url))!;
    const viewer = (user: typeof desk.editor) => ({ id: user.id, name: user.name, role: user.role });
    for (const user of [desk.editor, desk.admin]) {
      const loaders = createLoaders(app.database.db);
      expect((await sourceOfExternalFactCheck(loaders, viewer(user), sourceId))?.id).toBe(rowId(source.id));
      expect(await sourceOfExternalFactCheck(loaders, viewer(user), null)).toBeNull();
    }
    for (const user of [desk.reviewer1, desk.partner])
      await expect(sourceOfExternalFactCheck(createLoaders(app.database.db), viewer(user), sourceId)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(sourceOfExternalFactCheck(createLoaders(app.database.db), null, sourceId)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  test('the metrics count fetches by outcome and items imported, and show each feed’s last success', async () => {
    const url = serve(() => ({ headers: JSON_TYPE, body: JSON.stringify([claimReview(701), claimReview(702)]) }));
    const source = await createSource(app, desk.editor.token, { url });
    const before = await scrapeMetrics(app.url);
    const count = (scrape: typeof before, name: string, labels: Record<string, string>) => scrape.value(name, labels) ?? 0;
    await fetchSource(app, desk.editor.token, source.id);
    const failing = await createSource(app, desk.editor.token, { url: serve(() => ({ status: 503 })) });
    await fetchSource(app, desk.editor.token, failing.id);
    const after = await scrapeMetrics(app.url);
    expect(count(after, 'external_source_fetches_total', { outcome: 'success' }) - count(before, 'external_source_fetches_total', { outcome: 'success' })).toBe(
      1,
    );
    expect(count(after, 'external_source_fetches_total', { outcome: 'error' }) - count(before, 'external_source_fetches_total', { outcome: 'error' })).toBe(1);
    expect(
      count(after, 'external_fact_checks_imported_total', { kind: 'created' }) - count(before, 'external_fact_checks_imported_total', { kind: 'created' }),
    ).toBe(2);
    const lastSuccess = after.value('external_source_last_success_timestamp_seconds', { source_id: source.id });
    expect(lastSuccess).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(after.value('external_source_last_success_timestamp_seconds', { source_id: failing.id })).toBeUndefined();
  });
});

describe('in production: the SSRF rules of webhooks', () => {
  let prod: TestApp;
  let prodDesk: Desk;
  let trusted: FeedServer;
  beforeAll(async () => {
    // An operator's own feed server is trusted by origin; everything it redirects to is checked.
    trusted = await startFeedServer((request) =>
      request.path === '/to-loopback' ? { status: 302, headers: { location: feed.url('/feeds/anything.json') } } : { status: 404 },
    );
    ({ app: prod, desk: prodDesk } = await startDeskApp({ NODE_ENV: 'production', EXTERNAL_SOURCES_TRUSTED_ORIGINS: [trusted.origin] as never }));
  });
  afterAll(async () => {
    await prod?.stop();
    await trusted?.stop();
  });

  test('a feed on a loopback, private or link-local address is refused', async () => {
    for (const url of [
      feed.url('/x.json'),
      'http://10.0.0.7/feed.json',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]:8080/feed',
      'http://localhost/feed',
    ]) {
      const response = await prod.gql(S.create, { i: { name: 'Inside', url } }, prodDesk.editor.token);
      expect(codes(response), url).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.extensions!.field).toBe('url');
      expect(response.errors![0]!.message).toMatch(/not a public address|does not resolve/);
    }
  });

  test('a redirect to a loopback address is refused', async () => {
    const source = await createSource(prod, prodDesk.editor.token, { url: `${trusted.origin}/to-loopback` });
    const refused = await fetchSource(prod, prodDesk.editor.token, source.id);
    expect(refused.report).toBeNull();
    expect(refused.source.lastError).toMatch(/refused: 127\.0\.0\.1 resolves to 127\.0\.0\.1, which is not a public address/);
    expect(feed.requests.some((r) => r.path === '/feeds/anything.json')).toBe(false);
  });
});

describe('the fetch job', () => {
  let jobApp: TestApp;
  let jobDesk: Desk;
  let clockFolder: string;
  let clockFile: string;
  const moveClock = (minutes: number) => writeFileSync(clockFile, String(minutes * 60_000));
  beforeAll(async () => {
    clockFolder = mkdtempSync(join(tmpdir(), 'feed-clock-'));
    clockFile = join(clockFolder, 'offset');
    moveClock(0);
    ({ app: jobApp, desk: jobDesk } = await startDeskApp({ EXTERNAL_SOURCES_CLOCK_FILE: clockFile }, { feedFetcher: { pollMs: 100 } }));
  });
  afterAll(async () => {
    await jobApp?.stop();
    rmSync(clockFolder, { recursive: true, force: true });
  });

  const sourceNow = async (id: string) =>
    ok(await jobApp.gql(S.node.replace('name', 'name lastFetchedAt lastError factCheckCount'), { id }, jobDesk.editor.token)).node;

  test('a new feed is fetched by the job at once, then again only once its interval has passed', async () => {
    let offset = 0;
    const url = serve(() => ({ headers: JSON_TYPE, body: dataFeed([claimReview(801), claimReview(802)]) }));
    const source = await createSource(jobApp, jobDesk.editor.token, { url, intervalMinutes: 5 });
    const fetched = await eventually(
      () => sourceNow(source.id),
      (s) => s.lastFetchedAt !== null,
    );
    expect(fetched).toMatchObject({ lastError: null, factCheckCount: 2 });
    await delay(800);
    expect(requestsTo(url)).toHaveLength(1);

    moveClock((offset += 4));
    await delay(800);
    expect(requestsTo(url)).toHaveLength(1);
    moveClock((offset += 1.1));
    await eventually(
      async () => requestsTo(url).length,
      (n) => n === 2,
    );
    await delay(800);
    expect(requestsTo(url)).toHaveLength(2);
  });

  test('a disabled feed is not fetched; enabled again, it is fetched when due', async () => {
    const url = serve(() => ({ headers: JSON_TYPE, body: JSON.stringify(claimReview(901)) }));
    const source = await createSource(jobApp, jobDesk.editor.token, { url, intervalMinutes: 5 });
    await eventually(
      async () => requestsTo(url).length,
      (n) => n === 1,
    );
    ok(await jobApp.gql(S.update, { i: { sourceId: source.id, enabled: false } }, jobDesk.editor.token));
    const offset = Number(readFileSync(clockFile, 'utf8'));
    writeFileSync(clockFile, String(offset + 6 * 60_000));
    await delay(800);
    expect(requestsTo(url)).toHaveLength(1);
    ok(await jobApp.gql(S.update, { i: { sourceId: source.id, enabled: true } }, jobDesk.editor.token));
    await eventually(
      async () => requestsTo(url).length,
      (n) => n === 2,
    );
  });

  test("a crashed process's lease keeps others off the feed until it runs out", async () => {
    const url = serve(() => ({ headers: JSON_TYPE, body: JSON.stringify(claimReview(1_001)) }));
    const source = await createSource(jobApp, jobDesk.editor.token, { url, intervalMinutes: 5 });
    await eventually(
      async () => requestsTo(url).length,
      (n) => n === 1,
    );
    // A process that took the lease and died: due, leased for another minute (on the feeds' clock).
    const offset = Number(readFileSync(clockFile, 'utf8'));
    await jobApp.database.db
      .update(externalSources)
      .set({
        leaseOwner: 'crashed-process/1',
        leaseExpiresAt: sql`now() + interval '1 millisecond' * ${offset + 60_000}::float8`,
        nextFetchAt: sql`now() + interval '1 millisecond' * ${offset - 60_000}::float8`,
      })
      .where(eq(externalSources.id, rowId(source.id)));
    await delay(800);
    expect(requestsTo(url)).toHaveLength(1);
    writeFileSync(clockFile, String(offset + 2 * 60_000));
    await eventually(
      async () => requestsTo(url).length,
      (n) => n === 2,
    );
    await eventually(
      async () =>
        (
          await jobApp.database.db
            .select()
            .from(externalSources)
            .where(eq(externalSources.id, rowId(source.id)))
        )[0]!.leaseOwner,
      (owner) => owner === null,
    );
    expect(await sourceNow(source.id)).toMatchObject({ lastError: null, factCheckCount: 1 });
  });

  test('fetchExternalSource while the job holds the lease waits for that fetch and answers its result', async () => {
    let hold = false;
    let version = 1;
    const url = serve(() => (hold ? { hang: true } : { headers: JSON_TYPE, body: dataFeed([claimReview(1_100 + version)]) }));
    const source = await createSource(jobApp, jobDesk.editor.token, { url, intervalMinutes: 5 });
    await eventually(
      async () => requestsTo(url).length,
      (n) => n === 1,
    );
    await eventually(
      () => sourceNow(source.id),
      (s) => s.lastFetchedAt !== null,
    );
    hold = true;
    version = 2;
    const offset = Number(readFileSync(clockFile, 'utf8'));
    writeFileSync(clockFile, String(offset + 6 * 60_000));
    await eventually(
      async () => requestsTo(url).length,
      (n) => n === 2,
    );
    // The job's fetch hangs at the publisher; the mutation must wait for it rather than fetch again.
    const answer = fetchSource(jobApp, jobDesk.editor.token, source.id);
    await delay(500);
    expect(requestsTo(url)).toHaveLength(2);
    hold = false;
    feed.release({ headers: JSON_TYPE, body: dataFeed([claimReview(1_100 + version)]) });
    const { source: after, report } = await answer;
    expect(requestsTo(url)).toHaveLength(2);
    expect(report).toEqual({ created: 1, updated: 0, unchanged: 0, skipped: [] });
    expect(after).toMatchObject({ lastError: null, factCheckCount: 2 });
  });
});
