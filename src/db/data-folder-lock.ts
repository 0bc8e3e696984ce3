import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import nativeFs from 'fs-native-extensions';
import { StartupError } from '../startup-error.js';

/** Inside the data folder (PGlite's initdb accepts it there), so every path to the folder finds it. */
export const LOCK_FILE = 'factcheck.lock';

export interface DataFolderLock {
  /** Records the port the holder serves on, for `npm run db:backup` to find it (src/scripts/db-backup.ts). */
  announce(port: number): void;
  release(): void;
}

/** What the lock file says of its holder: its pid, and its port once it serves. */
export interface LockHolder {
  pid: number | null;
  port: number | null;
}

export function readLockHolder(dataDir: string): LockHolder {
  let text = '';
  try {
    text = readFileSync(join(resolve(dataDir), LOCK_FILE), 'utf8');
  } catch {
    return { pid: null, port: null };
  }
  const [pid, port] = text.split('\n').map((line) => (/^\d+$/.test(line.trim()) ? Number(line.trim()) : null));
  return { pid: pid ?? null, port: port ?? null };
}

/**
 * One process per embedded (PGlite) data folder: PGlite has no shared memory between processes, so
 * two of them on one folder each see only their own writes and overwrite each other's files.
 *
 * The lock is a kernel lock on `<folder>/factcheck.lock` (fcntl open-file-description lock, through
 * fs-native-extensions): the kernel drops it when its holder dies, even by kill -9, so no stale lock
 * ever blocks a restart. The file itself stays and holds the holder's pid, only to name it.
 * A refused process changes nothing: it opens the file without truncating and writes only once the
 * lock is its own.
 */
export function lockDataFolder(dataDir: string): DataFolderLock {
  const folder = resolve(dataDir);
  const path = join(folder, LOCK_FILE);
  const fd = openSync(path, 'a+');
  let granted: boolean;
  try {
    granted = nativeFs.tryLock(fd);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  if (!granted) {
    const { pid } = readLockHolder(folder);
    closeSync(fd);
    const who = pid !== null ? `process ${pid}` : 'another process';
    throw new StartupError(
      `the embedded database folder ${folder} is in use by ${who}; stop it first, or set DATABASE_URL to another folder (one process per folder)`,
    );
  }
  ftruncateSync(fd, 0);
  writeSync(fd, `${process.pid}\n`);
  let released = false;
  return {
    announce(port) {
      if (released) return;
      ftruncateSync(fd, 0);
      writeSync(fd, `${process.pid}\n${port}\n`, 0);
    },
    release() {
      if (released) return;
      released = true;
      nativeFs.unlock(fd);
      closeSync(fd);
    },
  };
}
