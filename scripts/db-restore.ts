/**
 * npm run db:restore -- <file> [--to <folder>]
 *
 * Restores a db:backup file into an empty folder (refuses one that holds anything): start the
 * server on it (DATABASE_URL=pglite:<folder>), which migrates it if the backup is older than the code.
 */
import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { openDatabase } from '../src/db/connection.js';
import { backupBlob, folderOf, isEmptyFolder, parseArgs } from './data-folder.js';

async function main() {
  const { positional, options } = parseArgs(process.argv.slice(2), ['to']);
  if (positional.length !== 1) throw new Error('usage: npm run db:restore -- <file> [--to <folder>]');
  const file = resolve(positional[0]!);
  const folder = folderOf(options.to);
  if (!isEmptyFolder(folder)) throw new Error(`${folder} is not empty: restore into an empty or new folder`);
  const bytes = await readFile(file);
  const dump = backupBlob(bytes);
  if (!dump) throw new Error(`${file} is not a db:backup file (a gzipped tar)`);
  const started = Date.now();
  const handle = await openDatabase(`pglite:${folder}`, { loadDataDir: dump });
  await handle.ping();
  await handle.close();
  console.log(`restored ${file} (${(bytes.length / 1048576).toFixed(1)} MB) into ${folder} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(`db:restore: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
