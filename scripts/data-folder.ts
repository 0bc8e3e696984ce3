/** The embedded database folder a command works on: `--from`/`--to`, else DATABASE_URL's (pglite:<folder>), else the default. */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';

export const DEFAULT_FOLDER = './.data/factcheck';

export function folderOf(option: string | undefined): string {
  if (option) return resolve(option);
  const url = process.env.DATABASE_URL;
  if (url?.startsWith('pglite:')) return resolve(url.slice('pglite:'.length));
  return resolve(DEFAULT_FOLDER);
}

/** Whether a PostgreSQL data folder is there (PGlite writes PG_VERSION when it creates one). */
export const holdsDatabase = (folder: string) => existsSync(resolve(folder, 'PG_VERSION'));

export const isEmptyFolder = (folder: string) => !existsSync(folder) || readdirSync(folder).length === 0;

/** `<positional> [--name value]…`, nothing else. */
export function parseArgs(argv: string[], names: readonly string[]): { positional: string[]; options: Record<string, string> } {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const name = arg.slice(2);
    if (!names.includes(name) || argv[i + 1] === undefined)
      throw new Error(`unknown option or missing value: ${arg} (options: ${names.map((n) => `--${n} <value>`).join(', ')})`);
    options[name] = argv[++i]!;
  }
  return { positional, options };
}

/** A db:backup file (a gzipped tar of PGlite's data folder) or an uncompressed one, typed as PGlite's loadDataDir reads it; null: neither. */
export function backupBlob(bytes: Buffer): Blob | null {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return new Blob([bytes], { type: 'application/gzip' });
  if (bytes.subarray(257, 262).toString('latin1') === 'ustar') return new Blob([bytes], { type: 'application/x-tar' });
  return null;
}
