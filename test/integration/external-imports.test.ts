/**
 * Importing other publishers' fact checks and the rules that read their ratings, through the API
 * (docs/design.md, Other publishers' fact checks): every document form, on GraphQL and on
 * POST /imports/claim-reviews; the skip reasons; idempotency; the desk's own fact checks; each
 * path of the rating rules and the batched re-map; who may. Batches are tiny here (2 reviews per
 * import batch, 3 rows per re-map batch) so that every path crosses batches.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { externalFactChecks, externalRatingRules } from '../../src/db/schema.js';
import { DUPLICATE_LATER, OWN_FACT_CHECK } from '../../src/domain/external-imports/import.js';
import { codes, ok, TEST_SITE, type TestApp } from '../support/app.js';
import { snapshotDatabase } from '../support/database-state.js';
import { startDeskApp, type Desk } from '../support/factories.js';
import { appearancesOf, claimReview, claimReviewFixture, postImport, storedReview, X } from '../support/external-imports/imports.js';

const MAX_BYTES = 200_000;
let app: TestApp;
let desk: Desk;
const statements: string[] = [];
beforeAll(async () => {
  ({ app, desk } = await startDeskApp(
    { EXTERNAL_IMPORT_BATCH_SIZE: 2, EXTERNAL_REMAP_BATCH_SIZE: 3, EXTERNAL_IMPORT_MAX_BYTES: MAX_BYTES },
    { onQuery: (sql) => statements.push(sql) },
  ));
});
afterAll(() => app?.stop());

let n = 0;
const uniqueUrl = (path = 'review') => `https://checks.example/${path}/${++n}-${Date.now().toString(36)}`;
const importJson = async (document: unknown, token = desk.editor.token) =>
  ok(await app.gql(X.import, { i: { document: typeof document === 'string' ? document : JSON.stringify(document) } }, token)).importExternalFactChecks.report;
/** Statements run while `action` runs that match `pattern`. */
async function statementsDuring(pattern: RegExp, action: () => Promise<unknown>) {
  const from = statements.length;
  await action();
  return statements.slice(from).filter((s) => pattern.test(s)).length;
}

describe('document forms', () => {
  test('a ClaimReview object (GraphQL): stored with its rating from the built-in rules and its appearances for the link lookup', async () => {
    const report = await importJson(claimReviewFixture('politifact-claim-review.json'));
    expect(report).toEqual({ created: 1, updated: 0, unchanged: 0, skipped: [] });
    const row = await storedReview(
      app,
      'https://www.politifact.com/factchecks/2024/jun/28/donald-trump/trump-falsely-says-biden-wants-to-quadruple-taxes/?utm_source=newsletter',
    );
    expect(row).toMatchObject({
      publisherName: 'PolitiFact',
      claimant: 'Donald Trump',
      textualRating: 'Pants on Fire',
      rating: 'FALSE',
      ratingPosition: 0,
      language: 'en',
      sourceId: null,
      reviewUrlNormalized: 'https://www.politifact.com/factchecks/2024/jun/28/donald-trump/trump-falsely-says-biden-wants-to-quadruple-taxes',
    });
    expect(row!.claimReview).toEqual(JSON.parse(claimReviewFixture('politifact-claim-review.json')));
    expect(await appearancesOf(app, row!.id)).toEqual([
      'https://www.cnn.com/2024/06/27/politics/read-biden-trump-debate-rush-transcript/index.html',
      'https://www.youtube.com/watch?t=1200&v=qqG96G8YdcE',
    ]);
  });

  test('a list and a DataFeed (GraphQL): each item on its own, the bad ones skipped with their reasons', async () => {
    expect(await importJson(claimReviewFixture('afp-list.json'))).toEqual({
      created: 2,
      updated: 0,
      unchanged: 0,
      skipped: [{ index: 2, reviewUrl: 'https://factcheck.afp.com/doc.afp.com.34ZZ99A', reason: 'no reviewRating' }],
    });
    expect((await storedReview(app, 'https://factuel.afp.com/doc.afp.com.34AB12C'))!.rating).toBe('FALSE');
    expect((await storedReview(app, 'https://factcheck.afp.com/doc.afp.com.34XY7ZQ'))!.rating).toBe('MISLEADING');
    expect(await importJson(claimReviewFixture('full-fact-data-feed.json'))).toEqual({
      created: 2,
      updated: 0,
      unchanged: 0,
      skipped: [
        { index: 2, reviewUrl: 'ftp://fullfact.org/old/archive-item', reason: 'url is not http(s)' },
        { index: 3, reviewUrl: 'https://fullfact.org/online/no-publisher/', reason: 'no publisher name' },
      ],
    });
    expect((await storedReview(app, 'https://fullfact.org/economy/labour-tax-rise-2000-claim/'))!).toMatchObject({ rating: 'MISLEADING', language: 'en-GB' });
    // No rule knows the text and the markup has no ratingValue: null.
    expect((await storedReview(app, 'https://fullfact.org/health/nhs-waiting-list-7-million/'))!.rating).toBeNull();
  });

  test('a Fact Check Tools answer (POST, JSON) and an HTML page with JSON-LD (POST, HTML): the same report as JSON', async () => {
    const tools = await postImport(app, claimReviewFixture('fact-check-tools.json'), desk.editor.token);
    expect(tools).toEqual({
      status: 200,
      body: {
        created: 3,
        updated: 0,
        unchanged: 0,
        skipped: [{ index: 3, reviewUrl: 'https://leadstories.com/hoax-alert/2024/01/no-rating.html', reason: 'no textualRating' }],
        skippedCount: 1,
      },
    });
    expect(await storedReview(app, 'https://chequeado.com/el-explicador/vacunas-grafeno/')).toMatchObject({
      publisherSite: 'https://chequeado.com',
      claimReviewed: 'Las vacunas contra el COVID-19 contienen grafeno',
      claimant: 'Publicaciones en redes sociales',
      rating: 'MISLEADING',
    });
    const page = await postImport(app, claimReviewFixture('correctiv-page.html'), desk.admin.token, 'text/html; charset=utf-8');
    expect(page).toEqual({ status: 200, body: { created: 2, updated: 0, unchanged: 0, skipped: [], skippedCount: 0 } });
    expect((await storedReview(app, 'https://correctiv.org/faktencheck/2023/03/01/gasheizungen-verbot/'))!.rating).toBe('MOSTLY_FALSE');
    expect((await storedReview(app, 'https://correctiv.org/faktencheck/2023/03/02/windraeder-vogelsterben/'))!.rating).toBe('MISLEADING');
  });

  test('a document that is no ClaimReview markup is BAD_USER_INPUT on document, and changes nothing', async () => {
    const before = await snapshotDatabase(app.database.db);
    for (const document of [
      '{"@type":"NewsArticle","headline":"x"}',
      'not json at all',
      '[1',
      '<html><script type="application/ld+json">{"@type":"WebPage"}</script></html>',
    ]) {
      const response = await app.gql(X.import, { i: { document } }, desk.editor.token);
      expect(codes(response), document).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.extensions!.field).toBe('document');
    }
    expect(await snapshotDatabase(app.database.db)).toEqual(before);
  });
});

describe('items and idempotency', () => {
  test('every skip reason, in one list; the valid items go in', async () => {
    const url = uniqueUrl();
    const good = claimReview(url);
    const { reviewRating: _, ...noRating } = claimReview(uniqueUrl());
    const own = claimReview(`${TEST_SITE.PUBLIC_BASE_URL}/fact-checks/RmFjdENoZWNrOjE`);
    const report = await importJson([
      { ...claimReview(''), url: undefined },
      claimReview('mailto:desk@checks.example'),
      { ...claimReview(uniqueUrl()), claimReviewed: '' },
      { ...claimReview(uniqueUrl()), author: { '@type': 'Organization' } },
      noRating,
      { ...claimReview(uniqueUrl()), reviewRating: { '@type': 'Rating', ratingValue: 1 } },
      own,
      { ...claimReview(uniqueUrl()), '@type': 'NewsArticle' },
      { ...claimReview(uniqueUrl()), claimReviewed: 'A\u0000B' },
      good,
    ]);
    expect(report.created).toBe(1);
    expect(report.skipped.map((s: any) => [s.index, s.reason])).toEqual([
      [0, 'no url'],
      [1, 'url is not http(s)'],
      [2, 'no claimReviewed'],
      [3, 'no publisher name'],
      [4, 'no reviewRating'],
      [5, 'reviewRating has no alternateName'],
      [6, OWN_FACT_CHECK],
      [7, 'not a ClaimReview'],
      [8, 'contains NUL characters or lone surrogates'],
    ]);
    expect(report.skipped[6].reviewUrl).toBe(own.url);
    expect(await storedReview(app, own.url)).toBeUndefined();
    expect(await storedReview(app, url)).toBeDefined();
  });

  test('the same review again is unchanged; new content updates it in place (same ID), its appearances replaced; another URL form is the same review', async () => {
    const url = uniqueUrl();
    const first = claimReview(url, { appearances: ['https://social.example/p/1', 'https://social.example/p/2'] });
    expect(await importJson([first])).toMatchObject({ created: 1, updated: 0, unchanged: 0 });
    const created = (await storedReview(app, url))!;
    expect(await importJson([first])).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    // The same review under a tracking parameter and a fragment: the same normalised URL.
    const changed = { ...claimReview(`${url}?utm_campaign=x#top`, { rating: 'Mostly False', appearances: ['https://social.example/p/3'] }) };
    expect(await importJson([changed])).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    const updated = (await storedReview(app, `${url}?utm_campaign=x#top`))!;
    expect(updated).toMatchObject({ id: created.id, textualRating: 'Mostly False', rating: 'MOSTLY_FALSE', importedAt: created.importedAt });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
    expect(updated.contentHash).not.toBe(created.contentHash);
    expect(await appearancesOf(app, created.id)).toEqual(['https://social.example/p/3']);
    expect(await importJson([changed])).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
  });

  test('a URL twice in one document: the last one is imported, the earlier skipped, across batches', async () => {
    const [a, b] = [uniqueUrl(), uniqueUrl()];
    const report = await importJson([claimReview(a, { rating: 'True' }), claimReview(b), claimReview(`${a}/`, { rating: 'Half True' })]);
    expect(report).toEqual({ created: 2, updated: 0, unchanged: 0, skipped: [{ index: 0, reviewUrl: a, reason: DUPLICATE_LATER }] });
    expect((await storedReview(app, `${a}/`))!.rating).toBe('MIXED');
  });

  test('a large document is written in batches of their own statements (2 reviews each here), and again it is all unchanged', async () => {
    const reviews = Array.from({ length: 7 }, () => claimReview(uniqueUrl('batch')));
    const upsert = /^\s*insert into "external_fact_checks"/i;
    const inserts = await statementsDuring(upsert, async () => expect(await importJson(reviews)).toMatchObject({ created: 7, skipped: [] }));
    expect(inserts).toBe(4);
    // Known with the same content: read, never offered to the upsert.
    expect(await statementsDuring(upsert, async () => expect(await importJson(reviews)).toMatchObject({ created: 0, updated: 0, unchanged: 7 }))).toBe(0);
  });
});

describe('rating rules', () => {
  const rulesOf = async (token = desk.editor.token) => ok(await app.gql(X.rules, {}, token)).externalRatingRules;
  const setRules = async (rules: unknown[], token = desk.admin.token) => ok(await app.gql(X.setRules, { i: { rules } }, token)).setExternalRatingRules;

  test('each path: desk rule, language rule, built-in, numeric fallback, null; re-mapped in batches, counted', async () => {
    const urls = Array.from({ length: 7 }, () => uniqueUrl('rules'));
    await importJson([
      claimReview(urls[0]!, { rating: 'Three Pinocchios' }), // no rule: null
      claimReview(urls[1]!, { rating: 'Exagerado', language: 'pt-BR' }), // built-in: MISLEADING
      claimReview(urls[2]!, { rating: 'Exagerado', language: 'es' }), // built-in: MISLEADING
      claimReview(urls[3]!, { rating: 'Two Pinocchios', ratingValue: 2 }), // numeric: MOSTLY_FALSE
      claimReview(urls[4]!, { rating: 'Checked' }), // null
      claimReview(urls[5]!, { rating: 'FALSE', language: 'en' }), // built-in: FALSE
      claimReview(urls[6]!, { rating: 'Falso', language: 'pt' }), // built-in: FALSE
    ]);
    const ratings = async () => Promise.all(urls.map(async (u) => (await storedReview(app, u))!.rating));
    expect(await ratings()).toEqual([null, 'MISLEADING', 'MISLEADING', 'MOSTLY_FALSE', null, 'FALSE', 'FALSE']);

    const { stored } = (await app.database.db.select({ stored: count() }).from(externalFactChecks))[0]!;
    let answer: any;
    const pages = await statementsDuring(/from "external_fact_checks".*limit/is, async () => {
      answer = await setRules([
        { textualRating: 'three pinocchios', rating: 'MOSTLY_FALSE' },
        { textualRating: 'Exagerado', language: 'pt', rating: 'MIXED' },
        { textualRating: 'False', language: null, rating: 'MOSTLY_FALSE' },
      ]);
    });
    expect(pages).toBe(Math.floor(stored / 3) + 1);
    expect(await ratings()).toEqual(['MOSTLY_FALSE', 'MIXED', 'MISLEADING', 'MOSTLY_FALSE', null, 'MOSTLY_FALSE', 'FALSE']);
    // Three changed here, and every other stored "False" (the fixtures' and the earlier tests').
    const { falses } = (await app.database.db.select({ falses: count() }).from(externalFactChecks).where(eqKey('false')))[0]!;
    expect(answer.remapped).toBe(2 + falses);
    expect(answer.rules.slice(0, 3)).toEqual([
      { textualRating: 'three pinocchios', language: null, rating: 'MOSTLY_FALSE', custom: true },
      { textualRating: 'Exagerado', language: 'pt', rating: 'MIXED', custom: true },
      { textualRating: 'False', language: null, rating: 'MOSTLY_FALSE', custom: true },
    ]);
    expect(answer.rules.slice(3).every((r: any) => !r.custom)).toBe(true);
    expect(await rulesOf()).toEqual(answer.rules);

    // A new import reads the desk's rules.
    const later = uniqueUrl('rules');
    await importJson([claimReview(later, { rating: 'Three Pinocchios' })]);
    expect((await storedReview(app, later))!.rating).toBe('MOSTLY_FALSE');

    // No desk rules: back to the built-in ones.
    expect((await setRules([])).remapped).toBe(3 + falses);
    expect(await ratings()).toEqual([null, 'MISLEADING', 'MISLEADING', 'MOSTLY_FALSE', null, 'FALSE', 'FALSE']);
    expect((await rulesOf(desk.admin.token)).every((r: any) => !r.custom)).toBe(true);
  });

  test('bad rules are BAD_USER_INPUT and change nothing', async () => {
    await setRules([{ textualRating: 'Keep me', rating: 'TRUE' }]);
    const before = await snapshotDatabase(app.database.db);
    const cases: [unknown[], string][] = [
      [Array.from({ length: 501 }, (_, i) => ({ textualRating: `Label ${i}`, rating: 'TRUE' })), 'rules'],
      [[{ textualRating: ' ', rating: 'TRUE' }], 'rules.0.textualRating'],
      [[{ textualRating: '!!!', rating: 'TRUE' }], 'rules.0.textualRating'],
      [[{ textualRating: 'x'.repeat(201), rating: 'TRUE' }], 'rules.0.textualRating'],
      [[{ textualRating: 'Fine', language: 'not a tag', rating: 'TRUE' }], 'rules.0.language'],
      [
        [
          { textualRating: 'Dup', language: 'EN', rating: 'TRUE' },
          { textualRating: 'dup', language: 'en', rating: 'FALSE' },
        ],
        'rules',
      ],
    ];
    for (const [rules, field] of cases) {
      const response = await app.gql(X.setRules, { i: { rules } }, desk.admin.token);
      expect(codes(response), field).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.extensions!.field).toBe(field);
    }
    expect(await snapshotDatabase(app.database.db)).toEqual(before);
    expect(await app.database.db.select().from(externalRatingRules)).toHaveLength(1);
    await setRules([]);
  });
});

describe('who may', () => {
  test('reviewers and partners may not import or read the rules; editors may not set them; no token is UNAUTHENTICATED', async () => {
    const document = JSON.stringify([claimReview(uniqueUrl())]);
    const before = await snapshotDatabase(app.database.db);
    for (const user of [desk.reviewer1, desk.partner]) {
      expect(codes(await app.gql(X.import, { i: { document } }, user.token))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(X.rules, {}, user.token))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(X.setRules, { i: { rules: [] } }, user.token))).toEqual(['FORBIDDEN']);
      expect(await postImport(app, document, user.token)).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    }
    expect(codes(await app.gql(X.setRules, { i: { rules: [] } }, desk.editor.token))).toEqual(['FORBIDDEN']);
    expect(codes(await app.gql(X.import, { i: { document } }))).toEqual(['UNAUTHENTICATED']);
    expect(await snapshotDatabase(app.database.db)).toEqual(before);
  });

  test('POST /imports/claim-reviews: 401 without a valid token, 413 over its limit, 415 for another type, 400 for no markup, in its error envelope', async () => {
    const document = JSON.stringify([claimReview(uniqueUrl())]);
    expect(await postImport(app, document, null)).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    expect(await postImport(app, document, 'not-a-token')).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    const large = JSON.stringify(Array.from({ length: 1 + MAX_BYTES / 300 }, () => claimReview(uniqueUrl('large'))));
    expect(large.length).toBeGreaterThan(MAX_BYTES);
    expect(await postImport(app, large, desk.editor.token)).toEqual({
      status: 413,
      body: { error: { code: 'PAYLOAD_TOO_LARGE', message: `Request body is larger than ${MAX_BYTES} bytes` } },
    });
    expect(await postImport(app, document, desk.editor.token, 'text/plain')).toMatchObject({
      status: 415,
      body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } },
    });
    expect(await postImport(app, '{"@type":"WebPage"}', desk.editor.token)).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
    expect(await postImport(app, '<html><body>nothing</body></html>', desk.editor.token, 'text/html')).toMatchObject({ status: 400 });
    expect(await storedReview(app, JSON.parse(document)[0].url)).toBeUndefined();
    expect((await fetch(`${app.url}/imports/claim-reviews`, { headers: { authorization: `Bearer ${desk.editor.token}` } })).status).toBe(405);
  });
});

const eqKey = (key: string) => eq(externalFactChecks.textualRatingKey, key);
