/**
 * The compiled server refusing to start, as a person meets it: one readable line on stderr, exit 1,
 * no stack trace. One process per embedded (PGlite) folder: a second one is refused and writes
 * nothing; a holder killed with -9 leaves no lock behind. PUBLIC_BASE_URL follows the port in use.
 * PGlite project only: nothing here needs Postgres.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LOCK_FILE, lockDataFolder } from '../../src/db/data-folder-lock.js';
import { testDatabaseKind } from '../support/database.js';
import { INGEST } from '../support/factories.js';
import { killAllServers, okData, runUntilExit, startServer, type Finished } from '../support/processes.js';
import { M } from '../support/workflow.js';

const ADMIN_TOKEN = 'admin-token-for-safe-start-0123456789';

/** A port nothing listens on (bound, read, closed). */
const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

/** Exit 1 with exactly one line on stderr, which starts with the program's name; no stack trace anywhere. */
function expectOneLineRefusal(result: Finished): string {
  expect(result.exit, `stderr:\n${result.stderr.join('\n')}`).toEqual({ code: 1, signal: null });
  expect(result.stderr).toHaveLength(1);
  const line = result.stderr[0]!;
  expect(line).toMatch(/^factcheck-api: /);
  expect([...result.stdout, line].join('\n')).not.toMatch(/\n\s+at |"stack"|Error:/);
  return line;
}

/** name → size and mtime of every file below `folder`. */
function folderState(folder: string): Record<string, string> {
  const state: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else state[path.slice(folder.length)] = `${statSync(path).size}@${statSync(path, { bigint: true }).mtimeNs}`;
    }
  };
  walk(folder);
  return state;
}

describe.runIf(testDatabaseKind === 'pglite')('start-up', () => {
  // Inside the describe: in the postgres project it is skipped, and so are its hooks.
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'factcheck-safe-start-'));
  });
  afterAll(async () => {
    await killAllServers();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('a bad setting: exit 1, one line naming each variable and its rule, secrets not echoed', async () => {
    const result = await runUntilExit({
      DATABASE_URL: 'memory:',
      PORT: 'eighty',
      DATABASE_POOL_SIZE: '0',
      PUBLIC_BASE_URL: 'localhost:4000',
      ADMIN_TOKEN: 'short-secret',
    });
    const line = expectOneLineRefusal(result);
    expect(line).toContain('invalid configuration');
    expect(line).toContain('PORT must be an integer from 0 to 65535 (0: any free port) (got "eighty")');
    expect(line).toContain('DATABASE_POOL_SIZE must be an integer from 1 to 100 (got "0")');
    expect(line).toContain('PUBLIC_BASE_URL must be an absolute http(s) URL (got "localhost:4000")');
    expect(line).toContain('ADMIN_TOKEN must be at least 16 characters');
    expect(line).not.toContain('short-secret');
  });

  test('an unreachable database: exit 1, one line naming it (without its password) and the reason', async () => {
    const port = await freePort();
    const result = await runUntilExit({ DATABASE_URL: `postgres://postgres:s3cret@127.0.0.1:${port}/factcheck` });
    const line = expectOneLineRefusal(result);
    expect(line).toContain(`cannot open the database postgres://postgres@127.0.0.1:${port}/factcheck`);
    expect(line).toContain('ECONNREFUSED');
    expect(line).not.toContain('s3cret');
  });

  test('a port in use: exit 1, one line naming HOST and PORT', async () => {
    const holder = await startServer('port holder', { DATABASE_URL: 'memory:' }, { readyTimeoutMs: 90_000 });
    const port = new URL(holder.url).port;
    const line = expectOneLineRefusal(await runUntilExit({ DATABASE_URL: 'memory:', PORT: port }));
    expect(line).toContain(`cannot listen on HOST 127.0.0.1 PORT ${port} (EADDRINUSE)`);
    expect(await holder.stop()).toEqual({ code: 0, signal: null });
  }, 120_000);

  test('a folder locked by another process: the second process exits at once naming folder and holder, and writes nothing', async () => {
    const folder = join(dir, 'held-by-the-test');
    mkdirSync(folder);
    const lock = lockDataFolder(folder); // this test process holds it, as a running server would
    try {
      const before = folderState(folder);
      const result = await runUntilExit({ DATABASE_URL: `pglite:${folder}` }, 20_000);
      const line = expectOneLineRefusal(result);
      expect(line).toContain(`the embedded database folder ${folder} is in use by process ${process.pid}`);
      // Not a byte written: no initdb, no migration, the lock file untouched.
      expect(folderState(folder)).toEqual(before);
      expect(readdirSync(folder)).toEqual([LOCK_FILE]);
      expect(readFileSync(join(folder, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
    } finally {
      lock.release();
    }
  });

  test("two servers on one folder: the second is refused with the first one's pid; after kill -9 of the first, the next start succeeds at once", async () => {
    const env = { DATABASE_URL: `pglite:${join(dir, 'shared')}`, ADMIN_TOKEN };
    const first = await startServer('first', env, { readyTimeoutMs: 90_000 });
    const ingested = okData(
      await first.gql(INGEST, { input: { url: 'https://news.example/one-writer', title: 'One writer', body: 'Only one process writes here.' } }, ADMIN_TOKEN),
    );
    expect(ingested.ingestArticle.created).toBe(true);

    const second = await runUntilExit(env, 30_000);
    expect(expectOneLineRefusal(second)).toContain(`the embedded database folder ${join(dir, 'shared')} is in use by process ${first.pid}`);
    expect(await first.get('/readyz')).toMatchObject({ kind: 'response', status: 200 });

    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const third = await startServer('after kill -9', env, { readyTimeoutMs: 90_000 });
    const articles = okData(await third.gql('{ articles { totalCount edges { node { url } } } }', {}, ADMIN_TOKEN)).articles;
    expect(articles.edges.map((e: { node: { url: string } }) => e.node.url)).toEqual(['https://news.example/one-writer']);
    expect(await third.stop()).toEqual({ code: 0, signal: null });
  }, 200_000);

  test('PUBLIC_BASE_URL and ORG_URL default to the URL actually listened on (PORT=0): a published ClaimReview names it', async () => {
    const server = await startServer('PORT=0', { DATABASE_URL: 'memory:', SEED: 'demo', PORT: '0' }, { readyTimeoutMs: 90_000 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).not.toBe('http://127.0.0.1:0');
    // The demo tokens main.ts prints: "  EDITOR    Erin Editor          fc_…  id <token ID>".
    const tokens = new Map(
      server.stdout.flatMap((line) => {
        const match = /^ {2}[A-Z]+\s+(\S.*?)\s+(fc_\S+)(?:\s+id \S+)?\s*$/.exec(line);
        return match ? [[match[1]!, match[2]!] as const] : [];
      }),
    );
    const editor = tokens.get('Erin Editor')!;
    const claims = okData(
      await server.gql('{ claims { edges { node { id requiredVerdicts assignments { reviewer { name } } } } } }', {}, editor),
    ).claims.edges.map((e: any) => e.node);
    // The seeded claim that one assigned reviewer's verdict completes.
    const claim = claims.find((c: any) => c.requiredVerdicts === 1 && c.assignments.length === 1);
    const reviewer = tokens.get(claim.assignments[0].reviewer.name)!;
    okData(await server.gql(M.verdict, { i: { claimId: claim.id, rating: 'MISLEADING', confidence: 'HIGH', rationale: 'Out of context.' } }, reviewer));
    const factCheck = okData(await server.gql(M.publish, { i: { claimId: claim.id, rating: 'MISLEADING', summary: 'Out of context.' } }, editor))
      .publishFactCheck.factCheck;
    const page = await server.get(`/fact-checks/${factCheck.id}.jsonld`);
    expect(page).toMatchObject({ kind: 'response', status: 200 });
    const review = JSON.parse((page as { body: string }).body);
    expect(review.url).toBe(`${server.url}/fact-checks/${factCheck.id}`);
    expect(review.author.url).toBe(server.url);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  }, 120_000);
});
