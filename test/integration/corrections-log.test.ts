/**
 * Corrections and transparency (docs/design.md): a correction's before and after (`rating`,
 * `textualRating`, `ratingChanged`), ClaimReview's `correction` list wherever ClaimReview is produced,
 * and the public corrections log in its three forms (Query.corrections, GET /corrections,
 * GET /corrections.atom): newest first, paged, escaped, the feed read back by an XML parser and held
 * to RFC 4287's rules. A retraction shows its public note and never the dismissal's internal reason:
 * every public answer is searched for it.
 */
import { XMLParser } from 'fast-xml-parser';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { codes, ok, startTestApp, type TestApp } from '../support/app.js';
import { createClaim, createDesk, ingestArticle, type Desk } from '../support/factories.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { mutate } from '../support/workflow.js';
import { createEndpoint, FACT_CHECK_EVENTS, W } from '../support/webhooks.js';

const FACT_CHECK = `query($id: ID!) { factCheck(id: $id) { id rating textualRating claimReview
  corrections { at note previousRating previousTextualRating rating textualRating ratingChanged } } }`;
const LOG = `query($first: Int, $after: String) { corrections(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { at kind claimReviewed factCheckUrl factCheck { id rating } note previousRating previousTextualRating rating textualRating } } } }`;
const BASE = 'https://factcheck.test';

let app: TestApp;
let desk: Desk;
let serial = 0;
const receivers: Receiver[] = [];

beforeAll(async () => {
  app = await startTestApp({}, { webhookDispatcher: { WEBHOOK_RETRY_BASE_MS: 100, WEBHOOK_MAX_ATTEMPTS: 3, WEBHOOK_TIMEOUT_MS: 2_000 } });
  desk = await createDesk(app.database.db);
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});
afterAll(() => app?.stop());

const receiver = async () => {
  const r = await startReceiver();
  receivers.push(r);
  return r;
};

/** A claim reviewed FALSE by reviewer1, ready to publish, with a statement of its own. */
async function reviewedClaim(statement = `Hamas routinely hijacks aid (${serial++}).`) {
  const article = await ingestArticle(app, desk.editor.token);
  const claim = await createClaim(app, desk.editor.token, { articleId: article.id, quote: 'has been routinely hijacked by Hamas terrorists', statement });
  ok(await mutate(app, desk.editor.token, 'assign', { claimId: claim.id, reviewerIds: [desk.reviewer1.globalId] }));
  ok(await mutate(app, desk.reviewer1.token, 'verdict', { claimId: claim.id, rating: 'FALSE', confidence: 'HIGH', rationale: 'UN data.' }));
  return claim.id;
}

async function publish(claimId: string, input: Record<string, unknown> = {}) {
  return ok(await mutate(app, desk.editor.token, 'publish', { claimId, rating: 'FALSE', summary: 'No evidence.', ...input })).publishFactCheck as {
    factCheck: { id: string };
    claim: { version: number };
  };
}

const dismiss = (claimId: string, input: Record<string, unknown>) => mutate(app, desk.editor.token, 'dismiss', { claimId, ...input });
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${app.url}${path}`, { headers });
const jsonLdOf = (html: string) => JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!);
const allLog = async (token = desk.partner.token) => {
  const nodes: any[] = [];
  let after: string | null = null;
  for (;;) {
    const page: any = ok(await app.gql(LOG, { first: 100, after }, token)).corrections;
    nodes.push(...page.edges.map((e: any) => e.node));
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor;
  }
};

describe('structured corrections', () => {
  test('a correction records the rating after it and whether it changed; ClaimReview lists them oldest first as CorrectionComment, in GraphQL, the page, .jsonld and the webhook payload', async () => {
    const partner = await receiver();
    await createEndpoint(app, desk.partner.token, partner.url, FACT_CHECK_EVENTS);
    const claimId = await reviewedClaim();
    const { factCheck } = await publish(claimId);
    const fresh = ok(await app.gql(FACT_CHECK, { id: factCheck.id }, desk.partner.token)).factCheck;
    expect(fresh.corrections).toEqual([]);
    expect(fresh.claimReview.correction).toBeUndefined();

    await publish(claimId, { rating: 'MOSTLY_FALSE', summary: 'Some were taken.', correctionNote: 'New UN figures.' });
    await publish(claimId, { rating: 'MOSTLY_FALSE', summary: 'Some were taken, in 2024.', correctionNote: 'Dates added.' });
    const { factCheck: read } = ok(await app.gql(FACT_CHECK, { id: factCheck.id }, desk.partner.token));
    expect(read.corrections).toEqual([
      {
        at: expect.any(String),
        note: 'New UN figures.',
        previousRating: 'FALSE',
        previousTextualRating: 'False',
        rating: 'MOSTLY_FALSE',
        textualRating: 'Mostly false',
        ratingChanged: true,
      },
      {
        at: expect.any(String),
        note: 'Dates added.',
        previousRating: 'MOSTLY_FALSE',
        previousTextualRating: 'Mostly false',
        rating: 'MOSTLY_FALSE',
        textualRating: 'Mostly false',
        ratingChanged: false,
      },
    ]);
    const expected = read.corrections.map((c: any) => ({ '@type': 'CorrectionComment', text: c.note, datePublished: c.at }));
    expect(read.claimReview.correction).toEqual(expected);

    // The page's JSON-LD and .jsonld are the same ClaimReview.
    const page = await get(`/fact-checks/${factCheck.id}`);
    expect(jsonLdOf(await page.text())).toEqual(read.claimReview);
    expect(await (await get(`/fact-checks/${factCheck.id}.jsonld`)).json()).toEqual(read.claimReview);

    // Each fact_check.corrected event stored the list as it was at that correction.
    const corrected = (await partner.waitFor((r) => r.filter((w) => w.json.type === 'fact_check.corrected').length === 2))
      .filter((w) => w.json.type === 'fact_check.corrected')
      .sort((x, y) => x.json.data.claimVersion - y.json.data.claimVersion);
    expect(corrected.map((w) => w.json.data.factCheck.claimReview.correction)).toEqual([expected.slice(0, 1), expected]);
    expect(corrected[1]!.json.data.factCheck.claimReview).toEqual(read.claimReview);
    const published = partner.received.find((w) => w.json.type === 'fact_check.published')!;
    expect(published.json.data.factCheck.claimReview.correction).toBeUndefined();
  });

  test("the fact check's page lists its corrections and links to the corrections log", async () => {
    const claimId = await reviewedClaim();
    const { factCheck } = await publish(claimId);
    expect(await (await get(`/fact-checks/${factCheck.id}`)).text()).not.toContain(`${BASE}/corrections`);
    await publish(claimId, { rating: 'MISLEADING', correctionNote: 'Context <added>.' });
    const html = await (await get(`/fact-checks/${factCheck.id}`)).text();
    expect(html).toContain('Context &#60;added&#62;.');
    expect(html).toContain(`<a href="${BASE}/corrections">`);
  });
});

describe('the corrections log', () => {
  test('Query.corrections: newest first over corrections and retractions, paged without gaps or repeats, with totalCount; a retraction has its public note, no rating after and no fact check', async () => {
    const before = await allLog();
    const claimId = await reviewedClaim('The log claim.');
    const { factCheck } = await publish(claimId);
    await publish(claimId, { rating: 'MIXED', correctionNote: 'First fix.' });
    await publish(claimId, { rating: 'MIXED', correctionNote: 'Second fix.' });
    ok(await dismiss(claimId, { reason: 'Legal asked us to pull it.', publicNote: 'Withdrawn pending review.' }));

    const log = await allLog();
    expect(log).toHaveLength(before.length + 3);
    expect(ok(await app.gql(LOG, { first: 1 }, desk.reviewer2.token)).corrections.totalCount).toBe(log.length);
    const times = log.map((n) => Date.parse(n.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const url = `${BASE}/fact-checks/${factCheck.id}`;
    expect(log.slice(0, 3)).toEqual([
      {
        at: expect.any(String),
        kind: 'RETRACTED',
        claimReviewed: 'The log claim.',
        factCheckUrl: url,
        factCheck: null,
        note: 'Withdrawn pending review.',
        previousRating: 'MIXED',
        previousTextualRating: 'Mixed',
        rating: null,
        textualRating: null,
      },
      {
        at: expect.any(String),
        kind: 'CORRECTED',
        claimReviewed: 'The log claim.',
        factCheckUrl: url,
        factCheck: null,
        note: 'Second fix.',
        previousRating: 'MIXED',
        previousTextualRating: 'Mixed',
        rating: 'MIXED',
        textualRating: 'Mixed',
      },
      {
        at: expect.any(String),
        kind: 'CORRECTED',
        claimReviewed: 'The log claim.',
        factCheckUrl: url,
        factCheck: null,
        note: 'First fix.',
        previousRating: 'FALSE',
        previousTextualRating: 'False',
        rating: 'MIXED',
        textualRating: 'Mixed',
      },
    ]);

    // Republished (reopen, review, publish with a note): visible again, so its entries name it.
    ok(await mutate(app, desk.editor.token, 'reopen', { claimId, reason: 'Cleared.' }));
    ok(await mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer2.globalId] }));
    ok(await mutate(app, desk.reviewer2.token, 'verdict', { claimId, rating: 'FALSE', confidence: 'HIGH', rationale: 'Again.' }));
    await publish(claimId, { correctionNote: 'Restored after review.' });
    const [restored, retraction] = (await allLog()).slice(0, 2);
    expect(restored).toMatchObject({
      kind: 'CORRECTED',
      note: 'Restored after review.',
      previousRating: 'MIXED',
      rating: 'FALSE',
      factCheck: { id: factCheck.id },
    });
    expect(retraction).toMatchObject({ kind: 'RETRACTED', factCheck: { id: factCheck.id } });

    // A retraction without a public note says "Retracted".
    const other = await reviewedClaim();
    await publish(other);
    ok(await dismiss(other, { reason: 'Duplicate of another check.' }));
    expect((await allLog())[0]).toMatchObject({ kind: 'RETRACTED', note: 'Retracted', previousRating: 'FALSE', rating: null });

    // Pages of 2 give the same list.
    const paged: any[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = ok(await app.gql(LOG, { first: 2, after }, desk.editor.token)).corrections;
      paged.push(...page.edges.map((e: any) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(await allLog());
  });

  test('bad paging is BAD_USER_INPUT; no token is UNAUTHENTICATED', async () => {
    expect(codes(await app.gql(LOG, { after: 'not-a-cursor' }, desk.partner.token))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await app.gql(LOG, { first: 0 }, desk.partner.token))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await app.gql(LOG, { first: 101 }, desk.partner.token))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await app.gql(LOG, {}, null))).toEqual(['UNAUTHENTICATED']);
  });

  test('GET /corrections: public HTML, every value escaped, no script, 50 a page with a link to older entries; a retracted entry has no link; GET /corrections.atom: the newest 50', async () => {
    const claimId = await reviewedClaim('Fuel <b>prices</b> & "taxes" doubled.');
    const { factCheck } = await publish(claimId);
    // 55 corrections of one fact check, then its retraction: more than a page.
    for (let i = 0; i < 55; i++) await publish(claimId, { rating: i % 2 ? 'FALSE' : 'MIXED', correctionNote: `Fix ${i}: <i>figures</i> & "sources" ]]>` });
    ok(await dismiss(claimId, { reason: 'Internal.', publicNote: 'Pulled: <script>alert(1)</script>' }));
    const visible = await reviewedClaim('A fact check still up.');
    const up = (await publish(visible)).factCheck.id;
    await publish(visible, { rating: 'MIXED', correctionNote: 'Still up, corrected.' });

    const first = await get('/corrections', { accept: 'text/html' });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await first.text();
    expect(html).not.toMatch(/<script\b|<i>|<b>|]]>/);
    expect(html).toContain('Pulled: &#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('Fuel &#60;b&#62;prices&#60;/b&#62; &#38; &#34;taxes&#34; doubled.');
    const items = [...html.matchAll(/<li>(.*?)<\/li>/gs)].map((m) => m[1]!);
    expect(items).toHaveLength(50);
    // Newest first: the visible one's correction links to its page; the retracted one's entries link nowhere.
    expect(items[0]).toContain(`<a href="${BASE}/fact-checks/${up}">A fact check still up.</a>`);
    expect(items[1]).toContain('<strong>Retracted</strong>');
    expect(items.slice(1).join('')).not.toContain(`/fact-checks/${factCheck.id}`);
    expect(html).toContain(`<link rel="alternate" type="application/atom+xml"`);
    const older = /<a rel="next" href="([^"]+)">/.exec(html)![1]!.replace(/&#38;/g, '&');
    expect(older.startsWith(`${BASE}/corrections?after=`)).toBe(true);
    const second = await (await get(older.slice(BASE.length))).text();
    const secondItems = [...second.matchAll(/<li>(.*?)<\/li>/gs)].map((m) => m[1]!);
    const all = await allLog();
    expect(items.length + secondItems.length).toBe(Math.min(all.length, 100));
    expect(secondItems[0]).toContain(escapeLike(all[50].note));

    expect((await get('/corrections?after=nonsense', { accept: 'text/html' })).status).toBe(400);
    const json = await get('/corrections?after=nonsense');
    expect(json.status).toBe(400);
    expect(await json.json()).toEqual({ error: { code: 'BAD_REQUEST', message: expect.stringContaining('after') } });
    expect((await get('/corrections?after=a&after=b')).status).toBe(400);
    expect((await get('/corrections?utm_source=x')).status).toBe(200);

    const feed = await get('/corrections.atom');
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/^application\/atom\+xml; charset=utf-8/);
    const entries = parseAtom(await feed.text()).entries;
    expect(entries).toHaveLength(50);
    expect(entries.map((e) => e.content)).toEqual(all.slice(0, 50).map((n) => expect.stringContaining(escapeLike(n.note))));
  });
});

/** How the page and the feed's HTML write a text: each of & < > " ' as a numeric reference. */
const escapeLike = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface AtomEntry {
  id: string;
  title: string;
  titleType: string;
  updated: string;
  published: string;
  links: { rel: string; href: string }[];
  content: string;
  contentType: string;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The feed read back with fast-xml-parser (validating the XML first) and held to RFC 4287: the feed's
 * id, title, updated, author and self link; each entry's id (a unique URN), title, updated and, with
 * no alternate link, content (4.1.1); every link with an href.
 */
function parseAtom(xml: string) {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    textNodeName: '#text',
    isArray: (name) => ['entry', 'link', 'author'].includes(name),
  });
  const doc = parser.parse(xml, true);
  const feed = doc.feed;
  expect(feed.xmlns).toBe('http://www.w3.org/2005/Atom');
  expect(feed.id).toBe(`${BASE}/corrections`);
  expect(typeof feed.title === 'string' ? feed.title : feed.title['#text']).toBe('Test Desk: corrections and retractions');
  expect(feed.updated).toMatch(RFC3339);
  // The library writes URLs as WHATWG URL serialises them (a bare host gets its slash).
  expect(feed.author).toEqual([{ name: 'Test Desk', uri: 'https://desk.test/' }]);
  expect(feed.link).toEqual(
    expect.arrayContaining([
      { rel: 'self', href: `${BASE}/corrections.atom` },
      { rel: 'alternate', href: `${BASE}/corrections` },
    ]),
  );
  const text = (v: any) => (typeof v === 'string' ? v : v['#text']);
  const entries: AtomEntry[] = (feed.entry ?? []).map((e: any) => ({
    id: e.id,
    title: text(e.title),
    titleType: e.title.type,
    updated: e.updated,
    published: e.published,
    links: (e.link ?? []).map((l: any) => ({ rel: l.rel ?? 'alternate', href: l.href })),
    content: text(e.content),
    contentType: e.content.type,
  }));
  for (const e of entries) {
    expect(e.id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(e.title.length).toBeGreaterThan(0);
    expect(e.updated).toMatch(RFC3339);
    for (const l of e.links) expect(l.href).toMatch(/^https:\/\//);
    expect(e.content.length).toBeGreaterThan(0);
  }
  expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
  if (entries.length) expect(feed.updated).toBe(entries[0]!.updated);
  return { feed, entries };
}

describe('the Atom feed', () => {
  test('read back by a parser: ids, updated, titles, content; a correction links to its page, a retraction to nothing', async () => {
    const claimId = await reviewedClaim('Feed claim & friends.');
    const { factCheck } = await publish(claimId);
    await publish(claimId, { rating: 'MISLEADING', correctionNote: 'Feed fix.' });
    const {
      entries: [correction],
    } = parseAtom(await (await get('/corrections.atom')).text());
    expect(correction).toMatchObject({
      title: 'Corrected: Feed claim &#38; friends.',
      titleType: 'html',
      links: [{ rel: 'alternate', href: `${BASE}/fact-checks/${factCheck.id}` }],
      content: '<p>Feed fix.</p><p>Rating: was False, now Misleading.</p>',
      contentType: 'html',
    });
    expect(correction!.published).toBe(correction!.updated);

    ok(await dismiss(claimId, { reason: 'Internal.', publicNote: 'Gone.' }));
    const { entries } = parseAtom(await (await get('/corrections.atom')).text());
    expect(entries[0]).toMatchObject({ title: 'Retracted: Feed claim &#38; friends.', links: [], content: '<p>Gone.</p><p>Withdrawn rating: Misleading.</p>' });
    // The correction of the fact check now retracted links nowhere either.
    expect(entries[1]).toMatchObject({ id: correction!.id, links: [] });
    const log = await allLog();
    expect(entries[0]!.updated).toBe(log[0].at);
  });
});

describe('a retraction never shows its internal reason', () => {
  test('searched for in every public answer: GraphQL as a partner, the pages, .jsonld, /corrections, /corrections.atom, claims:search, webhook payloads', async () => {
    const REASON = 'SECRET-REASON-4711 legal threat from Acme';
    const partner = await receiver();
    const { endpoint } = await createEndpoint(app, desk.partner.token, partner.url, FACT_CHECK_EVENTS);
    const claimId = await reviewedClaim('Acme poisoned the river.');
    const { factCheck } = await publish(claimId);
    await publish(claimId, { rating: 'MIXED', correctionNote: 'Acme’s reply added.' });
    const changesBefore = ok(await app.gql(W.changes, { first: 100 }, desk.partner.token)).factCheckChanges.pageInfo.endCursor;
    ok(await dismiss(claimId, { reason: REASON, publicNote: 'Retracted while we review it.' }));
    // The reason was kept, for staff, in the claim's history.
    const history = ok(await app.gql('query($id: ID!) { claim(id: $id) { history { type note } } }', { id: claimId }, desk.editor.token)).claim.history;
    expect(history.some((h: any) => h.note === REASON)).toBe(true);
    await partner.waitFor((r) => r.some((w) => w.json.type === 'fact_check.retracted'));

    const answers: [string, string][] = [];
    const gql = async (what: string, query: string, variables: Record<string, unknown> = {}) =>
      answers.push([what, JSON.stringify(await app.gql(query, variables, desk.partner.token))]);
    await gql('factChecks', '{ factChecks(first: 100) { edges { node { id claimReviewed summary claimReview corrections { note } } } } }');
    await gql('factCheck', FACT_CHECK, { id: factCheck.id });
    await gql('corrections', LOG, { first: 100 });
    await gql('factCheckChanges', W.changes, { first: 100 });
    await gql('factCheckChanges after', W.changes, { after: changesBefore });
    await gql('node', 'query($id: ID!) { node(id: $id) { id ... on FactCheck { claimReview } } }', { id: factCheck.id });
    const http = async (path: string, headers: Record<string, string> = {}) => {
      const response = await get(path, headers);
      answers.push([path, await response.text()]);
      return response.status;
    };
    expect(await http(`/fact-checks/${factCheck.id}`, { accept: 'text/html' })).toBe(404);
    expect(await http(`/fact-checks/${factCheck.id}.jsonld`)).toBe(404);
    expect(await http('/corrections', { accept: 'text/html' })).toBe(200);
    expect(await http('/corrections.atom')).toBe(200);
    expect(await http(`/v1alpha1/claims:search?query=Acme&key=${desk.partner.token}`)).toBe(200);
    expect(await http(`/v1alpha1/claims:search?query=river&key=${desk.partner.token}`)).toBe(200);
    const deliveries = ok(await app.gql(W.deliveries, { id: endpoint.id }, desk.partner.token));
    answers.push(['deliveries', JSON.stringify(deliveries)]);
    for (const w of partner.received) answers.push([`webhook ${w.json.type}`, w.body]);

    expect(answers.length).toBeGreaterThan(12);
    for (const [what, body] of answers) {
      expect(body, what).not.toContain('SECRET-REASON');
      expect(body, what).not.toContain('legal threat');
    }
    // The public note is what they say instead.
    expect(answers.find(([what]) => what === 'corrections')![1]).toContain('Retracted while we review it.');
    expect(answers.find(([what]) => what === '/corrections.atom')![1]).toContain('Retracted while we review it.');
    expect(partner.received.find((w) => w.json.type === 'fact_check.retracted')!.json.data).toEqual({
      factCheck: { id: factCheck.id, url: `${BASE}/fact-checks/${factCheck.id}` },
      claimVersion: expect.any(Number),
    });
  });
});
