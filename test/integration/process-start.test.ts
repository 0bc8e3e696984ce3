/**
 * `npm start` as a user runs it: the compiled server as a child process on an embedded PGlite data
 * folder. First start: migrates, seeds, prints the demo tokens; SIGTERM exits 0. Second start on the
 * same folder: prints no tokens (not seeded twice), and the data (and the tokens) are still there.
 * Runs in both vitest projects: it needs no Postgres.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { killAllServers, okData, startServer, type ServerProcess } from '../support/processes.js';

const dir = mkdtempSync(join(tmpdir(), 'factcheck-process-start-'));
afterAll(async () => {
  await killAllServers();
  rmSync(dir, { recursive: true, force: true });
});

/** The lines main.ts prints for each seeded user: "  EDITOR    Erin Editor          fc_…  id QXBpVG9rZW46…". */
const TOKEN_LINE = /^ {2}(ADMIN|EDITOR|REVIEWER|PARTNER)\s+(\S.*?)\s+(fc_[A-Za-z0-9_-]{20,})\s+id ([A-Za-z0-9_-]+)\s*$/;
const printedTokens = (server: ServerProcess) =>
  server.stdout.flatMap((line) => {
    const match = TOKEN_LINE.exec(line);
    return match ? [{ role: match[1]!, name: match[2]!, token: match[3]!, tokenId: match[4]! }] : [];
  });

/** SIGTERM → exit code 0, after main.ts's shutdown ran to its end: it logs "stopped" once the HTTP
 *  drain and the database close are done, right before exit(0). Exit 0 without that line means the
 *  process ended with its shutdown unfinished (the event loop ran dry), the database never closed. */
async function expectCleanStop(server: ServerProcess) {
  expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  // Soft: the rest of the test (the restart) still runs and reports when this fails.
  expect
    .soft(
      server.stdout.some((line) => line.includes('"msg":"stopped"')),
      `${server.name}: SIGTERM must run main.ts's shutdown to its end; the last lines were:\n${server.stdout.slice(-2).join('\n')}`,
    )
    .toBe(true);
}

const CLAIMS = '{ claims(orderBy: PRIORITY_DESC) { totalCount edges { node { quote status span { start end } article { body } } } } }';

test('npm start on PGlite: seeds once and prints the tokens, SIGTERM exits 0, a restart keeps the data and prints none', async () => {
  const env = { DATABASE_URL: `pglite:${join(dir, 'data')}`, SEED: 'demo', NODE_ENV: 'development', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' };

  const first = await startServer('first start', env, { readyTimeoutMs: 60_000 });
  const tokens = printedTokens(first);
  expect(tokens.map((t) => t.role).sort()).toEqual(['EDITOR', 'PARTNER', 'REVIEWER', 'REVIEWER']);
  expect(new Set(tokens.map((t) => t.token)).size).toBe(4);
  const editor = tokens.find((t) => t.role === 'EDITOR')!;
  expect(editor.name).toBe('Erin Editor');

  const claims = okData(await first.gql(CLAIMS, {}, editor.token)).claims;
  expect(claims.totalCount).toBe(3);
  for (const { node } of claims.edges)
    expect(
      Array.from(node.article.body as string)
        .slice(node.span.start, node.span.end)
        .join(''),
    ).toBe(node.quote);
  expect(okData(await first.gql('{ viewer { name role } }', {}, editor.token)).viewer).toEqual({ name: 'Erin Editor', role: 'EDITOR' });
  // The printed ID is the token's, so that a leaked demo token can be revoked through the API.
  expect(okData(await first.gql('{ viewer { apiTokens { id label } } }', {}, editor.token)).viewer.apiTokens).toEqual([{ id: editor.tokenId, label: 'demo' }]);
  expect(await first.get('/readyz')).toMatchObject({ kind: 'response', status: 200 });
  await expectCleanStop(first);

  const second = await startServer('second start', env, { readyTimeoutMs: 60_000 });
  expect(printedTokens(second)).toEqual([]);
  expect(second.stdout.join('\n')).not.toContain('bearer tokens, shown only now');
  expect(second.stdout.some((line) => line.includes('seeds/ were loaded on an earlier start'))).toBe(true);
  // The same data: three claims, one article; the token printed by the first start still works.
  const again = okData(await second.gql('{ claims { totalCount } articles { totalCount } }', {}, editor.token));
  expect(again).toEqual({ claims: { totalCount: 3 }, articles: { totalCount: 1 } });
  await expectCleanStop(second);
}, 120_000);
