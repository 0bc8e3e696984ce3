import type { Logger } from './logger.js';

/** postgres.js' codes for a socket that closed, was destroyed, or never connected. */
const DRIVER_CONNECTION_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/**
 * A lost database connection: the driver's own codes, a socket error, or Postgres' classes 08
 * (connection exception) and 57P (operator intervention: terminated backend, shutdown).
 */
export function isDatabaseConnectionLoss(reason: unknown): boolean {
  if (!reason || typeof reason !== 'object') return false;
  const code = (reason as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  return DRIVER_CONNECTION_CODES.has(code) || SOCKET_CODES.has(code) || code.startsWith('08') || code.startsWith('57P');
}

/**
 * When a connection dies under load, postgres.js can reject a promise that no caller awaits (seen
 * with pg_terminate_backend in processes.test.ts: "write CONNECTION_CLOSED" as an unhandled
 * rejection), and Node would end the process for it. Every request that used the connection has
 * already failed with its own coded error, so that rejection is logged and the process serves on;
 * any other unhandled rejection is a bug and still ends the process.
 */
export function survivingConnectionLoss(logger: Logger): (reason: unknown) => void {
  return (reason) => {
    if (isDatabaseConnectionLoss(reason)) {
      logger.warn({ err: reason }, 'database connection lost (a rejection nobody awaited)');
      return;
    }
    logger.fatal({ err: reason }, 'unhandled rejection');
    process.exit(1);
  };
}
