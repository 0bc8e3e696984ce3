import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import { isHttpUrl } from '../domain/validation.js';

export const DateTimeScalar = DateTimeResolver;
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
