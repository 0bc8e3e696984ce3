/**
 * What a single request may ask for. Depth, aliases, directives (graphql-armor's rules) and cost
 * (graphql-query-complexity) are checked after parsing and before execution, all answered with
 * QUERY_TOO_COMPLEX; graphql's parser bounds tokens (Apollo's parseOptions).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { Kind, validate, visit, type ArgumentNode, type DocumentNode, type GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import { createRequire } from 'node:module';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import type { Context } from '../graphql/core/resolver-context.js';
import { httpGraphQLError } from './graphql-errors.js';

// Its ESM build imports graphql/index.mjs: a second graphql realm beside the CommonJS one that
// type-graphql builds the schema with, which makes every call throw. Its CommonJS build shares ours.
const { getComplexity, simpleEstimator } = createRequire(import.meta.url)('graphql-query-complexity') as typeof import('graphql-query-complexity');

export const QUERY_LIMITS = {
  /** The deepest query a client of the contract needs is about 8 levels. */
  maxDepth: 12,
  /** One field costs 1; a list field asked for `first`/`limit` items multiplies what is under it. */
  maxCost: 25_000,
  maxAliases: 30,
  maxDirectives: 20,
  maxTokens: 5_000,
} as const;

/** Lists sized by their `first` or `limit` argument (defaults included) cost that many times their children. */
const listEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const size = args.first ?? args.limit;
  if (typeof size === 'number') return 1 + childComplexity * Math.max(1, size);
};

/**
 * Whether the document's cost can depend on its variables: only through a list's size given as a
 * variable (`first: $n`, what listEstimator reads) or a directive's variable (`@include(if: $x)`
 * drops a field). Otherwise (a mutation's input, an ID) one cost serves every set of variables.
 */
function costReadsVariables(document: DocumentNode): boolean {
  let reads = false;
  const isVariable = (a: ArgumentNode) => a.value.kind === Kind.VARIABLE;
  visit(document, {
    Field(node) {
      if (node.arguments?.some((a) => (a.name.value === 'first' || a.name.value === 'limit') && isVariable(a))) reads = true;
    },
    Directive(node) {
      if (node.arguments?.some(isVariable)) reads = true;
    },
  });
  return reads;
}

/** armor's rules throw by default (a 500 in Apollo); reported instead, they come back from validate(). */
function shapeRules(): ValidationRule[] {
  const report = {
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [(ctx: ValidationContext | null, error: GraphQLError) => ctx?.reportError(error)],
  };
  return [
    maxDepthRule({ n: QUERY_LIMITS.maxDepth, ...report }),
    maxAliasesRule({ n: QUERY_LIMITS.maxAliases, ...report }),
    maxDirectivesRule({ n: QUERY_LIMITS.maxDirectives, ...report }),
  ];
}

const MAX_REMEMBERED_SHAPES = 1_000;
/** Longer variables (an article's body…) are costed anew each time rather than kept as a key. */
const MAX_REMEMBERED_VARIABLES = 1_000;

function limitsPlugin(): ApolloServerPlugin<Context> {
  // Depth, aliases and directives depend on the document only: checked once per document, with
  // whether its cost reads the variables.
  const shapeVerdicts = new Map<string, { overLimit: string | null; costReadsVariables: boolean }>();
  const costs = new Map<string, number>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, schema, request, operationName, queryHash }) {
          let shape = shapeVerdicts.get(queryHash);
          if (shape === undefined) {
            const overLimit = validate(schema, document, shapeRules())[0]?.message.replace(/^Syntax Error: /, '') ?? null;
            shape = { overLimit, costReadsVariables: costReadsVariables(document) };
            if (shapeVerdicts.size >= MAX_REMEMBERED_SHAPES) shapeVerdicts.delete(shapeVerdicts.keys().next().value!);
            shapeVerdicts.set(queryHash, shape);
          }
          if (shape.overLimit) throw httpGraphQLError('QUERY_TOO_COMPLEX', shape.overLimit);
          // The cost depends on the document and, for some documents, the variables (a list's
          // `first`): remembered per document, with the variables when they count and are small, so
          // that a repeated query (the dashboard, a mutation with new input) costs a lookup.
          const variables = shape.costReadsVariables && request.variables ? JSON.stringify(request.variables) : '';
          const costKey = variables.length <= MAX_REMEMBERED_VARIABLES ? `${queryHash}:${operationName ?? ''}:${variables}` : null;
          let cost = costKey === null ? undefined : costs.get(costKey);
          if (cost === undefined) {
            try {
              cost = getComplexity({
                schema,
                query: document,
                variables: request.variables ?? {},
                operationName: operationName ?? undefined,
                estimators: [listEstimator, simpleEstimator({ defaultComplexity: 1 })],
              });
            } catch {
              return; // invalid variables: graphql-js reports them during execution, with its own code
            }
            if (costKey !== null) {
              if (costs.size >= MAX_REMEMBERED_SHAPES) costs.delete(costs.keys().next().value!);
              costs.set(costKey, cost);
            }
          }
          if (cost > QUERY_LIMITS.maxCost) throw httpGraphQLError('QUERY_TOO_COMPLEX', `Query cost ${cost} exceeds the limit of ${QUERY_LIMITS.maxCost}`);
        },
      };
    },
  };
}

const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);

/**
 * GraphQL over HTTP: a client that accepts only application/json (the legacy media type) gets
 * 200 for a document or variables the server cannot run; application/graphql-response+json
 * clients keep Apollo's 4xx.
 */
function legacyStatusPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response }) {
          if (response.body.kind !== 'single' || response.body.singleResult.data !== undefined) return;
          const errors = response.body.singleResult.errors ?? [];
          if (!errors.length || !errors.every((e) => REQUEST_ERROR_CODES.has(String(e.extensions?.code)))) return;
          if ((request.http?.headers.get('accept') ?? '').includes('application/graphql-response+json')) return;
          response.http.status = 200;
        },
      };
    },
  };
}

export function queryLimits() {
  return { plugins: [limitsPlugin(), legacyStatusPlugin()], parseOptions: { maxTokens: QUERY_LIMITS.maxTokens } };
}
