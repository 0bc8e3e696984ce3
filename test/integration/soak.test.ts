/**
 * The soak's short mode (issue 32): `node bench/soak.mjs --minutes 1` as a child process, against the
 * Postgres of TEST_DATABASE_URL (a database of its own, dropped at the end), exits 0: no failed
 * request or webhook delivery, handles and connections at the end as at the start (the rule in
 * bench/README.md), a clean exit of the server on SIGTERM, no error in its log. One minute is all
 * warm-up, so the RSS growth is reported, not enforced (`npm run soak` enforces it from 4 minutes).
 * The soak needs nothing but the project's own install and dist/ (built by npm test's pretest).
 *
 * Postgres project only, like processes.test.ts (CI runs it: .ci/run sets TEST_DATABASE_URL);
 * about 1.5 minutes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, test } from 'vitest';
import { testDatabaseKind } from '../support/database.js';
import { PROJECT_ROOT, delay, isGone } from '../support/processes.js';

describe.runIf(testDatabaseKind === 'postgres')('soak, short mode', () => {
  let child: ChildProcess | null = null;

  afterAll(async () => {
    // Timed out or failed midway: SIGTERM lets the soak stop its server and drop its database (bench/lib/procs.mjs).
    const pid = child?.pid;
    if (!pid || child?.exitCode !== null || isGone(pid)) return;
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100 && !isGone(pid); i++) await delay(100);
    if (!isGone(pid)) process.kill(pid, 'SIGKILL');
  });

  test('node bench/soak.mjs --minutes 1: every request and delivery succeeds, handles and connections end as they started', async () => {
    const base = new URL(process.env.TEST_DATABASE_URL!);
    base.pathname = '';
    base.search = '';
    const out: string[] = [];
    const exit = await new Promise<number | null>((resolve, reject) => {
      child = spawn(process.execPath, ['bench/soak.mjs', '--minutes', '1'], {
        cwd: PROJECT_ROOT,
        // Nothing inherited but PATH/HOME: the server's settings are the soak's, not this process's.
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', BENCH_PG_URL: base.toString().replace(/\/$/, '') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
      child.stderr!.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
      child.once('error', reject);
      child.once('exit', (code) => resolve(code));
    });
    const output = out.join('');
    expect(exit, output.slice(-4_000)).toBe(0);

    const result = JSON.parse(output.trim().split('\n').at(-1)!);
    expect(result).toMatchObject({ errors: 0, problems: [], rss_growth_enforced: false });
    expect(result.windows).toHaveLength(4);
    expect(result.published).toBeGreaterThan(0);
    expect(result.webhook_deliveries_by_type['fact_check.published']).toBe(result.published);
    expect(result.last_export.rows).toBeGreaterThan(0);
    expect(result.end.listen).toBe(result.start.listen);
    expect(result.end.handles - result.start.handles).toBe(result.end.connections - result.start.connections);
  }, 300_000);
});
