/**
 * True when `error` (or its cause: drizzle wraps driver errors) says the database cannot be reached
 * or went away: connection refused, reset or timed out, the server shutting down or starting up, a
 * connection terminated by an administrator or by one of the server's session timeouts, no host of
 * several accepting writes. Such a
 * failure is the database's, not the request's: the same request may succeed once it is back (a
 * transaction whose session ended was rolled back).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08')) return true;
  }
  return false;
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
]);

/**
 * SQLSTATE: admin_shutdown (pg_terminate_backend too), crash_shutdown, cannot_connect_now, and the
 * server ending a session on a timeout: idle_session_timeout, idle_in_transaction_session_timeout,
 * transaction_timeout (Postgres 17). Class 08, connection exception, is matched by prefix.
 * postgres.js 4 rejects a query or transaction whose session the server ended with the server's
 * FATAL error itself; 3.4 said CONNECTION_CLOSED for all of them.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '57P05', '25P03', '25P04']);
