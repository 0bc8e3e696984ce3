import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import nativeFs from 'fs-native-extensions';
import { StartupError } from '../startup-error.js';

/** Inside the data folder (PGlite's initdb accepts it there), so every path to the folder finds it. */
export const LOCK_FILE = 'factcheck.lock';

export interface DataFolderLock {
  release(): void;
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
    const holder = readFileSync(path, 'utf8').trim();
    closeSync(fd);
    const who = /^\d+$/.test(holder) ? `process ${holder}` : 'another process';
    throw new StartupError(
      `the embedded database folder ${folder} is in use by ${who}; stop it first, or set DATABASE_URL to another folder (one process per folder)`,
    );
  }
  ftruncateSync(fd, 0);
  writeSync(fd, `${process.pid}\n`);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      nativeFs.unlock(fd);
      closeSync(fd);
    },
  };
}
