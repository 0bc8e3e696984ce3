import 'reflect-metadata';
import type { GraphQLInterfaceType, GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { ApiTokenResolver, UserAccessResolver } from './access/access.resolver.js';
import { ArticleResolver } from './article.resolver.js';
import { ClaimEventResolver, ClaimResolver } from './claim.resolver.js';
import { FactCheckResolver } from './fact-check.resolver.js';
import { NodeResolver } from './node.resolver.js';
import { AssignmentResolver, EvidenceResolver, VerdictResolver } from './review.resolver.js';
import { UserResolver } from './user.resolver.js';

let schema: Promise<GraphQLSchema> | undefined;

/**
 * type-graphql wraps resolveType in an async function; graphql-jit (src/server/jit.ts) needs the
 * type name synchronously. Every Node row carries its __typename (node.resolver.ts).
 */
function withSyncNodeResolveType(built: GraphQLSchema): GraphQLSchema {
  (built.getType('Node') as GraphQLInterfaceType).resolveType = (value) => (value as { __typename?: string }).__typename;
  return built;
}

/** Built once per process: type-graphql's metadata is global, and building it again costs ~100 ms. */
export function getSchema(): Promise<GraphQLSchema> {
  schema ??= buildSchema({
    resolvers: [NodeResolver, UserResolver, UserAccessResolver, ApiTokenResolver, ArticleResolver, ClaimResolver, ClaimEventResolver, AssignmentResolver, EvidenceResolver, VerdictResolver, FactCheckResolver],
    validate: false,
    emitSchemaFile: false,
  }).then(withSyncNodeResolveType);
  return schema;
}
