/**
 * npm run db:backup -- <file> [--from <folder>] [--url <server>]
 *
 * A consistent copy of an embedded (PGlite) database, as a gzipped tar of its data folder (restore
 * it with db:restore). Only one process may open the folder: when a server holds it, the copy is
 * made by that server (GET /admin/backup with ADMIN_TOKEN; the port is in the folder's lock file)
 * and the server keeps running; otherwise this command opens the folder itself.
 */
import 'reflect-metadata';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { openDatabase } from '../src/db/connection.js';
import { readLockHolder } from '../src/db/data-folder-lock.js';
import { StartupError } from '../src/startup-error.js';
import { folderOf, holdsDatabase, parseArgs } from './data-folder.js';
import { byteProgress } from './progress.js';

async function offlineBackup(folder: string, file: string): Promise<number> {
  const handle = await openDatabase(`pglite:${folder}`);
  try {
    const dump = Buffer.from(await (await handle.dumpDataDir!()).arrayBuffer());
    await writeFile(file, dump);
    return dump.length;
  } finally {
    await handle.close();
  }
}

async function onlineBackup(server: string, file: string): Promise<number> {
  const token = process.env.ADMIN_TOKEN;
  if (!token) throw new Error('a server holds the folder: set ADMIN_TOKEN (the server’s admin token) so that it makes the backup');
  const response = await fetch(`${server}/admin/backup`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok || !response.body) throw new Error(`the server at ${server} refused the backup: ${response.status} ${await response.text()}`);
  const total = Number(response.headers.get('content-length')) || null;
  const progress = byteProgress('backup', total);
  const out = createWriteStream(file);
  let done = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      done += chunk.length;
      progress.update(done);
    }
  } finally {
    progress.stop();
    await new Promise<void>((r, reject) => out.end((error?: Error | null) => (error ? reject(error) : r())));
  }
  return done;
}

async function main() {
  const { positional, options } = parseArgs(process.argv.slice(2), ['from', 'url']);
  if (positional.length !== 1) throw new Error('usage: npm run db:backup -- <file> [--from <folder>] [--url http://host:port]');
  const file = resolve(positional[0]!);
  const folder = folderOf(options.from);
  if (!holdsDatabase(folder)) throw new Error(`${folder} holds no embedded database (no PG_VERSION)`);
  // Written beside the target and renamed at the end: a failed backup never leaves a truncated file under its name.
  const partial = `${file}.partial`;
  let bytes: number;
  try {
    try {
      bytes = await offlineBackup(folder, partial);
      console.log(`backed up ${folder} (no server running) to ${file}: ${(bytes / 1048576).toFixed(1)} MB`);
    } catch (error) {
      if (!(error instanceof StartupError) || !/in use by/.test(error.message)) throw error;
      const port = readLockHolder(folder).port;
      const server = options.url ?? (port ? `http://127.0.0.1:${port}` : null);
      if (!server) throw new Error(`${folder} is in use by a server that has not announced its port yet; try again in a moment, or pass --url`);
      bytes = await onlineBackup(server, partial);
      console.log(`backed up ${folder} through the server at ${server} to ${file}: ${(bytes / 1048576).toFixed(1)} MB`);
    }
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(`db:backup: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
