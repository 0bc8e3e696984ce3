/**
 * True when `error` (or its cause: drizzle wraps driver errors) says the database cannot be reached
 * or went away: connection refused, reset or timed out, the server shutting down or starting up, a
 * connection terminated by an administrator or by one of the server's session timeouts, no host of
 * several accepting writes; or that it cannot store anything more: its disk is full (SQLSTATE
 * 53100, also the embedded database's own refusal, src/db/pglite-guard.ts), or the embedded
 * database stopped after a PANIC. Such a failure is the database's, not the request's: the same
 * request may succeed once it is back, or once space is freed (a transaction whose session ended
 * was rolled back).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return codesOf(error).some((code) => NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08'));
}

/** SQLSTATE disk_full: a file could not be extended, or the embedded database refused the write for want of space. */
export const DISK_FULL = '53100';

/** The code of every statement refused once the embedded database has stopped (src/db/pglite-guard.ts). */
export const EMBEDDED_DATABASE_STOPPED = 'EMBEDDED_DATABASE_STOPPED';

/** The database stopped for good (the embedded one, after a PANIC): nothing answers until the server restarts. */
export const hasStopped = (error: unknown) => codesOf(error).includes(EMBEDDED_DATABASE_STOPPED);

/** The database's storage is full (and it has not stopped): writes are refused, reads still answer. */
export const isStorageFull = (error: unknown) => {
  const codes = codesOf(error);
  return codes.includes(DISK_FULL) && !codes.includes(EMBEDDED_DATABASE_STOPPED);
};

/** The codes along `error`'s cause chain (drizzle's wrapper, the driver's error, what it wraps). */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}

/**
 * Node's socket errors and postgres.js' own codes for a connection that could not be opened or was
 * closed by the other side. Not CONNECTION_ENDED / CONNECTION_DESTROYED: those say this process
 * ended its own pool, a bug (or a shutdown), not an outage.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  // DATABASE_URL names several hosts and none accepts writes now (a failover under way): src/db/hosts.ts.
  'NO_WRITABLE_HOST',
  EMBEDDED_DATABASE_STOPPED,
]);

/**
 * SQLSTATE: admin_shutdown (pg_terminate_backend too), crash_shutdown, cannot_connect_now, and the
 * server ending a session on a timeout: idle_session_timeout, idle_in_transaction_session_timeout,
 * transaction_timeout (Postgres 17); and disk_full. Class 08, connection exception, is matched by
 * prefix. postgres.js 4 rejects a query or transaction whose session the server ended with the
 * server's FATAL error itself; 3.4 said CONNECTION_CLOSED for all of them.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '57P05', '25P03', '25P04', DISK_FULL]);
