/**
 * Reading other publishers' fact checks (docs/design.md, Other publishers' fact checks), through the
 * API: externalFactChecks (every filter, search ranking, paging, the link lookup's normalisation,
 * every role), node(id), Claim.relatedFactChecks, and claims:search?includeExternal=true.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, ok, startTestApp, type TestApp } from '../support/app.js';
import { createClaim, createDesk, ingestArticle, type Desk } from '../support/factories.js';
import { mutate } from '../support/workflow.js';
import { EXTERNAL_FIELDS, insertExternalFactChecks, type ExternalFactCheckData } from '../support/external/external-fact-checks.js';
import { toGlobalId } from '../../src/domain/global-ids.js';

const LIST = `query($filter: ExternalFactCheckFilter, $first: Int, $after: String) { externalFactChecks(filter: $filter, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${EXTERNAL_FIELDS} } } } }`;
const NODE = `query($id: ID!) { node(id: $id) { __typename ... on ExternalFactCheck { ${EXTERNAL_FIELDS} } } }`;
const RELATED = `query($id: ID!, $limit: Int) { claim(id: $id) { relatedFactChecks(limit: $limit) { similarity
  item { __typename ... on FactCheck { id claimReviewed } ... on ExternalFactCheck { id claimReviewed publisherName } } } } }`;

let app: TestApp;
let desk: Desk;
const statements: string[] = [];
// Imported a day ago: within claims:search's maxAgeDays=30 whatever the day the test runs.
const T0 = Date.now() - 86_400_000;
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** Every stored review, by a short name. */
const x: Record<string, ExternalFactCheckData> = {};

beforeAll(async () => {
  app = await startTestApp({}, { onQuery: (sql) => statements.push(sql) });
  desk = await createDesk(app.database.db);
  const rows = {
    vaccines: {
      claimReviewed: 'Vaccines cause autism in children',
      publisherName: 'Health Feedback',
      publisherSite: 'https://healthfeedback.org',
      rating: 'FALSE' as const,
      publishedAt: new Date('2025-03-01T00:00:00Z'),
      importedAt: at(1),
      appearanceUrls: ['https://social.example.net/post/1?utm_source=share', 'https://video.example.org/watch?v=abc&list=z'],
    },
    vacunas: {
      claimReviewed: 'Las vacunas causan autismo en los niños',
      publisherName: 'Maldita.es',
      publisherSite: 'https://maldita.es',
      textualRating: 'Falso',
      rating: 'FALSE' as const,
      language: 'es',
      publishedAt: new Date('2025-04-01T00:00:00Z'),
      importedAt: at(2),
      appearanceUrls: ['http://Blog.Example.io/a/b/'],
    },
    senator: {
      claimReviewed: 'A senator said vaccines cause autism',
      claimant: 'Senator Smith',
      publisherName: 'PolitiFact',
      publisherSite: 'https://www.politifact.com',
      textualRating: 'Mostly False',
      rating: 'MOSTLY_FALSE' as const,
      publishedAt: new Date('2025-05-01T00:00:00Z'),
      importedAt: at(3),
      markup: { name: 'Did a senator say vaccines cause autism?', itemReviewed: { '@type': 'Claim', datePublished: '2025-04-28' } },
    },
    moon: {
      claimReviewed: 'The moon landing was staged in a studio',
      publisherName: 'Full Fact',
      publisherSite: 'https://fullfact.org',
      language: 'en-GB',
      publishedAt: null,
      importedAt: at(4),
      appearanceUrls: ['HTTPS://SOCIAL.EXAMPLE.NET/post/1/#replies'],
    },
    moonHoax: {
      claimReviewed: 'Moon landing photos prove the moon landing was a hoax',
      publisherName: 'AFP Fact Check',
      publisherSite: 'https://factcheck.afp.com',
      publishedAt: new Date('2025-06-01T00:00:00Z'),
      importedAt: at(5),
    },
    society: {
      claimReviewed: 'Photos of the flag were taken on Earth',
      claimant: 'Moon Landing Society',
      publisherName: 'Lead Stories',
      publisherSite: 'https://leadstories.com',
      textualRating: 'Unproven',
      rating: 'UNPROVEN' as const,
      publishedAt: new Date('2025-07-01T00:00:00Z'),
      importedAt: at(6),
    },
    vacinas: {
      claimReviewed: 'As vacinas causam autismo',
      publisherName: 'Aos Fatos',
      publisherSite: 'https://www.aosfatos.org',
      textualRating: 'Insustentável',
      rating: null,
      language: 'pt-BR',
      publishedAt: new Date('2025-08-01T00:00:00Z'),
      importedAt: at(7),
    },
  };
  const inserted = await insertExternalFactChecks(app, Object.values(rows));
  Object.keys(rows).forEach((name, i) => (x[name] = inserted[i]!));
});
afterAll(() => app?.stop());

const list = async (filter: Record<string, unknown> | null, token = desk.partner.token, page: { first?: number; after?: string } = {}) =>
  ok(await app.gql(LIST, { filter, ...page }, token)).externalFactChecks;
const ids = (connection: any) => connection.edges.map((e: any) => e.node.id);

describe('externalFactChecks', () => {
  test('every role reads them, newest imported first, with every field; anonymous requests are refused', async () => {
    const newestFirst = ['vacinas', 'society', 'moonHoax', 'moon', 'senator', 'vacunas', 'vaccines'].map((n) => x[n]!.id);
    for (const user of Object.values(desk)) {
      const page = await list(null, user.token);
      expect(ids(page)).toEqual(newestFirst);
      expect(page.totalCount).toBe(7);
    }
    const senator = (await list({ publisherName: 'PolitiFact' })).edges[0].node;
    expect(senator).toEqual({
      id: x.senator!.id,
      reviewUrl: x.senator!.reviewUrl,
      publisherName: 'PolitiFact',
      publisherSite: 'https://www.politifact.com',
      claimReviewed: 'A senator said vaccines cause autism',
      claimant: 'Senator Smith',
      textualRating: 'Mostly False',
      rating: 'MOSTLY_FALSE',
      language: 'en',
      publishedAt: '2025-05-01T00:00:00.000Z',
      appearanceUrls: [],
      importedAt: at(3).toISOString(),
      updatedAt: at(3).toISOString(),
      claimReview: x.senator!.claimReview,
    });
    expect(codes(await app.gql(LIST, {}))).toEqual(['UNAUTHENTICATED']);
  });

  test('pages by keyset cursors without duplicates or gaps; bad cursors and filters are BAD_USER_INPUT', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let more = true; more;) {
      const page = await list(null, desk.partner.token, { first: 2, after });
      expect(page.totalCount).toBe(7);
      seen.push(...ids(page));
      [after, more] = [page.pageInfo.endCursor, page.pageInfo.hasNextPage];
    }
    expect(seen).toEqual(ids(await list(null)));
    for (const bad of ['nope', Buffer.from('["x"]').toString('base64url'), Buffer.from('[1,2]').toString('base64url')]) {
      const response = await app.gql(LIST, { after: bad }, desk.partner.token);
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.extensions!.field).toBe('after');
    }
    const searchCursor = (await list({ search: 'autism' }, desk.partner.token, { first: 1 })).pageInfo.endCursor;
    expect(codes(await app.gql(LIST, { after: searchCursor }, desk.partner.token))).toEqual(['BAD_USER_INPUT']);
    for (const [filter, field] of [
      [{ language: 'not a tag' }, 'filter.language'],
      [{ publisherName: '' }, 'filter.publisherName'],
      [{ search: 'x'.repeat(501) }, 'filter.search'],
      [{ search: 'a\u0000b' }, 'filter.search'],
    ] as const) {
      const response = await app.gql(LIST, { filter }, desk.partner.token);
      expect(codes(response), JSON.stringify(filter)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.extensions!.field).toBe(field);
    }
    expect(codes(await app.gql(LIST, { filter: { appearanceUrl: 'ftp://x.example/' } }, desk.partner.token))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await app.gql(LIST, { first: 101 }, desk.partner.token))).toEqual(['BAD_USER_INPUT']);
  });

  test('filters: any of the ratings, the exact publisher, the language as a range', async () => {
    const named = (page: any) => page.edges.map((e: any) => Object.keys(x).find((k) => x[k]!.id === e.node.id)).sort();
    expect(named(await list({ rating: ['FALSE'] }))).toEqual(['moon', 'moonHoax', 'vaccines', 'vacunas']);
    expect(named(await list({ rating: ['MOSTLY_FALSE', 'UNPROVEN'] }))).toEqual(['senator', 'society']);
    expect((await list({ rating: [] })).totalCount).toBe(7);
    expect(named(await list({ publisherName: 'Full Fact' }))).toEqual(['moon']);
    expect((await list({ publisherName: 'full fact' })).totalCount).toBe(0);
    expect(named(await list({ language: 'pt' }))).toEqual(['vacinas']);
    expect(named(await list({ language: 'EN-gb' }))).toEqual(['moon']);
    expect(named(await list({ language: 'en' }))).toEqual(['moon', 'moonHoax', 'senator', 'society', 'vaccines']);
    const both = await list({ language: 'en', rating: ['FALSE'], publisherName: 'AFP Fact Check' });
    expect([both.totalCount, ids(both)]).toEqual([1, [x.moonHoax!.id]]);
  });

  test('the link lookup: appearance URLs compared after normalisation, as the factChecks lookup does', async () => {
    const found = async (url: string) => ids(await list({ appearanceUrl: url })).sort();
    const both = [x.vaccines!.id, x.moon!.id].sort();
    // Tracking parameters, a trailing slash, a fragment, the host's case: the same page.
    expect(await found('https://social.example.net/post/1')).toEqual(both);
    expect(await found('https://SOCIAL.example.net/post/1/?fbclid=abc&utm_medium=x#top')).toEqual(both);
    expect(await found('https://social.example.net:443/post/1')).toEqual(both);
    // The remaining query parameters in any order; their values and the path's case still count.
    expect(await found('https://video.example.org/watch?list=z&v=abc&gclid=1')).toEqual([x.vaccines!.id]);
    expect(await found('https://video.example.org/watch?v=ABC&list=z')).toEqual([]);
    expect(await found('https://social.example.net/POST/1')).toEqual([]);
    // http and https are different pages.
    expect(await found('http://blog.example.io/a/b')).toEqual([x.vacunas!.id]);
    expect(await found('https://blog.example.io/a/b')).toEqual([]);
    const combined = await list({ appearanceUrl: 'https://social.example.net/post/1', publisherName: 'Full Fact' });
    expect([combined.totalCount, ids(combined)]).toEqual([1, [x.moon!.id]]);
  });

  test("search: claim and claimant, ranked (a claim above a claimant, more matches higher), in each review's language, paged by rank", async () => {
    const moon = await list({ search: 'moon landing' });
    expect(ids(moon)).toEqual([x.moonHoax!.id, x.moon!.id, x.society!.id]);
    expect(moon.totalCount).toBe(3);
    const paged: string[] = [];
    let after: string | undefined;
    for (let more = true; more;) {
      const page = await list({ search: 'moon landing' }, desk.partner.token, { first: 1, after });
      paged.push(...ids(page));
      [after, more] = [page.pageInfo.endCursor, page.pageInfo.hasNextPage];
    }
    expect(paged).toEqual(ids(moon));
    // Stemmed in each review's own language: "vacunas" is Spanish, "vacinas" Portuguese.
    expect(ids(await list({ search: 'vacunas' }))).toEqual([x.vacunas!.id]);
    expect(ids(await list({ search: 'vacinas', language: 'pt' }))).toEqual([x.vacinas!.id]);
    expect(ids(await list({ search: 'vaccine' })).sort()).toEqual([x.vaccines!.id, x.senator!.id].sort());
    expect(ids(await list({ search: 'vaccine', rating: ['MOSTLY_FALSE'] }))).toEqual([x.senator!.id]);
    expect(ids(await list({ search: '"moon landing" -hoax' })).sort()).toEqual([x.moon!.id, x.society!.id].sort());
    expect((await list({ search: 'zeppelin' })).totalCount).toBe(0);
    expect(ids(await list({ search: '-zeppelin', language: 'pt' }))).toEqual([x.vacinas!.id]);
  });

  test('node(id) for every role, with the same fields; IDs of another type or unknown rows are null', async () => {
    for (const user of Object.values(desk)) {
      const node = ok(await app.gql(NODE, { id: x.vacunas!.id }, user.token)).node;
      expect(node).toMatchObject({
        __typename: 'ExternalFactCheck',
        id: x.vacunas!.id,
        textualRating: 'Falso',
        language: 'es',
        claimReview: x.vacunas!.claimReview,
      });
      expect(node.appearanceUrls).toEqual(['http://Blog.Example.io/a/b/']);
    }
    const unknown = toGlobalId('ExternalFactCheck', '00000000-0000-4000-8000-000000000000');
    expect(ok(await app.gql(NODE, { id: unknown }, desk.partner.token)).node).toBeNull();
    expect(codes(await app.gql(NODE, { id: 'garbage' }, desk.partner.token))).toEqual(['BAD_USER_INPUT']);
  });
});

/** Takes a claim through review to publication; returns the claim and fact check IDs. */
async function publishClaim(articleId: string, quote: string) {
  const claim = await createClaim(app, desk.editor.token, { articleId, quote, statement: quote });
  ok(await mutate(app, desk.editor.token, 'assign', { claimId: claim.id, reviewerIds: [desk.reviewer1.globalId] }));
  ok(await mutate(app, desk.reviewer1.token, 'verdict', { claimId: claim.id, rating: 'FALSE', confidence: 'HIGH', rationale: 'Reviewed.' }));
  const published = ok(await mutate(app, desk.editor.token, 'publish', { claimId: claim.id, rating: 'FALSE', summary: 'No evidence.' })).publishFactCheck;
  return { claimId: claim.id as string, factCheckId: published.factCheck.id as string };
}

/** This desk's fact checks about vaccines and autism: the claim's own, a similar one, a retracted one, and an unrelated one. */
const ours = {} as Record<'own' | 'similar' | 'retracted' | 'unrelated', { claimId: string; factCheckId: string }> & { unpublishedClaimId: string };
async function publishOurs() {
  if (ours.own) return;
  const article = await ingestArticle(app, desk.editor.token, {
    body: 'Vaccines cause autism in children. Vaccines cause autism in young children. Vaccines really do cause autism in children. Childhood vaccines cause autism. The minimum wage rose by 40% last year.',
  });
  ours.own = await publishClaim(article.id, 'Vaccines cause autism in children.');
  ours.similar = await publishClaim(article.id, 'Vaccines cause autism in young children.');
  ours.retracted = await publishClaim(article.id, 'Vaccines really do cause autism in children.');
  ours.unrelated = await publishClaim(article.id, 'The minimum wage rose by 40% last year.');
  ok(await mutate(app, desk.editor.token, 'dismiss', { claimId: ours.retracted.claimId, reason: 'Checked twice.' }));
  ours.unpublishedClaimId = (await createClaim(app, desk.editor.token, { articleId: article.id, quote: 'Childhood vaccines cause autism.' })).id;
}

describe('Claim.relatedFactChecks', () => {
  test("ranks ours and theirs together by similarity; never the claim's own, retracted or unpublished ones", async () => {
    await publishOurs();
    const related = ok(await app.gql(RELATED, { id: ours.own.claimId, limit: 20 }, desk.editor.token)).claim.relatedFactChecks;
    const items = related.map((r: any) => r.item.id);
    // The same words at another publisher first (similarity 1), then ours reworded.
    expect(related[0]).toEqual({
      similarity: 1,
      item: { __typename: 'ExternalFactCheck', id: x.vaccines!.id, claimReviewed: 'Vaccines cause autism in children', publisherName: 'Health Feedback' },
    });
    expect(items).toContain(ours.similar.factCheckId);
    expect(related.find((r: any) => r.item.id === ours.similar.factCheckId).item).toEqual({
      __typename: 'FactCheck',
      id: ours.similar.factCheckId,
      claimReviewed: 'Vaccines cause autism in young children.',
    });
    for (const hidden of [ours.own.factCheckId, ours.retracted.factCheckId, ours.unrelated.factCheckId, x.moon!.id]) expect(items).not.toContain(hidden);
    const similarities = related.map((r: any) => r.similarity);
    expect(similarities).toEqual([...similarities].sort((a, b) => b - a));
    for (const s of similarities) expect(s > 0 && s <= 1).toBe(true);
    // `limit` cuts the merged ranking, not each side.
    const two = ok(await app.gql(RELATED, { id: ours.own.claimId, limit: 2 }, desk.editor.token)).claim.relatedFactChecks;
    expect(two.map((r: any) => r.item.id)).toEqual(items.slice(0, 2));
    const byDefault = ok(await app.gql(RELATED, { id: ours.unpublishedClaimId }, desk.reviewer1.token)).claim.relatedFactChecks;
    expect(byDefault.length).toBeGreaterThan(0);
    expect(byDefault.length).toBeLessThanOrEqual(5);
  });

  test('limit is 1 to 20; only staff see claims', async () => {
    await publishOurs();
    for (const limit of [0, 21]) {
      const response = await app.gql(RELATED, { id: ours.own.claimId, limit }, desk.editor.token);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'limit' });
    }
    expect(codes(await app.gql(RELATED, { id: ours.own.claimId }, desk.partner.token))).toEqual(['FORBIDDEN']);
  });

  test('a claims page asking for them costs one similarity statement, whatever its size', async () => {
    await publishOurs();
    statements.length = 0;
    const page = ok(await app.gql('{ claims(first: 50) { edges { node { id relatedFactChecks(limit: 3) { similarity } } } } }', {}, desk.editor.token)).claims;
    expect(page.edges.length).toBeGreaterThanOrEqual(5);
    expect(statements.filter((s) => s.includes('similarity(')).length).toBe(1);
  });
});

describe('GET /v1alpha1/claims:search?includeExternal=true', () => {
  const search = async (query: string) => {
    const response = await fetch(`${app.url}/v1alpha1/claims:search?${query}`, { headers: { authorization: `Bearer ${desk.partner.token}` } });
    return { status: response.status, body: (await response.json()) as any };
  };
  const urls = (body: any): string[] => (body.claims ?? []).map((c: any) => c.claimReview[0].url);
  /** Every page, following nextPageToken. */
  async function allPages(query: string) {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const { status, body } = await search(`${query}${token ? `&pageToken=${token}` : ''}`);
      expect(status).toBe(200);
      seen.push(...urls(body));
      token = body.nextPageToken;
    } while (token);
    return seen;
  }

  test("adds other publishers' reviews in Google's shape, ranked with ours; without it, answers as before", async () => {
    await publishOurs();
    const { status, body } = await search('query=autism&includeExternal=true&pageSize=100');
    expect(status).toBe(200);
    const senator = body.claims.find((c: any) => c.claimReview[0].url === x.senator!.reviewUrl);
    expect(senator).toEqual({
      text: 'A senator said vaccines cause autism',
      claimant: 'Senator Smith',
      claimDate: '2025-04-28T00:00:00.000Z',
      claimReview: [
        {
          publisher: { name: 'PolitiFact', site: 'politifact.com' },
          url: x.senator!.reviewUrl,
          title: 'Did a senator say vaccines cause autism?',
          reviewDate: '2025-05-01T00:00:00.000Z',
          textualRating: 'Mostly False',
          languageCode: 'en',
        },
      ],
    });
    // Ours as before, theirs as externalFactChecks ranks them: each in its own order, merged.
    const before = await search('query=autism&pageSize=100');
    const oursAlone = urls(before.body);
    expect(oursAlone.length).toBe(2); // own and similar: never the retracted one
    expect((await search('query=autism&pageSize=100&includeExternal=false')).body).toEqual(before.body);
    const theirsAlone = ok(await app.gql(LIST, { filter: { search: 'autism' }, first: 100 }, desk.partner.token)).externalFactChecks.edges.map(
      (e: any) => e.node.reviewUrl,
    );
    expect(theirsAlone.length).toBeGreaterThanOrEqual(2);
    const merged = urls(body);
    expect(merged.length).toBe(oursAlone.length + theirsAlone.length);
    expect(merged.filter((u) => oursAlone.includes(u))).toEqual(oursAlone);
    expect(merged.filter((u) => theirsAlone.includes(u))).toEqual(theirsAlone);
    expect(body.nextPageToken).toBeUndefined();
  });

  test('pages across both lists: every page size gives the same sequence, without duplicates or gaps', async () => {
    await publishOurs();
    const whole = urls((await search('query=autism&includeExternal=true&pageSize=100')).body);
    for (const size of [1, 2, 3]) expect(await allPages(`query=autism&includeExternal=true&pageSize=${size}`)).toEqual(whole);
    // Without a query (a site or a URL), newest first: ours by publication, theirs by import.
    const bySite = await allPages('reviewPublisherSiteFilter=example.org&includeExternal=true&pageSize=2');
    expect(bySite).toEqual(urls((await search('reviewPublisherSiteFilter=example.org&includeExternal=true&pageSize=100')).body));
  });

  test('reviewPublisherSiteFilter matches their sites (and subdomains); languageCode and maxAgeDays apply to them', async () => {
    await publishOurs();
    expect((await search('reviewPublisherSiteFilter=politifact.com')).body).toEqual({});
    expect(urls((await search('reviewPublisherSiteFilter=politifact.com&includeExternal=true')).body)).toEqual([x.senator!.reviewUrl]);
    expect(urls((await search('reviewPublisherSiteFilter=www.PolitiFact.com&includeExternal=true')).body)).toEqual([x.senator!.reviewUrl]);
    expect(urls((await search('reviewPublisherSiteFilter=afp.com&includeExternal=true')).body)).toEqual([x.moonHoax!.reviewUrl]);
    expect((await search('reviewPublisherSiteFilter=tifact.com&includeExternal=true')).body).toEqual({});
    // Our own site: ours only (no other publisher's site is ours).
    const ourSite = urls((await search('query=autism&reviewPublisherSiteFilter=desk.test&includeExternal=true')).body);
    expect(ourSite).toEqual(urls((await search('query=autism')).body));
    expect(urls((await search('query=vacunas&languageCode=es&includeExternal=true')).body)).toEqual([x.vacunas!.reviewUrl]);
    expect(urls((await search('query=autism&languageCode=pt-BR&includeExternal=true')).body)).toEqual([x.vacinas!.reviewUrl]);
    // Reviews published in 2025 are older than 30 days; the one without a date counts from its import, a day ago.
    expect(urls((await search('query=moon&maxAgeDays=30&includeExternal=true')).body)).toEqual([x.moon!.reviewUrl]);
    const lookup = await search(`url=${encodeURIComponent('https://social.example.net/post/1?utm_campaign=x')}&includeExternal=true`);
    expect(urls(lookup.body).sort()).toEqual([x.vaccines!.reviewUrl, x.moon!.reviewUrl].sort());
  });

  test("a bad includeExternal or page token is a 400 in Google's envelope", async () => {
    for (const query of ['query=autism&includeExternal=yes', 'query=autism&includeExternal=', 'query=autism&includeExternal=TRUE']) {
      const { status, body } = await search(query);
      expect(status, query).toBe(400);
      expect(body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
      expect(body.error.message).toMatch(/^includeExternal/);
    }
    const oursToken = (await search('query=autism&pageSize=1')).body.nextPageToken;
    for (const token of [oursToken, 'garbage', Buffer.from('["x","y",2,0]').toString('base64url')]) {
      const { status, body } = await search(`query=autism&includeExternal=true&pageToken=${token}`);
      expect(status).toBe(400);
      expect(body.error.message).toMatch(/^pageToken/);
    }
  });
});
