import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, ok, TEST_SITE, type TestApp } from '../support/app.js';
import { createClaim, ingestArticle, type Desk, startDeskApp } from '../support/factories.js';
import { mutate } from '../support/workflow.js';

let app: TestApp;
let desk: Desk;

/** Takes a claim through review to publication; returns the claim and fact check IDs. */
async function publishClaim(articleId: string, quote: string, rating: string, summary: string, statement?: string) {
  const claim = await createClaim(app, desk.editor.token, { articleId, quote, statement });
  ok(await mutate(app, desk.editor.token, 'assign', { claimId: claim.id, reviewerIds: [desk.reviewer1.globalId] }));
  ok(await mutate(app, desk.reviewer1.token, 'verdict', { claimId: claim.id, rating, confidence: 'HIGH', rationale: 'Reviewed.' }));
  const published = ok(await mutate(app, desk.editor.token, 'publish', { claimId: claim.id, rating, summary })).publishFactCheck;
  return { claimId: claim.id as string, factCheckId: published.factCheck.id as string };
}

const SEARCH = `query($filter: FactCheckFilter, $first: Int, $after: String) {
  factChecks(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id claimReviewed rating } } }
}`;
const search = async (filter: Record<string, unknown>, first = 20, after?: string) =>
  ok(await app.gql(SEARCH, { filter, first, after }, desk.partner.token)).factChecks;

let hijacked: { claimId: string; factCheckId: string };
let seedArticleUrl: string;
let germanFactCheckId: string;

beforeAll(async () => {
  ({ app, desk } = await startDeskApp());
  const seed = await ingestArticle(app, desk.editor.token, { url: 'https://news.example/gallant-blinken', publishedAt: '2024-06-24T20:00:00Z' });
  seedArticleUrl = seed.url;
  hijacked = await publishClaim(
    seed.id,
    'has been routinely hijacked by Hamas terrorists',
    'MISLEADING',
    'UN agencies report isolated diversions of aid, not routine hijacking.',
    'Aid to Gaza civilians has been routinely hijacked by Hamas.',
  );
  const other = await ingestArticle(app, desk.editor.token, {
    url: 'https://news.example/economy',
    body: 'The minimum wage rose by 40% last year. Unemployment fell to a record low of 2%.',
  });
  await publishClaim(other.id, 'The minimum wage rose by 40% last year.', 'FALSE', 'Official statistics show a 7% rise in the minimum wage.');
  await publishClaim(other.id, 'Unemployment fell to a record low of 2%.', 'MOSTLY_TRUE', 'Unemployment fell to 2.1%, a record low.');
  const german = await ingestArticle(app, desk.editor.token, {
    url: 'https://news.example/de',
    body: 'Die Hilfslieferungen wurden regelmäßig geplündert.',
    language: 'de',
  });
  germanFactCheckId = (
    await publishClaim(german.id, 'Die Hilfslieferungen wurden regelmäßig geplündert.', 'UNPROVEN', 'Dafür gibt es keine belastbaren Belege.')
  ).factCheckId;
});
afterAll(() => app?.stop());

describe('factChecks for partners', () => {
  test('the published claim is found with "hijacking aid" (stemmed), first by relevance', async () => {
    const result = await search({ search: 'hijacking aid' });
    expect(result.totalCount).toBe(1);
    expect(result.edges[0].node).toMatchObject({ id: hijacked.factCheckId, rating: 'MISLEADING' });
    expect((await search({ search: 'hijacked "Hamas"' })).edges.map((e: any) => e.node.id)).toEqual([hijacked.factCheckId]);
    expect((await search({ search: 'hijacking -aid' })).totalCount).toBe(0);
  });

  test('filters: rating, article URL, language, published window', async () => {
    expect((await search({ search: 'hijacking aid', rating: ['FALSE', 'TRUE'] })).totalCount).toBe(0);
    expect((await search({ search: 'hijacking aid', rating: ['MISLEADING'] })).totalCount).toBe(1);
    expect((await search({ articleUrl: seedArticleUrl })).edges.map((e: any) => e.node.id)).toEqual([hijacked.factCheckId]);
    expect((await search({ language: 'de' })).edges.map((e: any) => e.node.id)).toEqual([germanFactCheckId]);
    expect((await search({ search: 'geplündert', language: 'de' })).totalCount).toBe(1);
    expect((await search({ publishedAfter: '2100-01-01T00:00:00Z' })).totalCount).toBe(0);
    expect((await search({ publishedBefore: '2000-01-01T00:00:00Z' })).totalCount).toBe(0);
    expect((await search({})).totalCount).toBe(4);
  });

  test('newest first without search; pages are disjoint and complete', async () => {
    const all = await search({}, 100);
    const paged: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await search({}, 1, after);
      paged.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(all.edges.map((e: any) => e.node.id));
    expect(all.edges.at(-1).node.id).toBe(hijacked.factCheckId);
  });

  test('paging by relevance visits every match once, in rank order', async () => {
    const article = await ingestArticle(app, desk.editor.token, {
      url: 'https://news.example/wages',
      body: 'Wages rose. Wages and wage growth rose again. The wage gap and wages and wage policy. Prices rose too.',
    });
    for (const quote of ['Wages rose.', 'Wages and wage growth rose again.', 'The wage gap and wages and wage policy.']) {
      await publishClaim(article.id, quote, 'TRUE', `About ${quote.toLowerCase()}`);
    }
    const all = (await search({ search: 'wage' }, 100)).edges.map((e: any) => e.node.id);
    expect(all.length).toBeGreaterThanOrEqual(4);
    const paged: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await search({ search: 'wage' }, 1, after);
      paged.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(all);
  });

  test('reopened: still visible; dismissed: gone from search, factCheck(id), the page and the REST search', async () => {
    const article = await ingestArticle(app, desk.editor.token, { url: 'https://news.example/ferries', body: 'Ferries carried 9 million passengers.' });
    const { claimId, factCheckId } = await publishClaim(
      article.id,
      'Ferries carried 9 million passengers.',
      'MOSTLY_TRUE',
      'Close: 8.7 million ferry passengers.',
    );
    ok(await mutate(app, desk.editor.token, 'reopen', { claimId, reason: 'New figures.' }));
    expect((await search({ search: 'ferry passengers' })).totalCount).toBe(1);
    expect((await fetch(`${app.url}/fact-checks/${factCheckId}`)).status).toBe(200);
    ok(await mutate(app, desk.editor.token, 'dismiss', { claimId, reason: 'Out of scope.' }));
    expect((await search({ search: 'ferry passengers' })).totalCount).toBe(0);
    expect(ok(await app.gql('query($id: ID!) { factCheck(id: $id) { id } }', { id: factCheckId }, desk.partner.token)).factCheck).toBeNull();
    expect(ok(await app.gql('query($id: ID!) { node(id: $id) { id } }', { id: factCheckId }, desk.partner.token)).node).toBeNull();
    expect((await fetch(`${app.url}/fact-checks/${factCheckId}`)).status).toBe(404);
    expect(await (await fetch(`${app.url}/v1alpha1/claims:search?query=ferry&key=${desk.partner.token}`)).text()).toBe('{}');
  });

  test('published, then dismissed in one step: gone from factChecks, factCheck(id), node(id), the page, its JSON-LD and the REST search', async () => {
    const article = await ingestArticle(app, desk.editor.token, {
      url: 'https://news.example/lighthouse',
      body: 'The lighthouse keeper counted 412 shipwrecks.',
    });
    const { claimId, factCheckId } = await publishClaim(
      article.id,
      'The lighthouse keeper counted 412 shipwrecks.',
      'FALSE',
      'Port records list 41 shipwrecks.',
    );
    const rest = async () =>
      (await (await fetch(`${app.url}/v1alpha1/claims:search?query=shipwrecks&key=${desk.partner.token}`)).json()) as { claims?: { text: string }[] };
    const listed = async () => (await search({}, 100)).edges.map((e: any) => e.node.id);
    // Visible everywhere first, so that each check below can fail.
    expect(await listed()).toContain(factCheckId);
    expect((await search({ search: 'shipwrecks' })).totalCount).toBe(1);
    expect((await rest()).claims?.map((c) => c.text)).toEqual(['The lighthouse keeper counted 412 shipwrecks.']);
    expect((await fetch(`${app.url}/fact-checks/${factCheckId}`)).status).toBe(200);
    expect((await fetch(`${app.url}/fact-checks/${factCheckId}.jsonld`)).status).toBe(200);
    const before = (await search({}, 100)).totalCount;

    const dismissed = ok(await mutate(app, desk.editor.token, 'dismiss', { claimId, reason: 'Retracted: wrong port records.' })).dismissClaim.claim;
    expect(dismissed.status).toBe('DISMISSED');
    expect(await listed()).not.toContain(factCheckId);
    expect((await search({}, 100)).totalCount).toBe(before - 1);
    expect((await search({ search: 'shipwrecks' })).totalCount).toBe(0);
    expect(ok(await app.gql('query($id: ID!) { factCheck(id: $id) { id } }', { id: factCheckId }, desk.partner.token)).factCheck).toBeNull();
    expect(ok(await app.gql('query($id: ID!) { node(id: $id) { id } }', { id: factCheckId }, desk.partner.token)).node).toBeNull();
    expect((await fetch(`${app.url}/fact-checks/${factCheckId}`)).status).toBe(404);
    expect((await fetch(`${app.url}/fact-checks/${factCheckId}.jsonld`)).status).toBe(404);
    expect(await rest()).toEqual({});
  });

  test('partners never see staff data', async () => {
    const viaArticle = await app.gql(
      'query($id: ID!) { factCheck(id: $id) { article { title url claims { totalCount } } } }',
      { id: hijacked.factCheckId },
      desk.partner.token,
    );
    expect(codes(viaArticle)).toEqual(['FORBIDDEN']);
    expect(viaArticle.errors?.[0]?.path).toEqual(['factCheck', 'article', 'claims']);
    const allowed = ok(
      await app.gql('query($id: ID!) { factCheck(id: $id) { article { title url publishedAt } } }', { id: hijacked.factCheckId }, desk.partner.token),
    );
    expect(allowed.factCheck.article.url).toBe(seedArticleUrl);
    expect(codes(await app.gql('{ factChecks { totalCount } }'))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('similarFactChecks', () => {
  test('an editor creating an already-checked claim finds the earlier fact check, most similar first', async () => {
    const article = await ingestArticle(app, desk.editor.token, {
      url: 'https://news.example/repeat',
      body: 'Officials said aid to Gaza civilians has been routinely hijacked by Hamas. The minimum wage rose by 40% last year, they added.',
    });
    const repeat = await createClaim(app, desk.editor.token, { articleId: article.id, quote: 'aid to Gaza civilians has been routinely hijacked by Hamas' });
    const data = ok(
      await app.gql(
        'query($id: ID!) { claim(id: $id) { similarFactChecks(limit: 3) { similarity factCheck { id rating } } } }',
        { id: repeat.id },
        desk.editor.token,
      ),
    );
    const similar = data.claim.similarFactChecks;
    expect(similar[0].factCheck.id).toBe(hijacked.factCheckId);
    expect(similar.length).toBeLessThanOrEqual(3);
    for (const s of similar) {
      expect(s.similarity).toBeGreaterThan(0);
      expect(s.similarity).toBeLessThanOrEqual(1);
    }
    expect(similar.map((s: any) => s.similarity)).toEqual([...similar.map((s: any) => s.similarity)].sort((a, b) => b - a));
    // A published claim does not list its own fact check.
    const own = ok(await app.gql('query($id: ID!) { claim(id: $id) { similarFactChecks { factCheck { id } } } }', { id: hijacked.claimId }, desk.editor.token));
    expect(own.claim.similarFactChecks.map((s: any) => s.factCheck.id)).not.toContain(hijacked.factCheckId);
    const bad = await app.gql('query($id: ID!) { claim(id: $id) { similarFactChecks(limit: 0) { similarity } } }', { id: repeat.id }, desk.editor.token);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'limit' });
  });
});

describe('ClaimReview', () => {
  const CLAIM_REVIEW = 'query($id: ID!) { factCheck(id: $id) { id claimReview publishedAt updatedAt } }';

  test("has every field Google's fact-check markup requires and recommends", async () => {
    const { factCheck } = ok(await app.gql(CLAIM_REVIEW, { id: hijacked.factCheckId }, desk.partner.token));
    const review = factCheck.claimReview;
    // Required: claimReviewed, reviewRating (with alternateName), url. Recommended: author, datePublished, itemReviewed.
    expect(review['@context']).toBe('https://schema.org');
    expect(review['@type']).toBe('ClaimReview');
    expect(review.url).toBe(`${TEST_SITE.PUBLIC_BASE_URL}/fact-checks/${factCheck.id}`);
    expect(review.claimReviewed).toBe('Aid to Gaza civilians has been routinely hijacked by Hamas.');
    expect(review.datePublished).toBe(factCheck.publishedAt);
    expect(review.author).toEqual({ '@type': 'Organization', name: TEST_SITE.ORG_NAME, url: TEST_SITE.ORG_URL });
    expect(review.reviewRating).toEqual({ '@type': 'Rating', alternateName: 'Misleading', ratingValue: 2, bestRating: 5, worstRating: 1 });
    expect(review.itemReviewed['@type']).toBe('Claim');
    expect(review.itemReviewed.author).toMatchObject({ name: expect.any(String) });
    expect(review.itemReviewed.datePublished).toBe('2024-06-24T20:00:00.000Z');
    expect(review.itemReviewed.appearance).toMatchObject({ url: seedArticleUrl });
  });

  test('UNPROVEN carries the textual rating only; a correction moves dateModified', async () => {
    const unproven = ok(await app.gql(CLAIM_REVIEW, { id: germanFactCheckId }, desk.partner.token)).factCheck.claimReview;
    expect(unproven.reviewRating).toEqual({ '@type': 'Rating', alternateName: 'Unproven' });

    const before = ok(await app.gql(CLAIM_REVIEW, { id: hijacked.factCheckId }, desk.editor.token)).factCheck;
    ok(
      await mutate(app, desk.editor.token, 'publish', {
        claimId: hijacked.claimId,
        rating: 'MOSTLY_FALSE',
        summary: 'Revised.',
        correctionNote: 'New UN figures.',
      }),
    );
    const after = ok(await app.gql(CLAIM_REVIEW, { id: hijacked.factCheckId }, desk.editor.token)).factCheck;
    expect(after.claimReview.datePublished).toBe(before.claimReview.datePublished);
    expect(new Date(after.claimReview.dateModified).getTime()).toBeGreaterThan(new Date(before.claimReview.dateModified).getTime());
    expect(after.claimReview.dateModified).toBe(after.updatedAt);
    expect(after.claimReview.reviewRating).toMatchObject({ alternateName: 'Mostly false', ratingValue: 2 });
  });
});

describe('the public fact-check page', () => {
  test('GET /fact-checks/:id is public HTML with the ClaimReview as JSON-LD; .jsonld serves it alone', async () => {
    const { factCheck } = ok(await app.gql('query($id: ID!) { factCheck(id: $id) { claimReview } }', { id: hijacked.factCheckId }, desk.partner.token));
    const page = await fetch(`${app.url}/fact-checks/${hijacked.factCheckId}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    const jsonLd = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)?.[1];
    expect(JSON.parse(jsonLd!)).toEqual(factCheck.claimReview);
    expect(html).toContain('<h1>Aid to Gaza civilians has been routinely hijacked by Hamas.</h1>');
    const ld = await fetch(`${app.url}/fact-checks/${hijacked.factCheckId}.jsonld`);
    expect(ld.headers.get('content-type')).toMatch(/^application\/ld\+json/);
    expect(await ld.json()).toEqual(factCheck.claimReview);
    expect((await fetch(`${app.url}/fact-checks/not-an-id`)).status).toBe(404);
    expect((await fetch(`${app.url}/fact-checks/${Buffer.from('FactCheck:00000000-0000-4000-8000-000000000000').toString('base64url')}.jsonld`)).status).toBe(
      404,
    );
  });

  test('hostile text cannot break out of the page or its JSON-LD', async () => {
    const article = await ingestArticle(app, desk.editor.token, { url: 'https://news.example/xss', body: 'A <b>bold</b> claim.' });
    const summary = '</script><script>alert(1)</script> & "quotes" <img src=x onerror=alert(2)>';
    const { factCheckId } = await publishClaim(article.id, 'A <b>bold</b> claim.', 'FALSE', summary);
    const html = await (await fetch(`${app.url}/fact-checks/${factCheckId}`)).text();
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>bold</b>');
    const scripts = html.match(/<script\b/g) ?? [];
    expect(scripts).toHaveLength(1);
    const jsonLd = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)?.[1];
    expect(JSON.parse(jsonLd!).reviewBody).toBe(summary);
  });
});

describe('Google Fact Check Tools–compatible claims:search', () => {
  const json = async (response: Response | Promise<Response>): Promise<any> => (await response).json();
  const get = (query: string, headers: Record<string, string> = { authorization: `Bearer ${desk.partner.token}` }) =>
    fetch(`${app.url}/v1alpha1/claims:search?${query}`, { headers });

  test('answers in the documented response shape, field by field', async () => {
    const response = await get('query=minimum%20wage&languageCode=en-US');
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(Object.keys(body)).toEqual(['claims']);
    expect(body.claims).toHaveLength(1);
    const [claim] = body.claims;
    expect(Object.keys(claim).sort()).toEqual(['claimDate', 'claimReview', 'text']);
    expect(claim.text).toBe('The minimum wage rose by 40% last year.');
    expect(claim.claimDate).toBe('2024-06-24T20:00:00.000Z');
    expect(claim.claimReview).toHaveLength(1);
    const [review] = claim.claimReview;
    expect(Object.keys(review).sort()).toEqual(['languageCode', 'publisher', 'reviewDate', 'textualRating', 'title', 'url']);
    expect(review.publisher).toEqual({ name: TEST_SITE.ORG_NAME, site: 'desk.test' });
    expect(review.url).toMatch(new RegExp(`^${TEST_SITE.PUBLIC_BASE_URL}/fact-checks/[A-Za-z0-9_-]+$`));
    expect(review.title).toBe('The minimum wage rose by 40% last year.');
    expect(new Date(review.reviewDate).toISOString()).toBe(review.reviewDate);
    expect(review.textualRating).toBe('False');
    expect(review.languageCode).toBe('en');
  });

  test('pageSize and pageToken page through; key= authenticates too; maxAgeDays and publisher filter', async () => {
    const first = await json(get(`query=wage&pageSize=1&key=${desk.partner.token}`, {}));
    expect(first.claims).toHaveLength(1);
    expect(typeof first.nextPageToken).toBe('string');
    const second = await json(get(`query=wage&pageSize=1&pageToken=${first.nextPageToken}`));
    expect(second.claims[0].text).not.toBe(first.claims[0].text);
    expect((await json(get('query=wage&maxAgeDays=1'))).claims.length).toBeGreaterThan(0);
    expect(await json(get('reviewPublisherSiteFilter=nytimes.com'))).toEqual({});
    expect((await json(get('reviewPublisherSiteFilter=desk.test'))).claims.length).toBeGreaterThan(0);
  });

  test('errors use Google’s envelope', async () => {
    const anonymous = await get('query=wage', {});
    expect(anonymous.status).toBe(401);
    expect(await json(anonymous)).toEqual({ error: { code: 401, message: expect.any(String), status: 'UNAUTHENTICATED' } });
    const noQuery = await get('');
    expect(noQuery.status).toBe(400);
    expect((await json(noQuery)).error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect((await get('query=wage&pageSize=1000')).status).toBe(400);
    expect((await get('query=wage&pageToken=garbage!')).status).toBe(400);
    expect((await get(`query=wage&key=fc_revoked-or-unknown`, {})).status).toBe(401);
  });
});
