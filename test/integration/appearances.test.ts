/**
 * Where a claim appeared (addClaimAppearance) and "is this link fact-checked?"
 * (factChecks(filter: { appearanceUrl }), GET /v1alpha1/claims:search?url=), through the API.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { articles } from '../../src/db/schema.js';
import { seedsFolder } from '../../src/paths.js';
import { codes, ok, type TestApp } from '../support/app.js';
import { createClaim, ingestArticle, SEED_BODY, startDeskApp, type Desk } from '../support/factories.js';
import { claimState, mutate } from '../support/workflow.js';
import { changesOnceListed, createEndpoint, deliveriesOf, publish, W } from '../support/webhooks.js';

const ADD = `mutation($i: AddClaimAppearanceInput!) { addClaimAppearance(input: $i) { claim { id status version
  appearances { url appearedAt archivedUrl firstAppearance } } } }`;
const FACT_CHECK = `query($id: ID!) { factCheck(id: $id) { id rating publishedAt updatedAt claimReview corrections { note }
  appearances { url appearedAt archivedUrl firstAppearance } } }`;
const LOOKUP = 'query($url: URL!) { factChecks(filter: { appearanceUrl: $url }) { totalCount edges { node { id claimReviewed } } } }';

const SEED_URL: string = JSON.parse(readFileSync(join(seedsFolder, 'demo.json'), 'utf8')).article.url;
const QUOTE = 'has been routinely hijacked by Hamas terrorists';

let app: TestApp;
let desk: Desk;
beforeAll(async () => {
  ({ app, desk } = await startDeskApp());
});
afterAll(() => app?.stop());

const add = (token: string, input: Record<string, unknown>) => app.gql(ADD, { i: input }, token);
const added = async (token: string, input: Record<string, unknown>) => ok(await add(token, input)).addClaimAppearance.claim;

/** A claim of a new article, reviewer1 ACTIVE on it: IN_REVIEW. */
async function claimInReview(url?: string) {
  const article = await ingestArticle(app, desk.editor.token, url ? { url } : {});
  const claim = await createClaim(app, desk.editor.token, { articleId: article.id, quote: QUOTE, statement: 'Hamas routinely hijacks aid.' });
  ok(await mutate(app, desk.editor.token, 'assign', { claimId: claim.id, reviewerIds: [desk.reviewer1.globalId] }));
  return { claimId: claim.id, articleUrl: article.url };
}

/** As above, then reviewed and published. */
async function publishedClaim(url?: string) {
  const { claimId, articleUrl } = await claimInReview(url);
  ok(await mutate(app, desk.reviewer1.token, 'verdict', { claimId, rating: 'FALSE', confidence: 'HIGH', rationale: 'UN data shows no systematic hijacking.' }));
  const { factCheck } = await publish(app, desk, claimId);
  return { claimId, factCheckId: factCheck.id, articleUrl };
}

describe('addClaimAppearance', () => {
  test('ordering: the first appearance first, then by when, undated last, then as recorded; one ClaimEvent and version + 1 each', async () => {
    const { claimId } = await claimInReview();
    const before = await claimState(app, desk.editor.token, claimId);
    await added(desk.editor.token, { claimId, url: 'https://social.example/a', appearedAt: '2024-06-25T08:00:00Z' });
    await added(desk.reviewer1.token, { claimId, url: 'https://social.example/undated-1' });
    await added(desk.editor.token, { claimId, url: 'https://social.example/c', appearedAt: '2024-06-20T08:00:00Z', archivedUrl: 'https://archive.example/c' });
    await added(desk.editor.token, { claimId, url: 'https://social.example/undated-2' });
    const claim = await added(desk.editor.token, { claimId, url: 'https://video.example/d', appearedAt: '2024-06-30T08:00:00Z', firstAppearance: true });
    expect(claim.appearances.map((a: { url: string }) => a.url)).toEqual([
      'https://video.example/d',
      'https://social.example/c',
      'https://social.example/a',
      'https://social.example/undated-1',
      'https://social.example/undated-2',
    ]);
    expect(claim.appearances.map((a: { firstAppearance: boolean }) => a.firstAppearance)).toEqual([true, false, false, false, false]);
    expect(claim.appearances[1]).toEqual({
      url: 'https://social.example/c',
      appearedAt: '2024-06-20T08:00:00.000Z',
      archivedUrl: 'https://archive.example/c',
      firstAppearance: false,
    });
    expect(claim.status).toBe('IN_REVIEW');
    const after = await claimState(app, desk.editor.token, claimId);
    expect(after.version).toBe(before.version + 5);
    const events = after.history.slice(before.history.length);
    expect(events.map((e) => [e.type, e.fromStatus, e.toStatus, e.actor.name])).toEqual([
      ['APPEARANCE_ADDED', 'IN_REVIEW', 'IN_REVIEW', 'Erin Editor'],
      ['APPEARANCE_ADDED', 'IN_REVIEW', 'IN_REVIEW', 'Rafael Reviewer'],
      ['APPEARANCE_ADDED', 'IN_REVIEW', 'IN_REVIEW', 'Erin Editor'],
      ['APPEARANCE_ADDED', 'IN_REVIEW', 'IN_REVIEW', 'Erin Editor'],
      ['APPEARANCE_ADDED', 'IN_REVIEW', 'IN_REVIEW', 'Erin Editor'],
    ]);
    expect(events.at(-1)!.note).toBe('First appeared at https://video.example/d');
  });

  test('a URL already recorded (after normalisation), or the source article, is a no-op: no event, the same version', async () => {
    const { claimId, articleUrl } = await claimInReview();
    const first = await added(desk.editor.token, { claimId, url: 'https://social.example/post/1?b=2&a=1' });
    for (const url of [
      'HTTPS://Social.EXAMPLE:443/post/1/?a=1&utm_source=share&b=2&fbclid=xyz#comments',
      'https://social.example/post/1?a=1&b=2',
      `${articleUrl}?utm_medium=email`,
    ]) {
      const again = await added(desk.reviewer1.token, { claimId, url, appearedAt: '2020-01-01T00:00:00Z' });
      expect(again.version).toBe(first.version);
      expect(again.appearances).toEqual(first.appearances);
    }
    expect((await claimState(app, desk.editor.token, claimId)).history).toHaveLength(first.version);
    // A different path, or another parameter value, is another page.
    expect((await added(desk.editor.token, { claimId, url: 'https://social.example/post/2?a=1&b=2' })).version).toBe(first.version + 1);
    expect((await added(desk.editor.token, { claimId, url: 'https://social.example/post/1?a=1&b=3' })).version).toBe(first.version + 2);
  });

  test('the same link recorded by several requests at once: one appearance, one event (the claim lock serialises them)', async () => {
    const { claimId } = await claimInReview();
    const { version } = await claimState(app, desk.editor.token, claimId);
    const urls = [
      'https://Social.example/race',
      'https://social.example/race/',
      'https://social.example/race?utm_source=a',
      'https://social.example/race#x',
      'https://social.example/race',
      'https://social.example/race?fbclid=1',
    ];
    const responses = await Promise.all(urls.map((url, i) => add(i % 2 ? desk.editor.token : desk.reviewer1.token, { claimId, url, firstAppearance: true })));
    for (const response of responses) expect(response.errors).toBeUndefined();
    const state = await claimState(app, desk.editor.token, claimId);
    expect(state.version).toBe(version + 1);
    expect(state.history.filter((e) => e.type === 'APPEARANCE_ADDED')).toHaveLength(1);
    const claim = ok(await app.gql('query($id: ID!) { claim(id: $id) { appearances { url firstAppearance } } }', { id: claimId }, desk.editor.token)).claim;
    expect(claim.appearances).toHaveLength(1);
    expect(claim.appearances[0].firstAppearance).toBe(true);
  });

  test('marking a first appearance moves the mark: at most one per claim, also onto one already recorded', async () => {
    const { claimId } = await claimInReview();
    await added(desk.editor.token, { claimId, url: 'https://one.example/', firstAppearance: true });
    let claim = await added(desk.editor.token, { claimId, url: 'https://two.example/', firstAppearance: true });
    expect(claim.appearances.filter((a: any) => a.firstAppearance).map((a: any) => a.url)).toEqual(['https://two.example/']);
    // Recorded already, not first: the mark moves there (one event); asked again, nothing changes.
    claim = await added(desk.editor.token, { claimId, url: 'https://one.example', firstAppearance: true });
    expect(claim.appearances.map((a: any) => [a.url, a.firstAppearance])).toEqual([
      ['https://one.example/', true],
      ['https://two.example/', false],
    ]);
    const again = await added(desk.editor.token, { claimId, url: 'https://one.example/#top', firstAppearance: true });
    expect(again.version).toBe(claim.version);
    const history = (await claimState(app, desk.editor.token, claimId)).history;
    expect(history.at(-1)).toMatchObject({ type: 'APPEARANCE_ADDED', note: 'First appearance: https://one.example' });
  });

  test('permissions, the expectedVersion guard, DISMISSED and bad input; a refusal changes nothing', async () => {
    const { claimId } = await claimInReview();
    const { version } = await claimState(app, desk.editor.token, claimId);
    const input = { claimId, url: 'https://elsewhere.example/x' };
    expect(codes(await add(desk.reviewer2.token, input))).toEqual(['FORBIDDEN']); // not assigned to it
    expect(codes(await add(desk.partner.token, input))).toEqual(['FORBIDDEN']);
    expect(codes(await app.gql(ADD, { i: input }, null))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await add(desk.editor.token, { ...input, expectedVersion: version - 1 }))).toEqual(['CONFLICT']);
    // Refused by the URL scalar (variable coercion: no field), or by the domain, naming the field.
    for (const bad of [{ url: 'ftp://elsewhere.example/x' }, { archivedUrl: 'javascript:alert(1)' }]) {
      expect(codes(await add(desk.editor.token, { ...input, ...bad }))).toEqual(['BAD_USER_INPUT']);
    }
    for (const [field, bad] of [
      ['url', { url: `https://e.example/${'x'.repeat(2100)}` }],
      ['archivedUrl', { archivedUrl: `https://e.example/${'é'.repeat(1100)}` }],
      ['appearedAt', { appearedAt: '0000-01-01T00:00:00Z' }],
    ] as const) {
      const response = await add(desk.editor.token, { ...input, ...bad });
      expect(codes(response), field).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.extensions!.field).toBe(field);
    }
    expect((await claimState(app, desk.editor.token, claimId)).version).toBe(version);
    expect((await added(desk.editor.token, { ...input, expectedVersion: version })).version).toBe(version + 1);

    ok(await mutate(app, desk.editor.token, 'dismiss', { claimId, reason: 'Not checkable.' }));
    const dismissed = await add(desk.editor.token, { claimId, url: 'https://elsewhere.example/y' });
    expect(codes(dismissed)).toEqual(['CONFLICT']);
    expect(dismissed.errors![0]!.message).toContain('DISMISSED');
    const state = await claimState(app, desk.editor.token, claimId);
    expect(state.version).toBe(version + 2);
  });
});

describe('on a published claim', () => {
  test('ClaimReview, updatedAt and partners: an update, not a correction (FACT_CHECK_UPDATED, change feed UPDATED)', async () => {
    const { claimId, factCheckId, articleUrl } = await publishedClaim();
    const endpoint = await createEndpoint(app, desk.partner.token, 'https://partner.example/hook', ['FACT_CHECK_UPDATED', 'FACT_CHECK_CORRECTED']);
    let cursor: string | null = null;
    for (let more = true; more;) {
      const page: { pageInfo: { endCursor: string; hasNextPage: boolean } } = ok(
        await app.gql(W.changes, { after: cursor, first: 100 }, desk.partner.token),
      ).factCheckChanges;
      [cursor, more] = [page.pageInfo.endCursor, page.pageInfo.hasNextPage];
    }
    const published = ok(await app.gql(FACT_CHECK, { id: factCheckId }, desk.partner.token)).factCheck;
    expect(published.claimReview.itemReviewed.appearance).toEqual({ '@type': 'CreativeWork', url: articleUrl, headline: 'Gallant meets Blinken' });
    expect(published.claimReview.itemReviewed.firstAppearance).toBeUndefined();

    await new Promise((r) => setTimeout(r, 5)); // so that updatedAt can differ from publishedAt by a millisecond
    const claim = await added(desk.editor.token, {
      claimId,
      url: 'https://video.example/clip?utm_campaign=x',
      appearedAt: '2024-06-23T10:00:00Z',
      archivedUrl: 'https://archive.example/clip',
      firstAppearance: true,
    });
    expect(claim.status).toBe('PUBLISHED');
    const updated = ok(await app.gql(FACT_CHECK, { id: factCheckId }, desk.partner.token)).factCheck;
    expect(updated.publishedAt).toBe(published.publishedAt);
    expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(published.updatedAt));
    expect(updated.rating).toBe('FALSE');
    expect(updated.corrections).toEqual([]);
    expect(updated.appearances).toEqual([
      {
        url: 'https://video.example/clip?utm_campaign=x',
        appearedAt: '2024-06-23T10:00:00.000Z',
        archivedUrl: 'https://archive.example/clip',
        firstAppearance: true,
      },
    ]);
    const review = updated.claimReview;
    expect(review.dateModified).toBe(updated.updatedAt);
    expect(review.datePublished).toBe(published.publishedAt);
    const clip = {
      '@type': 'CreativeWork',
      url: 'https://video.example/clip?utm_campaign=x',
      datePublished: '2024-06-23T10:00:00.000Z',
      archivedAt: 'https://archive.example/clip',
    };
    expect(review.itemReviewed.appearance).toEqual([
      { '@type': 'CreativeWork', url: articleUrl, headline: 'Gallant meets Blinken', datePublished: '2024-06-24T20:00:00.000Z' },
      clip,
    ]);
    expect(review.itemReviewed.firstAppearance).toEqual(clip);

    const feed = await changesOnceListed(app, desk.partner.token, cursor);
    expect(feed.edges.map((e: any) => [e.node.type, e.node.factCheckId])).toEqual([['UPDATED', factCheckId]]);
    const { deliveries } = await deliveriesOf(app, desk.partner.token, endpoint.endpoint.id);
    expect(deliveries.map((d) => d.event)).toEqual(['FACT_CHECK_UPDATED']);
    const payload = deliveries[0]!.payload;
    expect(payload.type).toBe('fact_check.updated');
    expect(payload.data.claimVersion).toBe(claim.version);
    expect(payload.data.factCheck).toMatchObject({ id: factCheckId, rating: 'FALSE', publishedAt: published.publishedAt, updatedAt: updated.updatedAt });
    expect(payload.data.factCheck.claimReview).toEqual(review);

    // A no-op tells nobody anything.
    await added(desk.editor.token, { claimId, url: 'https://video.example/clip' });
    expect(ok(await app.gql(W.changes, { after: feed.pageInfo.endCursor, first: 100 }, desk.partner.token)).factCheckChanges.edges).toEqual([]);
    expect((await deliveriesOf(app, desk.partner.token, endpoint.endpoint.id)).deliveries).toHaveLength(1);
  });

  test('the public page and its JSON-LD list the appearances', async () => {
    const { claimId, factCheckId } = await publishedClaim();
    await added(desk.editor.token, { claimId, url: 'https://social.example/p?q=<b>&x="1"', appearedAt: '2024-06-22T00:00:00Z', firstAppearance: true });
    await added(desk.editor.token, { claimId, url: 'https://blog.example/repeat', archivedUrl: 'https://archive.example/repeat' });
    const page = await fetch(`${app.url}/fact-checks/${factCheckId}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<h2>Where the claim also appeared</h2>');
    expect(html).toContain('<a href="https://social.example/p?q=&#60;b&#62;&#38;x=&#34;1&#34;" rel="nofollow noopener">');
    expect(html).toContain('<time datetime="2024-06-22T00:00:00.000Z">2024-06-22</time> (first appearance)');
    expect(html).toContain('<a href="https://archive.example/repeat" rel="nofollow noopener">archived copy</a>');
    expect(html.indexOf('social.example/p')).toBeLessThan(html.indexOf('blog.example/repeat'));
    expect(html).toMatch(/published <time[^>]*>[^<]*<\/time>, updated <time/);
    const graphql = ok(await app.gql(FACT_CHECK, { id: factCheckId }, desk.partner.token)).factCheck.claimReview;
    const jsonLd = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!);
    expect(jsonLd).toEqual(graphql);
    expect(await (await fetch(`${app.url}/fact-checks/${factCheckId}.jsonld`)).json()).toEqual(graphql);
    expect(graphql.itemReviewed.appearance.map((a: any) => a.url)).toEqual([
      expect.any(String),
      'https://social.example/p?q=<b>&x="1"',
      'https://blog.example/repeat',
    ]);
  });
});

describe('is this link fact-checked?', () => {
  let seedFactCheckId: string;
  let seedClaimId: string;
  beforeAll(async () => {
    ({ factCheckId: seedFactCheckId, claimId: seedClaimId } = await publishedClaim(SEED_URL));
  });

  const lookup = async (url: string, token = desk.partner.token) => ok(await app.gql(LOOKUP, { url }, token)).factChecks;
  const rest = async (url: string) => {
    const response = await fetch(`${app.url}/v1alpha1/claims:search?url=${encodeURIComponent(url)}`, {
      headers: { authorization: `Bearer ${desk.partner.token}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { claims?: { text: string; claimReview: { url: string }[] }[] };
  };

  test("the seed article's URL with a utm_source and a fragment finds its fact check; a different path does not", async () => {
    const found = await lookup(`${SEED_URL}?utm_source=newsletter#what-was-said`);
    expect(found.totalCount).toBe(1);
    expect(found.edges.map((e: any) => e.node.id)).toEqual([seedFactCheckId]);
    for (const variant of [
      SEED_URL.replace('https://news.example', 'HTTPS://NEWS.Example:443') + '/',
      `${SEED_URL}?fbclid=abc&gclid=def&mc_eid=1&utm_medium=social`,
    ]) {
      expect((await lookup(variant)).edges.map((e: any) => e.node.id)).toEqual([seedFactCheckId]);
    }
    for (const other of [`${SEED_URL}-2`, SEED_URL.replace('/2024/06/24/', '/2024/06/25/'), `${SEED_URL}?page=2`, SEED_URL.replace('https:', 'http:')]) {
      expect(await lookup(other)).toEqual({ totalCount: 0, edges: [] });
    }
  });

  test('a recorded appearance finds the fact check too; unpublished and retracted claims are not found', async () => {
    await added(desk.editor.token, { claimId: seedClaimId, url: 'https://social.example/status/42?lang=en&ref=x' });
    const found = await lookup('https://SOCIAL.example/status/42/?utm_source=a&ref=x&lang=en#reply');
    expect(found.edges.map((e: any) => e.node.id)).toEqual([seedFactCheckId]);
    // The same link recorded for a second, published claim: both fact checks, newest first.
    const second = await publishedClaim();
    await added(desk.editor.token, { claimId: second.claimId, url: 'https://social.example/status/42?ref=x&lang=en' });
    expect((await lookup('https://social.example/status/42?lang=en&ref=x')).edges.map((e: any) => e.node.id)).toEqual([second.factCheckId, seedFactCheckId]);
    // Combined with other filters and with search.
    const filtered = ok(
      await app.gql(
        'query($url: URL!) { factChecks(filter: { appearanceUrl: $url, search: "hijacks", rating: [FALSE] }) { totalCount edges { node { id } } } }',
        { url: 'https://social.example/status/42?lang=en&ref=x' },
        desk.partner.token,
      ),
    ).factChecks;
    expect(filtered.edges.map((e: any) => e.node.id).sort()).toEqual([second.factCheckId, seedFactCheckId].sort());
    expect(
      ok(
        await app.gql(
          'query($url: URL!) { factChecks(filter: { appearanceUrl: $url, rating: [TRUE] }) { totalCount } }',
          { url: 'https://social.example/status/42?lang=en&ref=x' },
          desk.partner.token,
        ),
      ).factChecks.totalCount,
    ).toBe(0);

    const unpublished = await claimInReview();
    await added(desk.editor.token, { claimId: unpublished.claimId, url: 'https://only-unpublished.example/post' });
    expect((await lookup('https://only-unpublished.example/post')).totalCount).toBe(0);
    ok(await mutate(app, desk.editor.token, 'dismiss', { claimId: second.claimId, reason: 'Retracted.' }));
    expect((await lookup('https://social.example/status/42?lang=en&ref=x')).edges.map((e: any) => e.node.id)).toEqual([seedFactCheckId]);
  });

  test('REST: GET /v1alpha1/claims:search?url= (our extension) answers the same', async () => {
    const found = await rest(`${SEED_URL}?utm_source=newsletter#what-was-said`);
    expect(found.claims?.map((c) => c.claimReview[0]!.url)).toEqual([`https://factcheck.test/fact-checks/${seedFactCheckId}`]);
    expect(found.claims![0]!.text).toBe('Hamas routinely hijacks aid.');
    expect(await rest(`${SEED_URL}-2`)).toEqual({});
    const bad = await fetch(`${app.url}/v1alpha1/claims:search?url=ftp%3A%2F%2Fx`, { headers: { authorization: `Bearer ${desk.partner.token}` } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/\burl\b/);
  });

  test('bad input is BAD_USER_INPUT', async () => {
    expect(codes(await app.gql(LOOKUP, { url: 'mailto:someone@example.org' }, desk.partner.token))).toEqual(['BAD_USER_INPUT']);
    const long = await app.gql(LOOKUP, { url: `https://e.example/${'x'.repeat(2100)}` }, desk.partner.token);
    expect(codes(long)).toEqual(['BAD_USER_INPUT']);
    expect(long.errors![0]!.extensions!.field).toBe('filter.appearanceUrl');
  });

  test('an article written without ingestArticle is normalised at the next start (migrate) and then found', async () => {
    const n = Date.now();
    const [row] = await app.database.db
      .insert(articles)
      .values({ url: `https://Bulk.Example:443/loaded/${n}/?utm_source=x`, title: 'Bulk', body: SEED_BODY, ingestedBy: desk.editor.id })
      .returning();
    expect(row!.urlNormalized).toBeNull();
    await app.database.migrate();
    const [after] = await app.database.db.select({ urlNormalized: articles.urlNormalized }).from(articles).where(eq(articles.id, row!.id));
    expect(after!.urlNormalized).toBe(`https://bulk.example/loaded/${n}`);
    const unnormalized = await app.database.db.select({ id: articles.id }).from(articles).where(isNull(articles.urlNormalized));
    expect(unnormalized).toEqual([]);
  });
});
