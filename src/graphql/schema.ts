import 'reflect-metadata';
import type { GraphQLInterfaceType, GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { ApiTokenResolver, UserAccessResolver } from './access/access.resolver.js';
import { ArticleResolver } from './article.resolver.js';
import { ClaimEventResolver, ClaimResolver } from './claim.resolver.js';
import { DeskStatisticsResolver, ReviewerStatisticsResolver } from './desk-statistics.resolver.js';
import { FactCheckResolver } from './fact-check.resolver.js';
import { NodeResolver } from './node.resolver.js';
import { AssignmentResolver } from './assignment.resolver.js';
import { BulkClaimResolver } from './bulk.resolver.js';
import { EvidenceResolver } from './evidence.resolver.js';
import { VerdictResolver } from './verdict.resolver.js';
import { UserResolver } from './user.resolver.js';
import { FactCheckChangeResolver } from './change-feed.resolver.js';
import { RatingLabelResolver, RatingScaleResolver } from './rating-scale.resolver.js';
import { WebhookDeliveryResolver, WebhookEndpointResolver } from './webhook.resolver.js';
import { resolveFieldsDirectly } from './direct-field-resolvers.js';

let schema: Promise<GraphQLSchema> | undefined;

/** Every resolver class of the API. */
export const RESOLVERS = [
  NodeResolver,
  UserResolver,
  UserAccessResolver,
  ApiTokenResolver,
  ArticleResolver,
  ClaimResolver,
  ClaimEventResolver,
  AssignmentResolver,
  EvidenceResolver,
  VerdictResolver,
  FactCheckResolver,
  DeskStatisticsResolver,
  ReviewerStatisticsResolver,
  BulkClaimResolver,
  WebhookEndpointResolver,
  WebhookDeliveryResolver,
  FactCheckChangeResolver,
  RatingScaleResolver,
  RatingLabelResolver,
] as const;

/**
 * type-graphql wraps resolveType in an async function; graphql-jit (src/server/jit.ts) needs the
 * type name synchronously. Every Node row carries its __typename (node.resolver.ts).
 */
function withSyncNodeResolveType(built: GraphQLSchema): GraphQLSchema {
  (built.getType('Node') as GraphQLInterfaceType).resolveType = (value) => (value as { __typename?: string }).__typename;
  return built;
}

/** type-graphql has no option for the root types' descriptions (graphql-schema-linter's types-have-descriptions asks for them). */
function withRootDescriptions(built: GraphQLSchema): GraphQLSchema {
  built.getQueryType()!.description = 'Reads. Who may read what: docs/design.md, Who sees what.';
  const mutation = built.getMutationType();
  if (mutation)
    mutation.description =
      "Writes. A claim action given `expectedVersion` is refused (CONFLICT) if the claim changed since; each one is recorded in the claim's history. Bad input changes nothing.";
  return built;
}

/** Built once per process: type-graphql's metadata is global, and building it again costs ~100 ms. */
export function getSchema(): Promise<GraphQLSchema> {
  schema ??= buildSchema({
    resolvers: RESOLVERS,
    validate: false,
    emitSchemaFile: false,
  })
    .then(withSyncNodeResolveType)
    .then(withRootDescriptions)
    .then((built) => {
      resolveFieldsDirectly(built, RESOLVERS);
      return built;
    });
  return schema;
}
