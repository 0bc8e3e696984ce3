/**
 * The CSV exports through the real HTTP server, on PGlite and Postgres: RFC 4180 quoting (commas,
 * quotes, line breaks, emoji) read back with csv-parse, formula neutralising, the list queries'
 * filters and visibility (retracted fact checks never), who may export (401/403), 400 naming a bad
 * parameter, every row across batches, and a client that disconnects mid-stream: the server stops
 * reading batches and keeps serving.
 */
import http from 'node:http';
import { parse } from 'csv-parse/sync';
import { eq, inArray, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { factChecks } from '../../src/db/schema.js';
import { EXPORT_BATCH_ROWS } from '../../src/domain/exports/index.js';
import { toGlobalId } from '../../src/domain/global-ids.js';
import { ok, startTestApp, TEST_SITE, type TestApp } from '../support/app.js';
import { createClaim, createDesk, ingestArticle, publishedArchive, type Desk } from '../support/factories.js';
import { mutate } from '../support/workflow.js';

const FACT_CHECK_COLUMNS = [
  'id',
  'url',
  'claim_reviewed',
  'claimant',
  'quote',
  'rating',
  'summary',
  'language',
  'published_at',
  'updated_at',
  'article_url',
  'article_title',
  'article_publisher',
];
const CLAIM_COLUMNS = [
  'id',
  'status',
  'priority',
  'statement',
  'quote',
  'claimant',
  'article_id',
  'article_url',
  'span_start',
  'span_end',
  'required_verdicts',
  'round',
  'version',
  'due_at',
  'created_at',
  'updated_at',
];

/** Statements a spreadsheet must read back exactly (quoting) or must not run (formulas). */
const QUOTING = ['Prices rose 12%, then fell', 'He said "never", twice', 'Line one\nline two', 'Windows\r\nline break', 'Café 👍🏽 naïve 🇮🇱 “curly”'];
const FORMULAS = ['=HYPERLINK("http://evil.example","x")', '+1+2', '-3+4', '@SUM(A1:A2)', '\tTabbed start', '\rCarriage start', '＝fullwidth equals'];

let app: TestApp;
let desk: Desk;
const statements: string[] = [];
const logLines: { msg: string; rows?: number; batches?: number; complete?: boolean; export?: string }[] = [];

beforeAll(async () => {
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
  app = await startTestApp({}, { logger, onQuery: (q) => void statements.push(q) });
  desk = await createDesk(app.database.db);
});
afterAll(() => app?.stop());

/**
 * A GET on a connection of its own (node:http, no agent): PGlite runs in this process, and while a
 * long insert holds the event loop an idle pooled connection can time out under fetch's feet.
 */
async function get(path: string, token: string | null = desk.editor.token) {
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    http
      .request(`${app.url}${path}`, { agent: false, headers: token ? { authorization: `Bearer ${token}` } : {} }, resolve)
      .on('error', reject)
      .end();
  });
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return { status: response.statusCode!, headers: new Headers(response.headers as Record<string, string>), text: Buffer.concat(chunks).toString('utf8') };
}

const rowsOf = (csv: string) => parse(csv, { columns: true, relax_quotes: false, skip_empty_lines: false, bom: false }) as Record<string, string>[];
const headerOf = (csv: string) => (parse(csv, { to_line: 1 }) as string[][])[0];

describe('fact-checks.csv', () => {
  let archive: string[];
  let retractedId: string;
  beforeAll(async () => {
    const entries = [...QUOTING, ...FORMULAS].map((statement, i) => ({ statement, daysAgo: i + 1 }));
    archive = await publishedArchive(app.database.db, desk.editor.id, [
      ...entries,
      { statement: 'Retracted since', daysAgo: 0.5 },
      { statement: 'Dados em português', daysAgo: 40, language: 'pt-BR' },
    ]);
    retractedId = archive[entries.length]!;
    await app.database.db.update(factChecks).set({ retractedAt: new Date() }).where(eq(factChecks.id, retractedId));
    await app.database.db
      .update(factChecks)
      .set({ rating: 'TRUE', claimant: 'Mayor, "the elder"' })
      .where(inArray(factChecks.id, archive.slice(0, 2)));
  });

  test('partners may export: RFC 4180, UTF-8, header row, every visible fact check read back exactly, retracted ones never', async () => {
    const response = await get('/exports/fact-checks.csv', desk.partner.token);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="fact-checks.csv"');
    expect(headerOf(response.text)).toEqual(FACT_CHECK_COLUMNS);
    expect(response.text.startsWith(`${FACT_CHECK_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(response.text.endsWith('\r\n')).toBe(true);
    const rows = rowsOf(response.text);
    expect(rows.map((r) => r.id)).toEqual([...archive.slice(0, QUOTING.length + FORMULAS.length), archive.at(-1)!].map((id) => toGlobalId('FactCheck', id)));
    expect(rows.some((r) => r.id === toGlobalId('FactCheck', retractedId))).toBe(false);
    // Quoting: commas, quotes, line breaks and emoji come back as they were.
    for (const [i, statement] of QUOTING.entries()) {
      expect(rows[i]!.claim_reviewed).toBe(statement);
      expect(rows[i]!.quote).toBe(statement);
    }
    expect(response.text).toContain('"He said ""never"", twice"');
    expect(response.text).toContain('"Mayor, ""the elder"""');
    expect(rows[0]!.claimant).toBe('Mayor, "the elder"');
    expect(rows[0]!.url).toBe(`${TEST_SITE.PUBLIC_BASE_URL}/fact-checks/${rows[0]!.id}`);
    expect(rows[0]!.published_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    // Formulas: a leading apostrophe, the rest as it was.
    for (const [j, statement] of FORMULAS.entries()) expect(rows[QUOTING.length + j]!.claim_reviewed).toBe(`'${statement}`);
    expect(rows[0]!.article_publisher).toBe(''); // null is an empty field
  });

  test('the factChecks filters, as query parameters, select what the query selects', async () => {
    const viaGraphQL = async (filter: Record<string, unknown>) =>
      ok(await app.gql('query($f: FactCheckFilter) { factChecks(filter: $f, first: 100) { edges { node { id } } } }', { f: filter }, desk.partner.token))
        .factChecks.edges.map((e: any) => e.node.id as string)
        .sort();
    const viaCsv = async (query: string) => {
      const response = await get(`/exports/fact-checks.csv?${query}`, desk.partner.token);
      expect(response.status).toBe(200);
      return rowsOf(response.text)
        .map((r) => r.id)
        .sort();
    };
    const after = new Date(Date.now() - 4.5 * 86_400_000).toISOString();
    const cases: [string, Record<string, unknown>, number][] = [
      ['rating=TRUE', { rating: ['TRUE'] }, 2],
      ['rating=TRUE,FALSE', { rating: ['TRUE', 'FALSE'] }, QUOTING.length + FORMULAS.length + 1],
      ['rating=TRUE&rating=MIXED', { rating: ['TRUE', 'MIXED'] }, 2],
      ['language=pt', { language: 'pt' }, 1],
      [`publishedAfter=${encodeURIComponent(after)}`, { publishedAfter: after }, 4],
      [`publishedBefore=${encodeURIComponent(after)}&rating=FALSE`, { publishedBefore: after, rating: ['FALSE'] }, QUOTING.length + FORMULAS.length + 1 - 4],
      ['search=prices', { search: 'prices' }, 1],
      ['search=dados&language=pt-BR', { search: 'dados', language: 'pt-BR' }, 1],
    ];
    for (const [query, filter, expected] of cases) {
      const ids = await viaCsv(query);
      expect(ids, query).toEqual(await viaGraphQL(filter));
      expect(ids.length, query).toBe(expected);
    }
  });

  test('a bad parameter is 400 naming it, and nothing is streamed', async () => {
    const cases: [string, string][] = [
      ['rating=WRONG', 'rating'],
      ['publishedAfter=yesterday', 'publishedAfter'],
      ['publishedAfter=0000-01-01T00:00:00Z', 'publishedAfter'],
      ['articleUrl=ftp://x.example/a', 'articleUrl'],
      ['language=not a tag', 'language'],
      ['search=a&search=b', 'search'],
      ['limit=10', 'limit'],
      ['search=%E0%A4%A', 'search'],
    ];
    for (const [query, parameter] of cases) {
      const response = await get(`/exports/fact-checks.csv?${query}`, desk.partner.token);
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = JSON.parse(response.text);
      expect(body.error.code).toBe('BAD_REQUEST');
      expect(body.error.parameter, query).toBe(parameter);
      expect(body.error.message, query).toContain(parameter);
    }
  });

  test('no token, an unknown token: 401', async () => {
    expect((await get('/exports/fact-checks.csv', null)).status).toBe(401);
    const unknown = await get('/exports/fact-checks.csv', 'not-a-token-of-ours');
    expect(unknown.status).toBe(401);
    expect(JSON.parse(unknown.text).error.code).toBe('UNAUTHENTICATED');
  });
});

describe('claims.csv', () => {
  let claimIds: string[];
  let articleId: string;
  beforeAll(async () => {
    const body = 'The mayor said, "taxes fell 5%". Crime doubled 👮. =1+1 is math.';
    const article = await ingestArticle(app, desk.editor.token, { body });
    articleId = article.id;
    claimIds = [
      (await createClaim(app, desk.editor.token, { articleId, quote: 'The mayor said, "taxes fell 5%".', priority: 'URGENT' })).id,
      (await createClaim(app, desk.editor.token, { articleId, quote: 'Crime doubled 👮.', statement: 'Crime\ndoubled' })).id,
      (await createClaim(app, desk.editor.token, { articleId, quote: '=1+1 is math.' })).id,
    ];
    ok(await mutate(app, desk.editor.token, 'assign', { claimId: claimIds[1], reviewerIds: [desk.reviewer1.globalId] }));
  });

  test('editors, admins and reviewers may export (as the claims query allows); quoting and formulas as for fact checks', async () => {
    for (const token of [desk.editor.token, desk.admin.token, desk.reviewer2.token]) {
      const response = await get(`/exports/claims.csv?articleId=${articleId}`, token);
      expect(response.status).toBe(200);
      expect(headerOf(response.text)).toEqual(CLAIM_COLUMNS);
      const rows = rowsOf(response.text);
      expect(rows.map((r) => r.id)).toEqual([...claimIds].reverse()); // newest first
      const [math, crime, mayor] = rows;
      expect(mayor!.quote).toBe('The mayor said, "taxes fell 5%".');
      expect(mayor!.priority).toBe('URGENT');
      expect(crime!.statement).toBe('Crime\ndoubled');
      expect(crime!.status).toBe('IN_REVIEW');
      expect(crime!.version).toBe('2');
      expect(math!.quote).toBe("'=1+1 is math.");
      expect(mayor!.article_id).toBe(articleId);
      expect(mayor!.span_start).toBe('0');
      expect(mayor!.due_at).toBe('');
    }
  });

  test('the claims filters select what the claims query selects', async () => {
    const viaGraphQL = async (filter: Record<string, unknown>, orderBy = 'CREATED_AT_DESC') =>
      ok(
        await app.gql(
          'query($f: ClaimFilter, $o: ClaimOrder) { claims(filter: $f, orderBy: $o, first: 100) { edges { node { id } } } }',
          { f: filter, o: orderBy },
          desk.editor.token,
        ),
      ).claims.edges.map((e: any) => e.node.id as string);
    const cases: [string, Record<string, unknown>, string?][] = [
      [`articleId=${articleId}&status=IN_REVIEW`, { articleId, status: ['IN_REVIEW'] }],
      [`articleId=${articleId}&status=OPEN,IN_REVIEW`, { articleId, status: ['OPEN', 'IN_REVIEW'] }],
      [`articleId=${articleId}&priority=URGENT`, { articleId, priority: ['URGENT'] }],
      [`reviewerId=${desk.reviewer1.globalId}`, { reviewerId: desk.reviewer1.globalId }],
      [`articleId=${articleId}&search=mayor`, { articleId, search: 'mayor' }],
      [`articleId=${articleId}&orderBy=PRIORITY_DESC`, { articleId }, 'PRIORITY_DESC'],
    ];
    for (const [query, filter, orderBy] of cases) {
      const response = await get(`/exports/claims.csv?${query}`);
      expect(response.status, query).toBe(200);
      const ids = rowsOf(response.text).map((r) => r.id);
      expect(ids, query).toEqual(await viaGraphQL(filter, orderBy));
      expect(ids.length, query).toBeGreaterThan(0);
    }
  });

  test('partners are refused (403), no token 401, bad parameters 400 naming them', async () => {
    const partner = await get('/exports/claims.csv', desk.partner.token);
    expect(partner.status).toBe(403);
    expect(JSON.parse(partner.text).error.code).toBe('FORBIDDEN');
    expect((await get('/exports/claims.csv?status=NOPE', desk.partner.token)).status).toBe(403); // refused before the parameters are read
    expect((await get('/exports/claims.csv', null)).status).toBe(401);
    for (const [query, parameter] of [
      ['status=NOPE', 'status'],
      ['articleId=junk', 'articleId'],
      ['reviewerId=' + articleId, 'reviewerId'],
      ['dueBefore=soon', 'dueBefore'],
      ['orderBy=RANDOM', 'orderBy'],
      ['first=5', 'first'],
    ]) {
      const response = await get(`/exports/claims.csv?${query}`);
      expect(response.status, query).toBe(400);
      expect(JSON.parse(response.text).error.parameter, query).toBe(parameter);
    }
  });

  test('HEAD answers the headers and reads no rows', async () => {
    const before = statements.length;
    // node:http on a connection of its own: a bodiless HEAD answer of unknown length closes its
    // connection, and Node 20's fetch pool was seen to reuse such a socket later (ECONNRESET).
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http
        .request(`${app.url}/exports/claims.csv`, { method: 'HEAD', agent: false, headers: { authorization: `Bearer ${desk.editor.token}` } }, resolve)
        .on('error', reject)
        .end();
    });
    response.resume();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(statements.slice(before).filter((s) => /from "claims" inner join "articles"/.test(s))).toEqual([]);
  });
});

describe('large exports', () => {
  const ROWS = 6 * EXPORT_BATCH_ROWS;
  const LONG = 'x'.repeat(4_000);
  const exportStatements = () => statements.filter((s) => /from "fact_checks" inner join "articles"/.test(s)).length;
  beforeAll(async () => {
    const ids = await publishedArchive(
      app.database.db,
      desk.editor.id,
      Array.from({ length: ROWS }, (_, i) => ({ statement: `Bulk statement ${i}`, daysAgo: 1_000 + i / 100 })),
    );
    await app.database.db
      .update(factChecks)
      .set({ summary: sql`${LONG} || ${factChecks.claimReviewed}` })
      .where(inArray(factChecks.id, ids));
  }, 300_000);

  test('every row, in order, once, across batches', async () => {
    const before = exportStatements();
    const response = await get(
      '/exports/fact-checks.csv?publishedBefore=' + encodeURIComponent(new Date(Date.now() - 999 * 86_400_000).toISOString()),
      desk.partner.token,
    );
    expect(response.status).toBe(200);
    const rows = rowsOf(response.text);
    expect(rows).toHaveLength(ROWS);
    expect(rows.map((r) => r.claim_reviewed)).toEqual(Array.from({ length: ROWS }, (_, i) => `Bulk statement ${i}`));
    expect(rows[0]!.summary).toBe(`${LONG}Bulk statement 0`);
    // One statement per batch of EXPORT_BATCH_ROWS, and one more that finds the end.
    expect(exportStatements() - before).toBe(ROWS / EXPORT_BATCH_ROWS + 1);
  }, 120_000);

  test('a client that disconnects mid-stream stops the export: no batch is read after, and the server keeps serving', async () => {
    logLines.length = 0;
    const before = exportStatements();
    const controller = new AbortController();
    const response = await fetch(`${app.url}/exports/fact-checks.csv`, {
      headers: { authorization: `Bearer ${desk.partner.token}` },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value).startsWith('id,url,')).toBe(true);
    controller.abort();
    // The server notices when its socket closes; wait (bounded) for its account of the export.
    let ended: (typeof logLines)[number] | undefined;
    for (let i = 0; i < 200 && !ended; i++) {
      ended = logLines.find((l) => l.export === 'fact-checks.csv' && typeof l.complete === 'boolean');
      if (!ended) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(ended, 'the export never ended').toBeDefined();
    expect(ended!.complete).toBe(false);
    expect(ended!.msg).toBe('CSV export stopped: the client went away');
    const total = ROWS / EXPORT_BATCH_ROWS; // and more: the small fact checks of the other tests
    expect(ended!.batches!).toBeLessThan(total);
    console.log(`disconnect mid-export: the server read ${ended!.batches} of at least ${total} batches (${ended!.rows} rows) and stopped`);
    // Every statement the export ran is one of the batches it counted: none was read after the client left.
    expect(exportStatements() - before).toBe(ended!.batches);
    // Still serving: a query, and a whole export.
    expect(ok(await app.gql('{ factChecks(first: 1) { totalCount } }', {}, desk.partner.token)).factChecks.totalCount).toBeGreaterThan(ROWS);
    const again = await get('/exports/fact-checks.csv?rating=TRUE', desk.partner.token);
    expect(rowsOf(again.text)).toHaveLength(2);
  }, 120_000);
});
