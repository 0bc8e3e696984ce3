import { HeaderMap } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { DomainError } from '../domain/coded-errors.js';
import type { Context } from '../graphql/core/resolver-context.js';

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

/** A coded error raised outside resolvers (context, plugins): a GraphQLError with its HTTP status. */
export function httpGraphQLError(code: string, message: string, headers: Record<string, string> = {}) {
  return new GraphQLError(message, { extensions: { code, http: { status: HTTP_STATUS[code] ?? 400, headers: new HeaderMap(Object.entries(headers)) } } });
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
  if (isDatabaseUnavailable(original)) return { message: UNAVAILABLE_MESSAGE, ...where, extensions: { code: 'SERVICE_UNAVAILABLE' } };
  if (!isUnexpected(error)) {
    const { stacktrace: _stacktrace, exception: _exception, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  return { message: 'Internal server error', ...where, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/** A failure to authenticate because the database is down becomes SERVICE_UNAVAILABLE (503), not a masked 500. */
export function asServiceUnavailable(error: unknown): unknown {
  return isDatabaseUnavailable(error) ? httpGraphQLError('SERVICE_UNAVAILABLE', UNAVAILABLE_MESSAGE) : error;
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
