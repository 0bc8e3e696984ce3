/**
 * `npm run db:backup` and `npm run db:restore` as an operator runs them (the compiled commands as
 * child processes) on a server's embedded folder. Online: the server holds the folder, so the command
 * asks it (GET /admin/backup) and writes keep being answered meanwhile (they wait while PGlite copies,
 * never fail); the restored folder serves the same data, the last write acknowledged before the backup
 * began included. Offline: with no server, the command opens the folder itself.
 * PGlite project only: nothing here needs Postgres.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { testDatabaseKind } from '../support/database.js';
import { killAllServers, okData, PROJECT_ROOT, startServer, type ServerProcess } from '../support/processes.js';

const run = promisify(execFile);
const ADMIN_TOKEN = 'admin-token-for-backup-test-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'factcheck-backup-'));
afterAll(async () => {
  await killAllServers();
  rmSync(dir, { recursive: true, force: true });
});

const command = (script: 'db-backup' | 'db-restore', args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, [join(PROJECT_ROOT, `dist/scripts/${script}.js`), ...args], { env: { PATH: process.env.PATH ?? '', ...env }, cwd: dir }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

const serverEnv = (folder: string) => ({
  DATABASE_URL: `pglite:${folder}`,
  SEED: 'demo',
  NODE_ENV: 'development',
  PORT: '0',
  HOST: '127.0.0.1',
  ADMIN_TOKEN,
});

const CREATE = 'mutation($i: CreateClaimantInput!) { createClaimant(input: $i) { claimant { id name } } }';
const FIND = 'query($s: String) { claimants(search: $s, first: 100) { totalCount edges { node { name } } } claims { totalCount } }';

async function createClaimant(server: ServerProcess, name: string) {
  const started = Date.now();
  const outcome = await server.gql(CREATE, { i: { name, kind: 'PERSON' } }, ADMIN_TOKEN, 30_000);
  return { name, ok: okData(outcome).createClaimant.claimant.name === name, ms: Date.now() - started };
}

describe.runIf(testDatabaseKind === 'pglite')('db:backup and db:restore', () => {
  test('online: writes continue during the backup; the restored folder answers the same, the last write before the backup included', async () => {
    const folder = join(dir, 'live');
    const server = await startServer('server', serverEnv(folder), { readyTimeoutMs: 90_000 });
    for (let i = 0; i < 5; i++) await createClaimant(server, `Before Backup ${i}`);
    const lastBefore = await createClaimant(server, 'Last Before Backup');

    let backupDone = false;
    const during: Awaited<ReturnType<typeof createClaimant>>[] = [];
    const writer = (async () => {
      for (let i = 0; !backupDone; i++) during.push(await createClaimant(server, `During Backup ${i}`));
    })();
    const file = join(dir, 'live.tar.gz');
    const backup = await command('db-backup', [file, '--from', folder], { ADMIN_TOKEN });
    backupDone = true;
    await writer;

    expect(backup, backup.stderr).toMatchObject({ code: 0 });
    expect(backup.stdout).toContain('through the server at http://127.0.0.1:');
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((w) => w.ok)).toBe(true);
    const before = okData(await server.gql(FIND, { s: 'Before Backup' }, ADMIN_TOKEN));
    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });

    const restoredFolder = join(dir, 'restored');
    const restore = await command('db-restore', [file, '--to', restoredFolder]);
    expect(restore, restore.stderr).toMatchObject({ code: 0 });
    const restored = await startServer('restored', serverEnv(restoredFolder), { readyTimeoutMs: 90_000 });
    const after = okData(await restored.gql(FIND, { s: 'Before Backup' }, ADMIN_TOKEN));
    expect(after).toEqual(before);
    expect(after.claimants.edges.map((e: { node: { name: string } }) => e.node.name)).toContain(lastBefore.name);
    expect(after.claims.totalCount).toBe(3); // the demo seed's claims
    expect(await restored.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  }, 240_000);

  test('offline: with no server the command opens the folder itself; a restore refuses a folder that holds anything', async () => {
    const folder = join(dir, 'live');
    const file = join(dir, 'offline.tar.gz');
    const backup = await command('db-backup', [file, '--from', folder]);
    expect(backup, backup.stderr).toMatchObject({ code: 0 });
    expect(backup.stdout).toContain('(no server running)');

    const busy = join(dir, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'something'), 'x');
    const refused = await command('db-restore', [file, '--to', busy]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^db:restore: .* is not empty/);

    const restoredFolder = join(dir, 'restored-offline');
    expect(await command('db-restore', [file, '--to', restoredFolder])).toMatchObject({ code: 0 });
    const restored = await startServer('restored offline', serverEnv(restoredFolder), { readyTimeoutMs: 90_000 });
    const found = okData(await restored.gql(FIND, { s: 'During Backup' }, ADMIN_TOKEN));
    expect(found.claimants.totalCount).toBeGreaterThan(0);
    expect(await restored.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  }, 240_000);

  test('refusals: not a database folder; a server without ADMIN_TOKEN given; a non-admin token; a file that is not a backup', async () => {
    expect((await command('db-backup', [join(dir, 'x.tar.gz'), '--from', join(dir, 'nothing')])).stderr).toMatch(/holds no embedded database/);
    const folder = join(dir, 'live');
    const server = await startServer('server again', serverEnv(folder), { readyTimeoutMs: 90_000 });
    const noToken = await command('db-backup', [join(dir, 'y.tar.gz'), '--from', folder]);
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toMatch(/set ADMIN_TOKEN/);
    expect(existsSync(join(dir, 'y.tar.gz'))).toBe(false);
    const editor = await command('db-backup', [join(dir, 'z.tar.gz'), '--from', folder], { ADMIN_TOKEN: 'fc_not-a-real-token-0000000000000' });
    expect(editor.stderr).toMatch(/refused the backup: 401/);
    expect(existsSync(join(dir, 'z.tar.gz.partial'))).toBe(false);
    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    writeFileSync(join(dir, 'not-a-backup'), 'hello');
    expect((await command('db-restore', [join(dir, 'not-a-backup'), '--to', join(dir, 'r3')])).stderr).toMatch(/not a db:backup file/);
  }, 240_000);
});
