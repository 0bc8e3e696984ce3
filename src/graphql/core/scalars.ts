import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import { isHttpUrl } from '../../domain/validation.js';

/** Exactly what Date.prototype.toISOString writes (years 1 to 9999, the ones the API stores). */
const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * graphql-scalars' DateTime, emitting the ISO string itself (a Date's, or the one a page's JSON
 * already carries, src/db/claim-page.ts) instead of a Date that JSON.stringify formats later.
 */
export const DateTimeScalar = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  serialize(value) {
    if (typeof value === 'string' && ISO_INSTANT.test(value)) return value;
    return (DateTimeResolver.serialize(value) as Date).toISOString();
  },
});
export const JSONObjectScalar = JSONObjectResolver;

function parseHttpUrl(value: unknown): string {
  if (typeof value !== 'string' || !isHttpUrl(value)) {
    throw new GraphQLError('URL must be an absolute http(s) URL', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return value;
}

/** graphql-scalars' URL accepts any scheme and yields URL objects; the contract wants http(s) strings. */
export const URLScalar = new GraphQLScalarType<string, string>({
  name: 'URL',
  description: 'An absolute http(s) URL.',
  serialize: (value) => String(value),
  parseValue: parseHttpUrl,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('URL must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    return parseHttpUrl(ast.value);
  },
});
