import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, ok, type TestApp } from '../support/app.js';
import { createClaim, ingestArticle, SEED_BODY, type Desk, startDeskApp } from '../support/factories.js';

let app: TestApp;
let desk: Desk;
let articleId: string;
const claimIds: Record<string, string> = {};

const QUOTES = {
  hijacked: { quote: 'has been routinely hijacked by Hamas terrorists', priority: 'HIGH', dueAt: '2030-01-03T00:00:00Z' },
  apparently: { quote: 'is apparently holding Israel responsible for the distribution of aid', priority: 'URGENT', dueAt: null },
  unclear: { quote: 'the reason for Blinken’s statement is unclear', priority: 'LOW', dueAt: '2030-01-01T00:00:00Z' },
  eyes: { quote: 'the eyes of both our enemies and our friends', span: null, priority: 'NORMAL', dueAt: '2030-01-02T00:00:00Z' },
  hezbollah: { quote: 'until Hezbollah ceases its attacks', priority: 'HIGH', dueAt: null },
};

beforeAll(async () => {
  ({ app, desk } = await startDeskApp());
  articleId = (await ingestArticle(app, desk.editor.token, { url: 'https://news.example/gallant' })).id;
  for (const [key, q] of Object.entries(QUOTES)) {
    const input: Record<string, unknown> = { articleId, quote: q.quote, priority: q.priority, dueAt: q.dueAt };
    if (key === 'eyes') {
      const start = Array.from(SEED_BODY).join('').indexOf('the eyes of both');
      const cp = Array.from(SEED_BODY.slice(0, start)).length;
      input.span = { start: cp, end: cp + Array.from(q.quote).length };
    }
    claimIds[key] = (await createClaim(app, desk.editor.token, input)).id;
  }
  ok(
    await app.gql(
      'mutation($i: AssignClaimInput!) { assignClaim(input: $i) { claim { id } } }',
      { i: { claimId: claimIds.hijacked, reviewerIds: [desk.reviewer1.globalId] } },
      desk.editor.token,
    ),
  );
});
afterAll(() => app?.stop());

const CLAIMS = `query($filter: ClaimFilter, $orderBy: ClaimOrder, $first: Int, $after: String) {
  claims(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id quote priority dueAt status } }
  }
}`;

async function allPages(variables: Record<string, unknown>, first: number) {
  const seen: any[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 20; guard++) {
    const page: any = ok(await app.gql(CLAIMS, { ...variables, first, after }, desk.editor.token)).claims;
    seen.push(...page.edges.map((e: any) => e.node));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return seen;
}

describe('claims', () => {
  test('newest first by default, with totalCount and cursors', async () => {
    const page = ok(await app.gql(CLAIMS, { first: 2 }, desk.editor.token)).claims;
    expect(page.totalCount).toBe(5);
    expect(page.edges.map((e: any) => e.node.id)).toEqual([claimIds.hezbollah, claimIds.eyes]);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(page.pageInfo.endCursor).toBe(page.edges[1].cursor);
  });

  test('paging through every order visits each claim once, in order', async () => {
    const created = await allPages({}, 2);
    expect(created.map((c) => c.id)).toEqual([claimIds.hezbollah, claimIds.eyes, claimIds.unclear, claimIds.apparently, claimIds.hijacked]);

    const byDue = await allPages({ orderBy: 'DUE_AT_ASC' }, 2);
    expect(byDue.slice(0, 3).map((c) => c.id)).toEqual([claimIds.unclear, claimIds.eyes, claimIds.hijacked]);
    expect(byDue.slice(3).every((c) => c.dueAt === null)).toBe(true);
    expect(new Set(byDue.map((c) => c.id)).size).toBe(5);

    const byPriority = await allPages({ orderBy: 'PRIORITY_DESC' }, 1);
    expect(byPriority.map((c) => c.id)).toEqual([claimIds.apparently, claimIds.hijacked, claimIds.hezbollah, claimIds.eyes, claimIds.unclear]);
  });

  test('filters: status, priority, article, reviewer, search, dueBefore', async () => {
    const ids = async (filter: Record<string, unknown>) => (await allPages({ filter }, 100)).map((c) => c.id).sort();
    expect(await ids({ status: ['IN_REVIEW'] })).toEqual([claimIds.hijacked]);
    expect(await ids({ status: ['OPEN'], priority: ['HIGH'] })).toEqual([claimIds.hezbollah]);
    expect(await ids({ articleId })).toHaveLength(5);
    expect(await ids({ reviewerId: desk.reviewer1.globalId })).toEqual([claimIds.hijacked]);
    expect(await ids({ reviewerId: desk.reviewer2.globalId })).toEqual([]);
    expect(await ids({ search: 'Hezbollah attacks' })).toEqual([claimIds.hezbollah]);
    expect(await ids({ dueBefore: '2030-01-02T12:00:00Z' })).toEqual([claimIds.unclear, claimIds.eyes].sort());
  });

  test('nested fields resolve', async () => {
    const data = ok(
      await app.gql(
        `query($id: ID!) { claim(id: $id) { id quote statement span { start end } article { id url } createdBy { name }
           assignments { state reviewer { name } assignedBy { name } claim { id } } history { type toStatus actor { name } version } } }`,
        { id: claimIds.hijacked },
        desk.editor.token,
      ),
    );
    const claim = data.claim;
    expect(claim.statement).toBe(claim.quote);
    expect(Array.from(SEED_BODY).slice(claim.span.start, claim.span.end).join('')).toBe(claim.quote);
    expect(claim.article.url).toBe('https://news.example/gallant');
    expect(claim.createdBy.name).toBe('Erin Editor');
    expect(claim.assignments).toEqual([
      { state: 'ACTIVE', reviewer: { name: 'Rafael Reviewer' }, assignedBy: { name: 'Erin Editor' }, claim: { id: claimIds.hijacked } },
    ]);
    expect(claim.history.map((h: any) => [h.type, h.toStatus, h.version])).toEqual([
      ['CREATED', 'OPEN', 1],
      ['ASSIGNED', 'IN_REVIEW', 2],
    ]);
  });

  test('Article.claims pages the claims of one article', async () => {
    const data = ok(
      await app.gql(
        'query($id: ID!) { article(id: $id) { title claims(first: 3) { totalCount edges { node { id } } pageInfo { hasNextPage } } } }',
        { id: articleId },
        desk.reviewer1.token,
      ),
    );
    expect(data.article.claims.totalCount).toBe(5);
    expect(data.article.claims.edges).toHaveLength(3);
    expect(data.article.claims.pageInfo.hasNextPage).toBe(true);
  });
});

describe('articles', () => {
  test('newest ingested first, paged', async () => {
    for (let i = 0; i < 4; i++) await ingestArticle(app, desk.editor.token, { url: `https://news.example/more-${i}`, body: `Body number ${i}.` });
    const first = ok(
      await app.gql('{ articles(first: 3) { totalCount edges { node { url } } pageInfo { hasNextPage endCursor } } }', {}, desk.reviewer2.token),
    ).articles;
    expect(first.totalCount).toBe(5);
    expect(first.edges.map((e: any) => e.node.url)).toEqual(['https://news.example/more-3', 'https://news.example/more-2', 'https://news.example/more-1']);
    const second = ok(
      await app.gql(
        'query($after: String) { articles(first: 3, after: $after) { edges { node { url } } pageInfo { hasNextPage } } }',
        { after: first.pageInfo.endCursor },
        desk.reviewer2.token,
      ),
    ).articles;
    expect(second.edges.map((e: any) => e.node.url)).toEqual(['https://news.example/more-0', 'https://news.example/gallant']);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });
});

describe('who sees what', () => {
  test('a partner asking for staff data gets FORBIDDEN and no data', async () => {
    for (const query of ['{ articles { totalCount } }', '{ claims { totalCount } }', '{ myAssignments { totalCount } }']) {
      const response = await app.gql(query, {}, desk.partner.token);
      expect(codes(response)).toEqual(['FORBIDDEN']);
      expect(response.data).toBeNull();
    }
    const one = await app.gql('query($id: ID!) { claim(id: $id) { quote } }', { id: claimIds.hijacked }, desk.partner.token);
    expect(codes(one)).toEqual(['FORBIDDEN']);
    expect(one.data?.claim ?? null).toBeNull();
  });

  test('no token: UNAUTHENTICATED', async () => {
    expect(codes(await app.gql('{ claims { totalCount } }'))).toEqual(['UNAUTHENTICATED']);
  });

  test('node(id) returns what the viewer may see, null otherwise', async () => {
    const NODE = 'query($id: ID!) { node(id: $id) { id __typename ... on Claim { quote } ... on Article { title } ... on User { name } } }';
    const asEditor = ok(await app.gql(NODE, { id: claimIds.hijacked }, desk.editor.token)).node;
    expect(asEditor).toMatchObject({ id: claimIds.hijacked, __typename: 'Claim', quote: QUOTES.hijacked.quote });
    expect(ok(await app.gql(NODE, { id: articleId }, desk.reviewer1.token)).node.__typename).toBe('Article');
    expect(ok(await app.gql(NODE, { id: claimIds.hijacked }, desk.partner.token)).node).toBeNull();
    expect(ok(await app.gql(NODE, { id: desk.editor.globalId }, desk.partner.token)).node).toBeNull();
    expect(ok(await app.gql(NODE, { id: desk.partner.globalId }, desk.partner.token)).node.name).toBe('Partner App');
    const missing = Buffer.from('Claim:00000000-0000-4000-8000-000000000000').toString('base64url');
    expect(ok(await app.gql(NODE, { id: missing }, desk.editor.token)).node).toBeNull();
  });
});

describe('bad input is a coded error, never a 500', () => {
  test.each([
    ['first: 0', '{ claims(first: 0) { totalCount } }', 'first'],
    ['first: 101', '{ claims(first: 101) { totalCount } }', 'first'],
    ['first: -5 on articles', '{ articles(first: -5) { totalCount } }', 'first'],
    ['a malformed cursor', '{ claims(after: "garbage!") { totalCount } }', 'after'],
    ['a base64 cursor of the wrong shape', `{ claims(after: "${Buffer.from('[1,2,3,4]').toString('base64url')}") { totalCount } }`, 'after'],
    [
      'a cursor of another order',
      `{ claims(orderBy: PRIORITY_DESC, after: "${Buffer.from('["2024-01-01T00:00:00.000Z","00000000-0000-4000-8000-000000000000"]').toString('base64url')}") { totalCount } }`,
      'after',
    ],
    ['a malformed claim ID', '{ claim(id: "not-an-id") { id } }', 'id'],
    [
      'an article ID where a claim ID belongs',
      `{ claim(id: "${Buffer.from('Article:00000000-0000-4000-8000-000000000000').toString('base64url')}") { id } }`,
      'id',
    ],
    ['a malformed node ID', '{ node(id: "%%%") { id } }', 'id'],
    ['a malformed filter ID', '{ claims(filter: { reviewerId: "x" }) { totalCount } }', 'filter.reviewerId'],
  ])('%s', async (_name, query, field) => {
    const response = await app.gql(query, {}, desk.editor.token);
    expect(response.status).toBeLessThan(500);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  test('NUL characters, lone surrogates and over-long strings', async () => {
    const INGEST = 'mutation($input: IngestArticleInput!) { ingestArticle(input: $input) { created } }';
    const base = { url: 'https://news.example/bad', title: 'T', body: 'B' };
    for (const [patch, field] of [
      [{ title: 'a\u0000b' }, 'title'],
      [{ body: 'x\uD800y' }, 'body'],
      [{ title: 'x'.repeat(501) }, 'title'],
      [{ title: '   ' }, 'title'],
      [{ language: 'english please' }, 'language'],
    ] as const) {
      const response = await app.gql(INGEST, { input: { ...base, ...patch } }, desk.editor.token);
      expect(response.errors?.[0]?.extensions, JSON.stringify(patch)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const badUrl = await app.gql(INGEST, { input: { ...base, url: 'javascript:alert(1)' } }, desk.editor.token);
    expect(codes(badUrl)).toEqual(['BAD_USER_INPUT']);
    expect(ok(await app.gql('{ articles { totalCount } }', {}, desk.editor.token)).articles.totalCount).toBe(5);
  });
});
