import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/connection.js';
import { createLogger } from '../../src/server/logger.js';
import { startApp } from '../../src/server/start.js';
import { createTestDatabase, testDatabaseKind } from '../support/database.js';

const dir = mkdtempSync(join(tmpdir(), 'factcheck-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function post(url: string, query: string, token: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: any; errors?: unknown[] };
}

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
      expect(data.claims.edges.map((e: any) => e.node.status)).toEqual(['IN_REVIEW', 'IN_REVIEW', 'OPEN']);
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
      const { data } = await post(second.url, '{ claims { totalCount } articles { totalCount } }', editorToken);
      expect(data).toEqual({ claims: { totalCount: 3 }, articles: { totalCount: 1 } });
      expect((await post(second.url, '{ viewer { role } }', env.ADMIN_TOKEN)).data.viewer.role).toBe('ADMIN');
    } finally {
      await second.stop();
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
