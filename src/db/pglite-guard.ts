/**
 * What a full disk does to the embedded database (PGlite on a folder), and what we do about it
 * (docs/operations.md, "Disk full (embedded database)"; test/integration/disk-full.test.ts).
 *
 * Postgres takes a full disk two ways. A table or index file that cannot grow is an ERROR (SQLSTATE
 * 53100): the statement fails, the transaction rolls back, everything else goes on. A WAL segment
 * that cannot be created or written is a PANIC: a Postgres server restarts and replays its WAL;
 * PGlite (0.5) answers the statement with the PANIC and then spins inside WebAssembly on the next
 * statement it is given (still spinning after two minutes when we tried), and since it runs on the
 * server's own thread, the whole process stops answering, /healthz included. WAL segments are 16 MB
 * files created whole, and PGlite checkpoints only when it is closed (its WAL grows with every write
 * while it serves), so as a disk fills, the next segment is nearly always what fails first.
 *
 * Hence two defences:
 * - the reserve: a statement that may write is refused (SQLSTATE 53100, nothing sent to PGlite)
 *   while the folder's file system has less than `minFreeBytes` free, enough for a new WAL segment
 *   and the largest request's rows; reads go on, and writes are accepted again as soon as space is
 *   freed, without a restart;
 * - the fence: should a PANIC or FATAL come back all the same (something else filled the disk
 *   between the check and the write), PGlite is never entered again: every statement fails at once
 *   with EMBEDDED_DATABASE_STOPPED, the process keeps answering (503), and a restart replays the WAL.
 */
import { statfsSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { DISK_FULL, EMBEDDED_DATABASE_STOPPED } from './unavailable.js';

export interface StorageState {
  /** Writes are refused: the file system has less than the reserve free. */
  full: boolean;
  freeBytes: number;
  minFreeBytes: number;
}

export interface GuardOptions {
  dataDir: string;
  /** Refuse writes while the folder's file system has less than this free; 0 turns the reserve off. */
  minFreeBytes: number;
  /** Called when writes start being refused and when they are accepted again. */
  onStorageChange?: (state: StorageState) => void;
  /** Called once, with the PANIC (or FATAL), when PGlite stops. */
  onStopped?: (error: Error) => void;
}

/** A statement refused because the embedded database's disk is below its reserve. */
export class StorageReserveReached extends Error {
  readonly code = DISK_FULL;
  constructor(dataDir: string, freeBytes: number, minFreeBytes: number) {
    super(
      `the file system of the embedded database ${dataDir} has ${megabytes(freeBytes)} MB free, less than ` +
        `PGLITE_MIN_FREE_MB (${megabytes(minFreeBytes)} MB): writes are refused until space is freed`,
    );
  }
}

/** Every statement after PGlite stopped: it is not entered again (it would never return). */
export class EmbeddedDatabaseStopped extends Error {
  readonly code = EMBEDDED_DATABASE_STOPPED;
  constructor(cause: Error) {
    super(`the embedded database stopped after a ${(cause as { severity?: string }).severity ?? 'fatal error'} (${cause.message}); restart the server`, {
      cause,
    });
  }
}

const megabytes = (bytes: number) => Math.floor(bytes / 1024 / 1024);

/** Bytes an unprivileged process may still write on the file system holding `dir`. */
export function freeBytes(dir: string): number {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

/**
 * Statements that write nothing to a file of their own: reads, and transaction and session
 * control. Anything else (INSERT, UPDATE, DELETE, DDL, a WITH holding one of those, a SELECT that
 * locks rows or draws from a sequence, a statement we do not know) counts as a write.
 */
const READ_ONLY = /^(select|with|show|values|begin|start\s+transaction|commit|end|rollback|abort|savepoint|release|set|reset|listen|unlisten)\b/;
const WRITES_ANYWAY = /\b(insert|update|delete|merge|nextval|setval)\b|\bfor\s+(no\s+key\s+update|key\s+share|update|share)\b/;

export function isWriteStatement(sql: string): boolean {
  const text = sql.replace(/^[\s(]+/, '').toLowerCase();
  if (!READ_ONLY.test(text)) return true;
  if (/^(select|with|values)\b/.test(text)) return WRITES_ANYWAY.test(text);
  return false;
}

/** The reserve and the fence around one PGlite instance (see the file comment). */
export class PgliteGuard {
  private stoppedBy: EmbeddedDatabaseStopped | null = null;
  private full = false;

  constructor(
    client: PGlite,
    private readonly options: GuardOptions,
  ) {
    // The fence. Every way into PGlite's WebAssembly goes through execProtocolRawSync (its own
    // statements too: the ROLLBACK its transaction() sends after a failure, LISTEN); a PANIC comes
    // back as the error of execProtocol/execProtocolStream. Instance properties shadow the methods.
    const enter = client.execProtocolRawSync.bind(client);
    client.execProtocolRawSync = (message) => {
      if (this.stoppedBy) throw this.stoppedBy;
      return enter(message);
    };
    const stream = client.execProtocolStream.bind(client);
    client.execProtocolStream = (...args) => stream(...args).catch((error: unknown) => this.noteFailure(error));
    const protocol = client.execProtocol.bind(client);
    client.execProtocol = (...args) => protocol(...args).catch((error: unknown) => this.noteFailure(error));
  }

  /** The error every statement fails with once PGlite has stopped; null while it runs. */
  get stopped(): Error | null {
    return this.stoppedBy;
  }

  /** Throws (without entering PGlite) when PGlite has stopped, or when `sql` may write and the disk is below the reserve. */
  admit(sql: string): void {
    if (this.stoppedBy) throw this.stoppedBy;
    const { minFreeBytes, dataDir } = this.options;
    if (minFreeBytes <= 0 || !isWriteStatement(sql)) return;
    const free = freeBytes(dataDir);
    const full = free < minFreeBytes;
    if (full !== this.full) {
      this.full = full;
      this.options.onStorageChange?.({ full, freeBytes: free, minFreeBytes });
    }
    if (full) throw new StorageReserveReached(dataDir, free, minFreeBytes);
  }

  /** A PANIC or FATAL stops PGlite for good: the statement that met it fails as every later one will. */
  private noteFailure(error: unknown): never {
    const severity = (error as { severity?: unknown } | null)?.severity;
    if (!this.stoppedBy && (severity === 'PANIC' || severity === 'FATAL')) {
      this.stoppedBy = new EmbeddedDatabaseStopped(error as Error);
      this.options.onStopped?.(error as Error);
      throw this.stoppedBy;
    }
    throw error;
  }
}
