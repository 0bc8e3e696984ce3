/**
 * The log is written off the main thread (src/server/logger.ts): no exit may lose the lines still
 * in its buffer. The compiled server logs one line per request at info and exits on SIGTERM: every
 * request's line is on its stdout, then "stopped", the last. And the logger alone, in a process
 * that logs 10 MB of lines and exits at once (process.exit, an uncaught exception): every line
 * arrives, whole; each write(2) holds whole lines, 4096 bytes at most (atomic on a pipe shared by a
 * cluster's workers); a reader that stopped reading neither holds a timed-out flush's exit up nor
 * grows the buffer past its cap. The server part runs on both databases; the logger part needs none
 * (PGlite project).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { LOG_MAX_WRITE } from '../../src/server/logger.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/database.js';
import { killAllServers, PROJECT_ROOT, startServer } from '../support/processes.js';

const ADMIN_TOKEN = 'admin-token-for-log-flush-test-0123456789';
const REQUESTS = 300;
const CONCURRENCY = 10;

const databases: TestDatabase[] = [];
afterAll(async () => {
  await killAllServers();
  for (const database of databases) await database.drop();
});

const parsed = (lines: readonly string[]) =>
  lines.map((line) => {
    try {
      return JSON.parse(line) as Record<string, any>;
    } catch {
      return null;
    }
  });

test('SIGTERM right after a burst of requests: every request line is on stdout, then "stopped", the last line', async () => {
  const database = await createTestDatabase({ poolSize: 1 });
  databases.push(database);
  const server = await startServer(
    'log flush',
    { DATABASE_URL: database.url ?? 'memory:', ADMIN_TOKEN, NODE_ENV: 'production', LOG_LEVEL: 'info' },
    { readyTimeoutMs: 60_000 },
  );
  // Its stdout to the end: the exit can come before the last bytes are read from the pipe.
  const closed = new Promise((resolve) => server.child.once('close', resolve));
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < REQUESTS; i = next++) {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}`, 'x-request-id': `log-flush-${i}` },
        body: JSON.stringify({ query: '{ viewer { id } }' }),
      });
      expect(response.status).toBe(200);
      await response.text();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));

  expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  await closed;
  const entries = parsed(server.stdout);
  const logged = new Set(entries.filter((e) => e?.msg === 'request completed').map((e) => e!.requestId as string));
  const missing = Array.from({ length: REQUESTS }, (_, i) => `log-flush-${i}`).filter((id) => !logged.has(id));
  expect(missing, `request lines missing from stdout; its last lines:\n${server.stdout.slice(-3).join('\n')}`).toEqual([]);
  expect(entries.at(-1)?.msg).toBe('stopped');
}, 120_000);

/** Runs the compiled logger in a process of its own: `lines` lines of ~600 bytes, a last one, then `end` (a statement). */
function logAndEnd(lines: number, end: string) {
  const script = `
    import { createLogger } from ${JSON.stringify(join(PROJECT_ROOT, 'dist/src/server/logger.js'))};
    const log = createLogger('info');
    const pad = 'x'.repeat(500);
    for (let i = 0; i < ${lines}; i++) log.info({ i, pad }, 'line');
    log.info('last');
    ${end}`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.resume();
  return new Promise<{ code: number | null; lines: string[] }>((resolve) =>
    child.once('close', (code) => resolve({ code, lines: Buffer.concat(out).toString('utf8').split('\n').filter(Boolean) })),
  );
}

describe.runIf(testDatabaseKind === 'pglite')('the logger at an exit it did not plan', () => {
  test.each([
    ['process.exit', 'process.exit(3);', 3],
    ['an uncaught exception', "throw new Error('bug');", 1],
  ])('%s right after 10 MB of lines: every line arrives, whole', async (_name, end, code) => {
    const result = await logAndEnd(20_000, end);
    expect(result.code).toBe(code);
    const entries = parsed(result.lines);
    expect(entries.filter((e) => e === null)).toHaveLength(0);
    expect(new Set(entries.map((e) => e!.i)).size).toBe(20_001); // 0..19999 and the last line's undefined
    expect(entries.some((e) => e!.msg === 'last')).toBe(true);
  });
});

/**
 * Runs `body` after `log` is created by the compiled logger (`flushLogs` and the module as `logger`
 * in scope), its stdout a pipe this process never reads, and its stderr collected. Killed by pid
 * after `timeoutMs` (then `exit` is null).
 */
function loggerWithStalledReader(body: string, timeoutMs: number) {
  const script = `
    import * as logger from ${JSON.stringify(join(PROJECT_ROOT, 'dist/src/server/logger.js'))};
    const { createLogger, flushLogs } = logger;
    // Node opens a pipe on stdout in non-blocking mode: a full pipe is then EAGAIN, never a blocked write(2).
    void process.stdout;
    const log = createLogger('info');
    const pad = 'x'.repeat(500);
    ${body}`;
  const startedAt = Date.now();
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pause();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  let ms = 0;
  child.once('exit', () => {
    clearTimeout(killer);
    ms = Date.now() - startedAt;
    child.stdout.destroy();
  });
  return new Promise<{ exit: number | null; ms: number; stderr: string }>((resolve) => child.once('close', (code) => resolve({ exit: code, ms, stderr })));
}

describe.runIf(testDatabaseKind === 'pglite')('the logger and its reader', () => {
  test('each write(2) holds whole lines, at most 4096 bytes: lines of processes sharing a pipe never interleave', async () => {
    // sonic-boom writes with fs.write (callback form): record what each call writes.
    const script = `
      import fs from 'node:fs';
      const sizes = [];
      let whole = true;
      const write = fs.write;
      fs.write = function (fd, data, ...rest) {
        if (fd === 1) {
          sizes.push(Buffer.byteLength(data));
          if (!String(data).endsWith('\\n')) whole = false;
        }
        return write.call(this, fd, data, ...rest);
      };
      const { createLogger, flushLogs } = await import(${JSON.stringify(join(PROJECT_ROOT, 'dist/src/server/logger.js'))});
      const log = createLogger('info');
      const pad = 'x'.repeat(500);
      for (let i = 0; i < 2000; i++) log.info({ i, pad }, 'line');
      await flushLogs(log, 10000);
      process.stderr.write(JSON.stringify({ writes: sizes.length, max: Math.max(...sizes), whole }));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    expect(await new Promise((resolve) => child.once('close', resolve))).toBe(0);
    const report = JSON.parse(stderr) as { writes: number; max: number; whole: boolean };
    expect(report.max).toBeLessThanOrEqual(LOG_MAX_WRITE);
    expect(report.max).toBeGreaterThan(LOG_MAX_WRITE / 2); // lines are batched, not one write each
    expect(report.whole).toBe(true);
    expect(Buffer.concat(out).toString('utf8').split('\n').filter(Boolean)).toHaveLength(2000);
  });

  test('a flush that times out (stdout not read) gives the lines up: process.exit then exits at once', async () => {
    const result = await loggerWithStalledReader(
      `for (let i = 0; i < 20000; i++) log.info({ i, pad }, 'line');
      await flushLogs(log, 300);
      process.exit(0);`,
      15_000,
    );
    expect(result.exit).toBe(0);
    expect(result.ms).toBeLessThan(10_000);
  }, 20_000);

  test('past 64 MiB waiting, lines are dropped and counted', async () => {
    const result = await loggerWithStalledReader(
      `for (let i = 0; i < 130000; i++) log.info({ i, pad }, 'line');
      process.stderr.write(String(logger.droppedLogLines()));
      await flushLogs(log, 300);
      process.exit(0);`,
      30_000,
    );
    expect(result.exit).toBe(0);
    // ~590 bytes a line: 64 MiB holds ~113,000 of them (and the pipe's few).
    expect(Number(result.stderr)).toBeGreaterThan(10_000);
    expect(Number(result.stderr)).toBeLessThan(20_000);
  }, 40_000);
});
