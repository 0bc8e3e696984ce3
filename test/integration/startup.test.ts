import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../../src/config.js';
import { seedsFolder } from '../../src/paths.js';
import { openDatabase } from '../../src/db/connection.js';
import { createLogger } from '../../src/server/logger.js';
import { startApp } from '../../src/server/start.js';
import { createTestDatabase, testDatabaseKind } from '../support/database.js';

const dir = mkdtempSync(join(tmpdir(), 'factcheck-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function postWith(url: string, query: string, variables: Record<string, unknown>, token: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: unknown[] };
}
const post = (url: string, query: string, token: string) => postWith(url, query, {}, token);

const CLAIMS = '{ claims(orderBy: PRIORITY_DESC) { totalCount edges { node { quote status span { start end } article { body } } } } }';

test('npm start: migrates, seeds once, keeps data across restarts, honours ADMIN_TOKEN', async () => {
  // On Postgres the same start-up runs against a fresh database of its own; on PGlite, a data folder.
  const testDb = testDatabaseKind === 'postgres' ? await createTestDatabase() : null;
  await testDb?.close();
  const env = {
    NODE_ENV: 'development',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: testDb?.url ?? `pglite:${join(dir, 'db')}`,
    ADMIN_TOKEN: 'admin-token-for-tests-0123456789',
  };
  const logger = createLogger('silent');
  try {
    const first = await startApp(loadConfig(env), logger);
    let editorToken: string;
    try {
      expect(first.seeded?.map((u) => u.role).sort()).toEqual(['EDITOR', 'PARTNER', 'REVIEWER', 'REVIEWER']);
      editorToken = first.seeded!.find((u) => u.role === 'EDITOR')!.token;
      const { data } = await post(first.url, CLAIMS, editorToken);
      expect(data.claims.totalCount).toBe(3);
      for (const { node } of data.claims.edges) expect(Array.from(node.article.body).slice(node.span.start, node.span.end).join('')).toBe(node.quote);
      // HIGH and NORMAL are in review; the LOW one went the whole way (see the next test).
      expect(data.claims.edges.map((e: any) => e.node.status)).toEqual(['IN_REVIEW', 'IN_REVIEW', 'PUBLISHED']);
      const admin = await post(first.url, '{ viewer { role } }', env.ADMIN_TOKEN);
      expect(admin.data.viewer.role).toBe('ADMIN');
      const partner = first.seeded!.find((u) => u.role === 'PARTNER')!.token;
      expect(JSON.stringify((await post(first.url, CLAIMS, partner)).errors)).toContain('FORBIDDEN');
    } finally {
      await first.stop();
    }

    const second = await startApp(loadConfig(env), logger);
    try {
      expect(second.seeded).toBeNull();
      const { data } = await post(second.url, '{ claims { totalCount } articles { totalCount } factChecks { totalCount } }', editorToken);
      expect(data).toEqual({ claims: { totalCount: 3 }, articles: { totalCount: 1 }, factChecks: { totalCount: 1 } });
      expect((await post(second.url, '{ viewer { role } }', env.ADMIN_TOKEN)).data.viewer.role).toBe('ADMIN');
    } finally {
      await second.stop();
    }
  } finally {
    await testDb?.drop();
  }
});

const DEMO = JSON.parse(readFileSync(join(seedsFolder, 'demo.json'), 'utf8'));
const SEEDED_CLAIM = DEMO.claims.find((c: any) => c.factCheck);

const SEEDED_FACT_CHECK = `{
  claims(filter: { status: [PUBLISHED] }) {
    totalCount
    edges { node { statement requiredVerdicts version
      evidence { title stance url addedBy { name } }
      verdicts { rating confidence reviewer { name } citedEvidence { title } }
      history { type toStatus version note actor { name } }
      factCheck { id } } }
  }
}`;

test('a freshly seeded server shows partners one published fact check: factChecks, its page, claims:search, the change feed', async () => {
  const testDb = testDatabaseKind === 'postgres' ? await createTestDatabase() : null;
  await testDb?.close();
  const env = { NODE_ENV: 'development', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: testDb?.url ?? 'memory:' };
  try {
    const app = await startApp(loadConfig(env), createLogger('silent'));
    try {
      const tokenOf = (role: string) => app.seeded!.find((u) => u.role === role)!.token;
      const partner = tokenOf('PARTNER');

      // Made through the domain functions, as the mutations make it: every step is in the history.
      const { data: staff } = await post(app.url, SEEDED_FACT_CHECK, tokenOf('EDITOR'));
      expect(staff.claims.totalCount).toBe(1);
      const claim = staff.claims.edges[0].node;
      expect(claim.statement).toBe(SEEDED_CLAIM.statement);
      // (Sorted: rows added within one millisecond have no set order.)
      const sorted = (rows: unknown[][]) => rows.map((row) => JSON.stringify(row)).sort();
      expect(sorted(claim.evidence.map((e: any) => [e.stance, e.addedBy.name]))).toEqual(
        sorted([
          ['REFUTES', 'Rafael Reviewer'],
          ['CONTEXT', 'Rafael Reviewer'],
          ['CONTEXT', 'Rina Reviewer'],
        ]),
      );
      expect(claim.evidence.every((e: any) => e.url === DEMO.article.url)).toBe(true);
      // As many verdicts as it requires, all equal (REVIEWED before publishing), each citing its evidence.
      expect(claim.verdicts).toHaveLength(claim.requiredVerdicts);
      expect(sorted(claim.verdicts.map((v: any) => [v.reviewer.name, v.rating, v.confidence, v.citedEvidence.length]))).toEqual(
        sorted([
          ['Rafael Reviewer', 'MISLEADING', 'HIGH', 2],
          ['Rina Reviewer', 'MISLEADING', 'MEDIUM', 2],
        ]),
      );
      expect(claim.history.map((e: any) => [e.type, e.toStatus, e.version])).toEqual([
        ['CREATED', 'OPEN', 1],
        ['ASSIGNED', 'IN_REVIEW', 2],
        ['EVIDENCE_ADDED', 'IN_REVIEW', 3],
        ['EVIDENCE_ADDED', 'IN_REVIEW', 4],
        ['EVIDENCE_ADDED', 'IN_REVIEW', 5],
        ['VERDICT_SUBMITTED', 'IN_REVIEW', 6],
        ['VERDICT_SUBMITTED', 'REVIEWED', 7],
        ['PUBLISHED', 'PUBLISHED', 8],
      ]);
      expect(claim.version).toBe(8);
      // Blind review holds in the audit trail: a verdict's event names no rating.
      expect(claim.history.filter((e: any) => e.type === 'VERDICT_SUBMITTED').map((e: any) => e.note)).toEqual([null, null]);
      const id = claim.factCheck.id;

      // GraphQL, as a partner: the list, and a search with a word of the claim.
      const FACT_CHECKS =
        'query($filter: FactCheckFilter) { factChecks(filter: $filter) { totalCount edges { node { id claimReviewed rating textualRating summary article { url } } } } }';
      const all = await postWith(app.url, FACT_CHECKS, {}, partner);
      expect(all.errors).toBeUndefined();
      expect(all.data.factChecks.totalCount).toBe(1);
      expect(all.data.factChecks.edges[0].node).toEqual({
        id,
        claimReviewed: SEEDED_CLAIM.statement,
        rating: 'MISLEADING',
        textualRating: 'Misleading',
        summary: SEEDED_CLAIM.factCheck.summary,
        article: { url: DEMO.article.url },
      });
      const searched = await postWith(app.url, FACT_CHECKS, { filter: { search: 'Blinken settlement' } }, partner);
      expect(searched.data.factChecks.edges.map((e: any) => e.node.id)).toEqual([id]);

      // The public page, without a token.
      const page = await fetch(`${app.url}/fact-checks/${id}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('<strong>Rating: Misleading</strong>');
      expect(html).toContain('<script type="application/ld+json">');
      expect(html).toContain(DEMO.article.url);

      // The Google-compatible search, with the partner's key.
      const search = await fetch(`${app.url}/v1alpha1/claims:search?query=settlement&key=${encodeURIComponent(partner)}`);
      expect(search.status).toBe(200);
      const found = (await search.json()) as any;
      expect(found.claims).toHaveLength(1);
      expect(found.claims[0]).toMatchObject({
        text: SEEDED_CLAIM.statement,
        claimReview: [{ url: `${app.url}/fact-checks/${id}`, textualRating: 'Misleading', languageCode: 'en' }],
      });

      // The change feed has its publication.
      const feed = await post(app.url, '{ factCheckChanges { edges { node { type factCheckId } } } }', partner);
      expect(feed.data.factCheckChanges.edges.map((e: any) => e.node)).toEqual([{ type: 'PUBLISHED', factCheckId: id }]);
    } finally {
      await app.stop();
    }
  } finally {
    await testDb?.drop();
  }
});

test('SEED=none loads nothing; production defaults to no seed', async () => {
  expect(loadConfig({ NODE_ENV: 'production' }).SEED).toBe('none');
  expect(loadConfig({}).SEED).toBe('demo');
  expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  const app = await startApp(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: 'memory:', SEED: 'none' }), createLogger('silent'));
  try {
    expect(app.seeded).toBeNull();
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
  } finally {
    await app.stop();
  }
});

test.runIf(testDatabaseKind === 'postgres')('Postgres cancels a statement over DATABASE_STATEMENT_TIMEOUT_MS; the pool serves on', async () => {
  expect(loadConfig({}).DATABASE_STATEMENT_TIMEOUT_MS).toBe(10_000);
  expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '-1' })).toThrow(/DATABASE_STATEMENT_TIMEOUT_MS/);
  const testDb = await createTestDatabase();
  await testDb.close();
  const database = await openDatabase(testDb.url!, { poolSize: 1, statementTimeoutMs: 100 });
  try {
    await expect(database.db.execute(sql`select pg_sleep(2)`)).rejects.toMatchObject({ cause: { code: '57014' } }); // query_canceled
    await database.ping();
  } finally {
    await database.close();
    await testDb.drop();
  }
});
