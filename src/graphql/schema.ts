import 'reflect-metadata';
import type { GraphQLInterfaceType, GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { ApiTokenResolver, UserAccessResolver } from './access/access.resolver.js';
import { ArticleResolver } from './articles/article.resolver.js';
import { FactCheckChangeResolver } from './change-feed/fact-check-change.resolver.js';
import { AssignmentResolver } from './claims/assignment.resolver.js';
import { BulkClaimResolver } from './claims/bulk.resolver.js';
import { ClaimEventResolver, ClaimResolver } from './claims/claim.resolver.js';
import { EvidenceResolver } from './claims/evidence.resolver.js';
import { VerdictResolver } from './claims/verdict.resolver.js';
import { resolveFieldsDirectly } from './core/direct-field-resolvers.js';
import { NodeResolver } from './core/node.resolver.js';
import { DeskStatisticsResolver, ReviewerStatisticsResolver } from './desk-statistics/desk-statistics.resolver.js';
import { FactCheckResolver } from './fact-checks/fact-check.resolver.js';
import { RatingLabelResolver, RatingScaleResolver } from './rating-scale/rating-scale.resolver.js';
import { UserResolver } from './users/user.resolver.js';
import { WebhookDeliveryResolver, WebhookEndpointResolver } from './webhooks/webhook.resolver.js';

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
