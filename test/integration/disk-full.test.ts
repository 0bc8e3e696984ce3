/**
 * Disk full on the embedded database (issue 32's drill), through the compiled server as a real
 * process on a PGlite folder on a small tmpfs of its own (root mounts it; skipped, saying why, where
 * mount is not permitted). PGlite project only: the embedded database is the subject.
 *
 * What happens, exactly (src/db/pglite-guard.ts):
 * 1. With the reserve (PGLITE_MIN_FREE_MB, here 20 MB on a tmpfs sized from a fresh folder): once
 *    less than the reserve is free, every write is refused with SERVICE_UNAVAILABLE (HTTP 503, "the
 *    database's storage is full"), nothing of it kept, also with a keyed request and at 0 bytes
 *    free; reads, /healthz and /readyz answer throughout; once the filler is removed, writes are
 *    accepted again IN PLACE, without a restart.
 * 2. Without it (PGLITE_MIN_FREE_MB=0), PGlite itself meets the full disk, and the WAL fails first:
 *    a new 16 MB segment that does not fit is a PANIC (53100, "could not write to file
 *    pg_wal/xlogtemp…"), after which PGlite would spin on its next statement (still, after two minutes, when tried), taking the
 *    process with it. The fence stops that: the write that met it is refused (503), every request
 *    after it too (503 "stopped", at once), /healthz and /readyz are 503, SIGTERM exits 0. It does
 *    NOT recover in place: after freeing space, a RESTART on the same folder replays the WAL and
 *    comes back with every acknowledged write, and the folder passes amcheck.
 * Both end with the folder checked by amcheck (every heap with its TOAST, every B-tree with
 * heapallindexed, every GIN index), every table read, every acknowledged article's body compared.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, cpSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { amcheck } from '@electric-sql/pglite/contrib/amcheck';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LOCK_FILE } from '../../src/db/data-folder-lock.js';
import { testDatabaseKind } from '../support/database.js';
import { CREATE_CLAIM, INGEST } from '../support/factories.js';
import { isGone, killAllServers, logLine, okData, outcomeKey, runUntilExit, startServer, type Outcome, type ServerProcess } from '../support/processes.js';

const ADMIN_TOKEN = 'admin-token-for-disk-full-0123456789';
const MB = 1024 * 1024;
const READY = { readyTimeoutMs: 90_000 };
/** A request never waits longer than this; a hung server fails the test instead of the test hanging. */
const REQUEST_TIMEOUT_MS = 20_000;
const QUOTE = 'unemployment fell by 3 percent';

interface Acknowledged {
  id: string;
  url: string;
  md5: string;
}

/** What refused requests answered: "HTTP status code: message" → how many. */
type Refusals = Record<string, number>;

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const freeBytes = (dir: string) => {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
};
const usedBytes = (dir: string) => {
  const stats = statfsSync(dir);
  return (stats.blocks - stats.bfree) * stats.bsize;
};
const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;
const WAL_SEGMENT = /^[0-9A-F]{24}$/;
const walSegments = (folder: string) => readdirSync(join(folder, 'pg_wal')).filter((name) => WAL_SEGMENT.test(name));

function run(command: string, args: string[]) {
  return execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 }).toString();
}

/** Null when this process may mount a tmpfs; else why not (the tests are then skipped, saying so). */
function whyNoMount(probe: string): string | null {
  if (process.platform !== 'linux') return `tmpfs needs Linux (this is ${process.platform})`;
  try {
    run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]);
    run('umount', [probe]);
    return null;
  } catch (error) {
    const e = error as { stderr?: Buffer; message: string };
    return `cannot mount a tmpfs here (${(e.stderr?.toString() || e.message).trim()}); the disk-full drill needs root (or CAP_SYS_ADMIN)`;
  }
}

/** Writes zeros into `path` (tmpfs allocates them) until `leaveBytes` are free, or until ENOSPC when `leaveBytes` is 0. */
function fill(path: string, mountPoint: string, leaveBytes: number) {
  const fd = openSync(path, 'a');
  try {
    for (const chunk of [MB, 64 * 1024, 4096]) {
      const zeros = Buffer.alloc(chunk);
      for (;;) {
        const room = freeBytes(mountPoint) - leaveBytes;
        if (room < chunk) break;
        try {
          writeSync(fd, zeros);
        } catch (error) {
          if ((error as { code?: string }).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

const ARTICLES = /* GraphQL */ `
  query Articles($after: String) { articles(first: 100, after: $after) { totalCount edges { node { id url } } pageInfo { hasNextPage endCursor } } }`;
const READS = /* GraphQL */ `{ articles(first: 3) { totalCount edges { node { id title } } } claims(first: 3) { totalCount edges { node { id status } } } }`;

/** Every article, by paging through them all (at most 50 pages). */
async function allArticles(server: ServerProcess, token: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let after: string | null = null;
  for (let page = 0; page < 50; page++) {
    const data: any = okData(await server.gql(ARTICLES, { after }, token, REQUEST_TIMEOUT_MS)).articles;
    for (const edge of data.edges) found.set(edge.node.url, edge.node.id);
    if (!data.pageInfo.hasNextPage) return found;
    after = data.pageInfo.endCursor;
  }
  throw new Error('more than 50 pages of articles');
}

/** An EDITOR made by the admin through GraphQL, and their token. */
async function editorOf(server: ServerProcess): Promise<string> {
  const user = okData(
    await server.gql(
      'mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }',
      { i: { email: `editor-${randomBytes(4).toString('hex')}@desk.example`, name: 'Drill Editor', role: 'EDITOR' } },
      ADMIN_TOKEN,
    ),
  ).createUser.user;
  return okData(
    await server.gql(
      'mutation($i: IssueApiTokenInput!) { issueApiToken(input: $i) { token } }',
      { i: { userId: user.id, label: 'disk-full drill' } },
      ADMIN_TOKEN,
    ),
  ).issueApiToken.token;
}

/** An article whose body is `bodyBytes` of random base64 (TOAST cannot compress it) after a sentence to quote. */
function article(tag: string, n: number, bodyBytes: number) {
  const body = `Drill article ${n}: the minister said ${QUOTE}. ${randomBytes(Math.floor((bodyBytes * 3) / 4)).toString('base64')}`;
  return { url: `https://news.example/${tag}/${n}`, title: `Disk-full drill ${n}`, body };
}

/** Sends one ingestArticle; an acknowledged one (a 200 with the article) is returned with its body's md5. */
async function ingest(
  server: ServerProcess,
  token: string,
  input: ReturnType<typeof article>,
): Promise<{ outcome: Outcome; acknowledged: Acknowledged | null }> {
  const outcome = await server.gql(INGEST.replace('article { id url body language }', 'article { id url }'), { input }, token, REQUEST_TIMEOUT_MS);
  const node = outcomeKey(outcome) === 'OK' ? outcome.kind === 'response' && outcome.data?.ingestArticle?.article : null;
  return { outcome, acknowledged: node ? { id: node.id, url: node.url, md5: md5(input.body) } : null };
}

/** "503 SERVICE_UNAVAILABLE: <message>" for a refused request (anything else is returned as it is, to fail the assertion). */
function refusal(outcome: Outcome): string {
  if (outcome.kind === 'network') return `NETWORK ${outcome.error}`;
  const error = outcome.errors?.[0];
  return `${outcome.status} ${error?.extensions?.code ?? 'UNCODED'}: ${error?.message ?? outcome.body?.slice(0, 200)}`;
}

function count(refusals: Refusals, outcome: Outcome) {
  const key = refusal(outcome);
  refusals[key] = (refusals[key] ?? 0) + 1;
  return key;
}

/** A keyed (Idempotency-Key) mutation, which runs in a transaction of its own. */
async function keyedIngest(server: ServerProcess, token: string, input: ReturnType<typeof article>): Promise<Outcome> {
  try {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': `disk-full-${randomBytes(6).toString('hex')}` },
      body: JSON.stringify({ query: INGEST, variables: { input } }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = (await response.json()) as { data?: unknown; errors?: any[] };
    return { kind: 'response', status: response.status, data: body.data, errors: body.errors };
  } catch (error) {
    return { kind: 'network', error: String((error as { cause?: { code?: string } }).cause?.code ?? error) };
  }
}

/** Reads answer: articles and claims (staff), and the health routes. */
async function expectReadsAnswer(server: ServerProcess, token: string, articles: number) {
  const data = okData(await server.gql(READS, {}, token, REQUEST_TIMEOUT_MS));
  expect(data.articles.totalCount).toBe(articles);
  expect(await server.get('/healthz', REQUEST_TIMEOUT_MS)).toMatchObject({ kind: 'response', status: 200 });
  expect(await server.get('/readyz', REQUEST_TIMEOUT_MS)).toMatchObject({ kind: 'response', status: 200 });
}

/**
 * The consistency check, on a copy of the stopped server's folder (opening it is PGlite's own start:
 * WAL replay if it was not shut down cleanly): amcheck's verify_heapam on every heap of the database
 * (catalogs, tables, their TOAST tables: check_toast reads every toasted value), bt_index_check with
 * heapallindexed on every B-tree (each heap tuple must be found in the index), gin_index_check on
 * every GIN index; every public table read whole (count and every column, detoasted); and every
 * acknowledged article there with the body that was sent (md5). Returns the figures.
 */
async function checkFolder(folder: string, acknowledged: readonly Acknowledged[]) {
  const copy = mkdtempSync(join(tmpdir(), 'factcheck-disk-full-check-'));
  cpSync(folder, copy, { recursive: true, filter: (source) => !source.endsWith(LOCK_FILE) });
  const db = await PGlite.create({ dataDir: copy, extensions: { amcheck, pg_trgm } });
  try {
    await db.exec('CREATE EXTENSION IF NOT EXISTS amcheck');
    const heaps = (await db.query<{ oid: number }>(`SELECT oid::int FROM pg_class WHERE relkind IN ('r', 'm', 't') AND relpersistence = 'p'`)).rows;
    let corruptions = 0;
    for (const { oid } of heaps) {
      const found = await db.query<{ msg: string }>('SELECT msg FROM verify_heapam($1::oid, check_toast => true)', [oid]);
      corruptions += found.rows.length;
      expect(found.rows, `verify_heapam(${oid})`).toEqual([]);
    }
    const indexes = (
      await db.query<{ oid: number; am: string }>(
        `SELECT c.oid::int, am.amname AS am FROM pg_class c JOIN pg_am am ON am.oid = c.relam JOIN pg_index i ON i.indexrelid = c.oid
         WHERE c.relkind = 'i' AND am.amname IN ('btree', 'gin') AND i.indisvalid AND i.indisready AND c.relpersistence = 'p'`,
      )
    ).rows;
    for (const { oid, am } of indexes) await db.query(am === 'btree' ? 'SELECT bt_index_check($1::oid, true)' : 'SELECT gin_index_check($1::oid)', [oid]);
    const tables = (await db.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows;
    const rows: Record<string, number> = {};
    for (const { name } of tables) {
      const read = await db.query<{ n: number }>(`SELECT count(*)::int AS n, sum(length(t::text))::bigint AS bytes FROM "${name}" t`);
      rows[name] = read.rows[0]!.n;
    }
    const stored = new Map((await db.query<{ url: string; md5: string }>('SELECT url, md5(body) AS md5 FROM articles')).rows.map((r) => [r.url, r.md5]));
    const missing = acknowledged.filter((a) => stored.get(a.url) !== a.md5).map((a) => a.url);
    expect(missing, 'acknowledged articles missing or changed').toEqual([]);
    return {
      heaps: heaps.length,
      corruptions,
      btree: indexes.filter((i) => i.am === 'btree').length,
      gin: indexes.filter((i) => i.am === 'gin').length,
      rows,
      stored,
    };
  } finally {
    await db.close();
    rmSync(copy, { recursive: true, force: true });
  }
}

describe.runIf(testDatabaseKind === 'pglite')('disk full (embedded database)', () => {
  let skipReason: string | null = null;
  let work = '';
  let fresh = '';
  const mounted: string[] = [];

  /** A tmpfs holding a copy of the fresh folder, sized to what it uses plus `extraBytes`. */
  function mountWithFreshFolder(name: string, extraBytes: number) {
    const mountPoint = join(work, name);
    mkdirSync(mountPoint);
    run('mount', ['-t', 'tmpfs', '-o', 'size=256m', 'tmpfs', mountPoint]);
    mounted.push(mountPoint);
    const folder = join(mountPoint, 'data');
    cpSync(fresh, folder, { recursive: true, filter: (source) => !source.endsWith(LOCK_FILE) });
    const freshBytes = usedBytes(mountPoint);
    run('mount', ['-o', `remount,size=${Math.ceil((freshBytes + extraBytes) / MB)}m`, mountPoint]);
    console.log(
      `[disk-full] ${name}: the fresh folder uses ${mb(freshBytes)} MB of the tmpfs; size ${mb(freshBytes + extraBytes)} MB, ${mb(freeBytes(mountPoint))} MB free`,
    );
    return { mountPoint, folder, filler: join(mountPoint, 'filler') };
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'factcheck-disk-full-'));
    const probe = join(work, 'probe');
    mkdirSync(probe);
    skipReason = whyNoMount(probe);
    if (skipReason) return;
    // The fresh folder: migrated, the admin's token, no seed. Copied onto each tmpfs.
    fresh = join(work, 'fresh');
    const server = await startServer('fresh', { DATABASE_URL: `pglite:${fresh}`, ADMIN_TOKEN }, READY);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  }, 150_000);

  afterAll(async () => {
    await killAllServers();
    for (const mountPoint of mounted.reverse()) {
      try {
        run('umount', [mountPoint]);
      } catch {
        run('umount', ['-l', mountPoint]);
      }
    }
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  test('below the reserve: writes are refused with SERVICE_UNAVAILABLE (503), reads answer, and writes come back in place once space is freed', async (ctx) => {
    if (skipReason) {
      console.log(`[disk-full] skipped: ${skipReason}`);
      return ctx.skip();
    }
    const reserve = 20 * MB; // a 16 MB WAL segment and a 512 KB write with its WAL, and some
    const { mountPoint, folder, filler } = mountWithFreshFolder('guarded', 16 * MB + reserve + 24 * MB);
    const env = { DATABASE_URL: `pglite:${folder}`, ADMIN_TOKEN, PGLITE_MIN_FREE_MB: String(reserve / MB) };
    const server = await startServer('guarded', env, READY);
    const editor = await editorOf(server);
    const acknowledged: Acknowledged[] = [];
    const refusals: Refusals = {};
    let n = 0;
    const write = () => ingest(server, editor, article('guarded', n++, 512 * 1024));

    // Room: every write is acknowledged.
    for (let i = 0; i < 8; i++) {
      const { outcome, acknowledged: ack } = await write();
      expect(ack, refusal(outcome)).not.toBeNull();
      acknowledged.push(ack!);
    }
    expect(freeBytes(mountPoint)).toBeGreaterThan(reserve);

    // Below the reserve (PGlite itself still has 12 MB): every write refused, coded, nothing kept.
    fill(filler, mountPoint, reserve - 8 * MB);
    console.log(`[disk-full] guarded: filler written, ${mb(freeBytes(mountPoint))} MB free`);
    for (let i = 0; i < 5; i++) {
      const { outcome, acknowledged: ack } = await write();
      expect(ack).toBeNull();
      expect(count(refusals, outcome)).toMatch(/^503 SERVICE_UNAVAILABLE: .*storage is full/);
    }
    await expectReadsAnswer(server, editor, acknowledged.length);
    // A start on a disk below the reserve is refused in one line (a folder of its own: this one is the running server's).
    const second = join(mountPoint, 'second');
    const start = await runUntilExit({ DATABASE_URL: `pglite:${second}`, PGLITE_MIN_FREE_MB: String(reserve / MB) }, 30_000);
    expect(start.exit).toEqual({ code: 1, signal: null });
    expect(start.stderr).toHaveLength(1);
    expect(start.stderr[0]).toContain(`factcheck-api: the file system of the embedded database folder ${second} has `);
    expect(start.stderr[0]).toMatch(/ MB free, less than PGLITE_MIN_FREE_MB \(20 MB\): free some space \(or lower PGLITE_MIN_FREE_MB\) and start again$/);
    rmSync(second, { recursive: true, force: true });

    // The disk completely full (0 bytes): still refused and coded; a keyed write and a claim too; reads still answer.
    fill(filler, mountPoint, 0);
    const zero = freeBytes(mountPoint);
    console.log(`[disk-full] guarded: disk filled, ${zero} bytes free`);
    expect(zero).toBeLessThan(64 * 1024);
    for (let i = 0; i < 5; i++) {
      const { outcome, acknowledged: ack } = await write();
      expect(ack).toBeNull();
      expect(count(refusals, outcome)).toMatch(/^503 SERVICE_UNAVAILABLE: .*storage is full/);
    }
    const keyed = await keyedIngest(server, editor, article('guarded', n++, 64 * 1024));
    expect(count(refusals, keyed)).toMatch(/^503 SERVICE_UNAVAILABLE: .*storage is full.*Idempotency-Key/);
    const claim = await server.gql(CREATE_CLAIM, { input: { articleId: acknowledged[0]!.id, quote: QUOTE } }, editor, REQUEST_TIMEOUT_MS);
    expect(count(refusals, claim)).toMatch(/^503 SERVICE_UNAVAILABLE: .*storage is full/);
    await expectReadsAnswer(server, editor, acknowledged.length);
    expect(server.alive()).toBe(true);

    // Space freed: writes are accepted again, without a restart.
    rmSync(filler);
    console.log(`[disk-full] guarded: filler removed, ${mb(freeBytes(mountPoint))} MB free`);
    for (let i = 0; i < 4; i++) {
      const { outcome, acknowledged: ack } = await write();
      expect(ack, refusal(outcome)).not.toBeNull();
      acknowledged.push(ack!);
    }
    okData(await server.gql(CREATE_CLAIM, { input: { articleId: acknowledged[0]!.id, quote: QUOTE } }, editor, REQUEST_TIMEOUT_MS));

    // Exactly the acknowledged articles are there (no refused one), and the log says why writes were refused, without their bodies.
    const listed = await allArticles(server, editor);
    expect(new Set(listed.keys())).toEqual(new Set(acknowledged.map((a) => a.url)));
    const log = server.stdout.join('\n');
    expect(log).toContain('writes are refused (503 SERVICE_UNAVAILABLE) until space is freed');
    expect(log).toContain('the embedded database has disk space again: writes are accepted');
    expect(Math.max(...server.stdout.map((line) => line.length))).toBeLessThan(20_000);
    expect(await server.stop()).toEqual({ code: 0, signal: null });

    const checked = await checkFolder(folder, acknowledged);
    expect(checked.rows.articles).toBe(acknowledged.length);
    expect(checked.rows.claims).toBe(1);
    console.log(
      `[disk-full] guarded: RECOVERED IN PLACE. ${acknowledged.length} writes acknowledged, all there; ${Object.values(refusals).reduce((a, b) => a + b, 0)} refused: ` +
        `${JSON.stringify(refusals)}; amcheck clean on ${checked.heaps} heaps, ${checked.btree} B-trees, ${checked.gin} GIN indexes; rows ${JSON.stringify(checked.rows)}`,
    );
  }, 300_000);

  test('past the reserve: a WAL segment that does not fit stops PGlite; the process answers 503 and exits on SIGTERM; a restart has every acknowledged write', async (ctx) => {
    if (skipReason) {
      console.log(`[disk-full] skipped: ${skipReason}`);
      return ctx.skip();
    }
    const { mountPoint, folder, filler } = mountWithFreshFolder('unguarded', 96 * MB);
    const env = { DATABASE_URL: `pglite:${folder}`, ADMIN_TOKEN, PGLITE_MIN_FREE_MB: '0' };
    const server = await startServer('unguarded', env, READY);
    const editor = await editorOf(server);
    const acknowledged: Acknowledged[] = [];
    const refusals: Refusals = {};
    let n = 0;
    const write = () => ingest(server, editor, article('unguarded', n++, 700 * 1024));

    // Write until PGlite opens a new WAL segment: the WAL then has ~16 MB of room before the next.
    const segments = walSegments(folder);
    for (let i = 0; walSegments(folder).length === segments.length; i++) {
      expect(i, 'a new WAL segment within 40 writes').toBeLessThan(40);
      const { outcome, acknowledged: ack } = await write();
      expect(ack, refusal(outcome)).not.toBeNull();
      acknowledged.push(ack!);
    }
    // Leave 24 MB: the tables' files can grow by that much, so the next WAL segment (16 MB, ~16 MB
    // of writes from now, when ~8 MB are left) is what meets the full disk.
    fill(filler, mountPoint, 24 * MB);
    console.log(`[disk-full] unguarded: new WAL segment after ${acknowledged.length} writes; filler written, ${mb(freeBytes(mountPoint))} MB free`);

    let refused: { input: ReturnType<typeof article>; key: string } | null = null;
    for (let i = 0; !refused; i++) {
      expect(i, 'a write refused within 60 writes').toBeLessThan(60);
      const input = article('unguarded', n++, 700 * 1024);
      const { outcome, acknowledged: ack } = await ingest(server, editor, input);
      if (ack) acknowledged.push(ack);
      else refused = { input, key: count(refusals, outcome) };
    }
    console.log(`[disk-full] unguarded: first refusal after ${acknowledged.length} acknowledged writes, ${mb(freeBytes(mountPoint))} MB free: ${refused.key}`);
    expect(refused.key).toMatch(/^503 SERVICE_UNAVAILABLE: .*has stopped/);
    // The server's log names the PANIC: the WAL segment that did not fit.
    const stoppedLine = await logLine(server, (line) => line.includes('the embedded database stopped'));
    expect(stoppedLine).toBeDefined();
    expect(stoppedLine).toMatch(/PANIC/);
    expect(stoppedLine).toMatch(/could not write to file \\"pg_wal\/xlogtemp\.\d+\\": No space left on device/);

    // PGlite has stopped: everything is refused, coded, at once; the process still answers.
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      expect(count(refusals, (await write()).outcome)).toMatch(/^503 SERVICE_UNAVAILABLE: .*has stopped/);
      expect(count(refusals, await server.gql(READS, {}, editor, REQUEST_TIMEOUT_MS))).toMatch(/^503 SERVICE_UNAVAILABLE: .*has stopped/);
      expect(Date.now() - started).toBeLessThan(5_000);
    }
    expect(await server.get('/healthz', REQUEST_TIMEOUT_MS)).toMatchObject({ kind: 'response', status: 503 });
    expect(await server.get('/readyz', REQUEST_TIMEOUT_MS)).toMatchObject({ kind: 'response', status: 503 });
    expect(server.alive()).toBe(true);
    // Freeing space does not bring it back: it stays stopped until a restart.
    rmSync(filler);
    console.log(`[disk-full] unguarded: filler removed, ${mb(freeBytes(mountPoint))} MB free`);
    expect(count(refusals, (await write()).outcome)).toMatch(/^503 SERVICE_UNAVAILABLE: .*has stopped/);

    // SIGTERM: drains and exits 0 (PGlite is not entered again, not even to close it).
    expect(await server.stop('SIGTERM', 20_000)).toEqual({ code: 0, signal: null });
    expect(isGone(server.pid)).toBe(true);

    // The restart on the same folder replays the WAL: every acknowledged write is there, and writes work.
    const again = await startServer('unguarded, restarted', env, READY);
    const listed = await allArticles(again, editor);
    for (const a of acknowledged) expect(listed.get(a.url), a.url).toBe(a.id);
    const refusedKept = listed.has(refused.input.url);
    expect(listed.size).toBe(acknowledged.length + (refusedKept ? 1 : 0));
    const after = await ingest(again, editor, article('unguarded', n++, 64 * 1024));
    expect(after.acknowledged, refusal(after.outcome)).not.toBeNull();
    acknowledged.push(after.acknowledged!);
    okData(await again.gql(CREATE_CLAIM, { input: { articleId: acknowledged[0]!.id, quote: QUOTE } }, editor, REQUEST_TIMEOUT_MS));
    expect(await again.stop()).toEqual({ code: 0, signal: null });

    const checked = await checkFolder(folder, acknowledged);
    expect(checked.rows.articles).toBe(acknowledged.length + (refusedKept ? 1 : 0));
    console.log(
      `[disk-full] unguarded: NO RECOVERY IN PLACE; RESTART RECOVERED. ${acknowledged.length} writes acknowledged (one after the restart), all there; ` +
        `the write that met the PANIC ${refusedKept ? 'WAS' : 'was not'} kept; ${Object.values(refusals).reduce((a, b) => a + b, 0)} refused: ${JSON.stringify(refusals)}; ` +
        `amcheck clean on ${checked.heaps} heaps, ${checked.btree} B-trees, ${checked.gin} GIN indexes; rows ${JSON.stringify(checked.rows)}`,
    );
  }, 400_000);
});
