/**
 * `npm start` as a process manager runs it: the signal goes to the npm process alone, never to its
 * process group. npm forwards SIGTERM/SIGINT to its script's `sh -c`; Debian's dash does not exec
 * the last command itself, so `start` says `exec node …` and the server is npm's own child.
 * Also: `prestart`'s build is incremental and rewrites nothing in dist/ while other test files run
 * processes from it. PGlite project only: it needs no Postgres.
 */
import { createConnection } from 'node:net';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { testDatabaseKind } from '../support/database.js';
import { PROJECT_ROOT, delay, descendantsOf, isGone, killAllServers, processInfo, startServer } from '../support/processes.js';

/** Every pid this file saw below npm, killed by pid in afterAll should a test fail midway. */
const seen = new Set<number>();

/** path → mtime (ns) of every file in dist/. */
function distSnapshot(): Map<string, bigint> {
  const files = new Map<string, bigint>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(path, statSync(path, { bigint: true }).mtimeNs);
    }
  };
  walk(join(PROJECT_ROOT, 'dist'));
  return files;
}

const portAnswers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe.runIf(testDatabaseKind === 'pglite')('npm start', () => {
  // Inside the describe: in the postgres project it is skipped, and so are its hooks.
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'factcheck-npm-start-'));
  });
  afterAll(async () => {
    for (const pid of seen) if (!isGone(pid)) process.kill(pid, 'SIGKILL');
    await killAllServers();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test.each(['SIGTERM', 'SIGINT'] as const)(
    '%s to the npm process alone drains and stops the server; nothing is left running',
    async (signal) => {
      const before = distSnapshot();
      const npm = await startServer(
        `npm start (${signal})`,
        { DATABASE_URL: `pglite:${join(dir, signal)}`, SEED: 'none', PORT: '0', HOST: '127.0.0.1' },
        {
          readyTimeoutMs: 90_000,
          command: { file: 'npm', args: ['start'], cwd: PROJECT_ROOT },
        },
      );
      const below = descendantsOf(npm.pid);
      below.forEach((pid) => seen.add(pid));

      // prestart's build found nothing to do: no file in dist/ was written.
      const after = distSnapshot();
      const rewritten = [...after].filter(([path, mtime]) => before.get(path) !== mtime).map(([path]) => path);
      expect(rewritten, 'dist/ must be current before this test (npm test builds it in pretest); an unchanged tree must emit nothing').toEqual([]);

      // The server is npm's own child (the shell exec'd it), and the only process left below npm.
      const servers = below.filter((pid) => processInfo(pid)?.cmdline.includes('dist/src/server/main.js'));
      expect(servers).toHaveLength(1);
      const server = servers[0]!;
      expect(processInfo(server)?.ppid, `below npm: ${below.map((pid) => `${pid} ${processInfo(pid)?.cmdline}`).join('; ')}`).toBe(npm.pid);
      expect(below).toEqual([server]);

      const port = Number(new URL(npm.url).port);
      expect(await npm.get('/readyz')).toMatchObject({ kind: 'response', status: 200 });

      process.kill(npm.pid, signal); // the npm pid only, not its group
      const exit = await Promise.race([npm.exited, delay(20_000).then(() => null)]);
      expect(exit, `npm did not exit after ${signal}; its output:\n${npm.stdout.slice(-5).join('\n')}`).toEqual({ code: 0, signal: null });
      expect(
        npm.stdout.some((line) => line.includes('"msg":"stopped"')),
        'the server ran its drain to the end',
      ).toBe(true);
      expect(isGone(server), `server process ${server} is still running: ${processInfo(server)?.cmdline}`).toBe(true);
      expect(await portAnswers(port)).toBe(false);
    },
    120_000,
  );
});
