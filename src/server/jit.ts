/**
 * Executes operations with graphql-jit instead of graphql-js: each distinct document is compiled
 * once into a function. Apollo Server 5 has no executor option; a "gateway" is its one hook for
 * replacing execution. What this skips is Apollo's per-field instrumentation (willResolveField),
 * which nothing here uses; parsing, validation, the limits plugin and error formatting run as before.
 */
import type { GatewayInterface, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import { GraphQLError, printSchema, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

const MAX_COMPILED = 1_000;

/**
 * graphql-jit's errors carry no `extensions` object, which Apollo's error formatting reads (and,
 * failing, masks every error): rebuilt as graphql 16 errors, keeping the original error for ours.
 */
function asGraphQLError(error: GraphQLError, badVariables: boolean): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: badVariables ? { code: 'BAD_USER_INPUT', http: { status: 400 } } : (error.extensions ?? {}),
  });
}

/** Runs an operation's execution in its trace span (src/server/tracing-spans.ts); unset when tracing is off. */
export type AroundExecution = <T>(contextValue: object, run: () => T) => T;

export function jitGateway(schema: GraphQLSchema, around?: AroundExecution): GatewayInterface {
  const listeners = new Set<GatewaySchemaLoadOrUpdateCallback>();
  const compiled = new Map<string, CompiledQuery>();
  return {
    onSchemaLoadOrUpdate(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    async load() {
      const coreSupergraphSdl = printSchema(schema);
      for (const listener of listeners) listener({ apiSchema: schema, coreSupergraphSdl });
      return {
        async executor(request) {
          const key = `${request.queryHash}:${request.operationName ?? ''}`;
          let query = compiled.get(key);
          if (!query) {
            const result = compileQuery(schema, request.document, request.operationName ?? undefined);
            if (!isCompiledQuery(result)) return result;
            if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
            compiled.set(key, (query = result));
          }
          const execute = () => query.query(undefined, request.context, request.request.variables ?? {});
          const result = await (around ? around(request.context, execute) : execute());
          if (!result.errors) return result;
          // No data at all: the variables could not be coerced, which Apollo's own executor reports
          // as BAD_USER_INPUT with status 400; on the gateway path that is ours to do.
          const coercionFailed = result.data === undefined;
          return { ...result, errors: result.errors.map((e) => asGraphQLError(e, coercionFailed)) };
        },
      };
    },
    async stop() {},
  };
}
