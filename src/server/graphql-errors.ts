import { HeaderMap } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { hasStopped, isDatabaseUnavailable, isStorageFull } from '../db/unavailable.js';
import { DomainError } from '../domain/coded-errors.js';
import type { Context } from '../graphql/core/resolver-context.js';
import type { Logger } from './logger.js';

/** Codes a client may see: ours (docs/design.md, Errors) and Apollo's request-level ones. Everything else is masked. */
const CLIENT_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'QUERY_TOO_COMPLEX',
  'TOO_MANY_REQUESTS',
  'SERVICE_UNAVAILABLE',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

const HTTP_STATUS: Partial<Record<string, number>> = { UNAUTHENTICATED: 401, TOO_MANY_REQUESTS: 429, SERVICE_UNAVAILABLE: 503 };

const UNAVAILABLE_MESSAGE = 'The database is unavailable; retry shortly';
const STORAGE_FULL_MESSAGE = "The database's storage is full: writes are refused until space is freed (reads still work); nothing was saved, retry later";
const STOPPED_MESSAGE = 'The database has stopped and answers nothing until the server is restarted; retry later, re-reading first after a mutation';

/**
 * The message of SERVICE_UNAVAILABLE for a failure that is the database's (src/db/unavailable.ts),
 * null for any other: unreachable, out of storage (SQLSTATE 53100 as an ERROR or our reserve's
 * refusal: the transaction rolled back), or the embedded database stopped for good (the statement
 * that met its PANIC may have been a commit).
 */
export function unavailableMessage(error: unknown): string | null {
  if (hasStopped(error)) return STOPPED_MESSAGE;
  if (isStorageFull(error)) return STORAGE_FULL_MESSAGE;
  return isDatabaseUnavailable(error) ? UNAVAILABLE_MESSAGE : null;
}

/** The driver's own error (code and message) under drizzle's "Failed query: …" wrapper, which repeats every parameter. */
export function driverError(error: unknown): { code?: string; message: string } {
  let e = error as { cause?: unknown; code?: unknown; message?: unknown };
  while (e && typeof e === 'object' && typeof e.code !== 'string' && e.cause) e = e.cause as typeof e;
  return { ...(typeof e?.code === 'string' ? { code: e.code } : {}), message: String(e?.message ?? e) };
}

/** A coded error raised outside resolvers (context, plugins): a GraphQLError with its HTTP status. */
export function httpGraphQLError(code: string, message: string, headers: Record<string, string> = {}) {
  return new GraphQLError(message, { extensions: { code, http: { status: HTTP_STATUS[code] ?? 400, headers: new HeaderMap(Object.entries(headers)) } } });
}

/**
 * Logs a failure nobody planned for (isUnexpected) with the request id. A full disk is logged as
 * the driver's code and message only (drizzle's wrapper repeats every parameter: a refused article
 * would put its whole body in the log, on the disk that is full); a stopped embedded database was
 * logged once when it stopped.
 */
export function logUnexpected(logger: Logger, error: unknown, where: { requestId: string; path?: readonly (string | number)[] | undefined }, what: string) {
  if (!isUnexpected(error)) return;
  const original = unwrapResolverError(error);
  if (hasStopped(original)) return;
  if (isStorageFull(original)) return logger.error({ ...where, database: driverError(original) }, 'the database storage is full');
  logger.error({ err: (error as { originalError?: unknown } | null)?.originalError ?? error, ...where }, what);
}

/** True for failures nobody planned for: a bug or an outage, to be logged and masked. */
export function isUnexpected(error: unknown): boolean {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) return false;
  return !(original instanceof GraphQLError) || !CLIENT_CODES.has(String(original.extensions?.code));
}

/**
 * Domain errors keep their code (and field); GraphQL's own request errors pass; anything else leaves
 * as INTERNAL_SERVER_ERROR without message, stack, SQL or path (logged with the request id instead).
 * In production a misspelt field is not answered with the names of fields the client did not know.
 */
export function createFormatError({ production }: { production: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = formatError(formatted, error);
    return production ? { ...result, message: result.message.replace(/ ?Did you mean .*\?$/s, '') } : result;
  };
}

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const where = {
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
  if (original instanceof DomainError) {
    return {
      message: original.message,
      ...where,
      extensions: { ...original.extensions, code: original.code, ...(original.field ? { field: original.field } : {}) },
    };
  }
  const unavailable = unavailableMessage(original);
  if (unavailable) return { message: unavailable, ...where, extensions: { code: 'SERVICE_UNAVAILABLE' } };
  if (!isUnexpected(error)) {
    const { stacktrace: _stacktrace, exception: _exception, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  return { message: 'Internal server error', ...where, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/** A failure to authenticate because the database is down becomes SERVICE_UNAVAILABLE (503), not a masked 500. */
export function asServiceUnavailable(error: unknown): unknown {
  const unavailable = unavailableMessage(error);
  return unavailable ? httpGraphQLError('SERVICE_UNAVAILABLE', unavailable) : error;
}

/**
 * HTTP 503 for a response that failed only because the database is unavailable (no field answered):
 * a client, proxy or load balancer can tell it from a bug and retry. The write it carried may have
 * committed just before the connection died, as docs/security.md says.
 */
export function serviceUnavailablePlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (!errors?.length || !errors.every((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')) return;
          if (data && Object.values(data).some((value) => value !== null)) return;
          response.http.status = 503;
        },
      };
    },
  };
}
