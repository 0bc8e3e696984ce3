import { ExternalImportsResolver } from './external-imports/external-imports.resolver.js';
import 'reflect-metadata';
import type { GraphQLInterfaceType, GraphQLSchema, GraphQLUnionType } from 'graphql';
import { buildSchema } from 'type-graphql';
import type { FeatureName } from '../domain/features.js';
import { ApiTokenResolver, UserAccessResolver } from './access/access.resolver.js';
import { ArticleResolver } from './articles/article.resolver.js';
import { ClaimantResolver } from './claimants/claimant.resolver.js';
import { CorrectionRequestResolver } from './correction-requests/correction-request.resolver.js';
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
import { UserResolver } from './access/user.resolver.js';
import { ClaimTopicsResolver, FactCheckTopicsResolver, TopicResolver, WebhookEndpointTopicsResolver } from './topics/topic.resolver.js';
import { WebhookDeliveryResolver, WebhookEndpointResolver } from './webhooks/webhook.resolver.js';
import { OrganizationResolver } from './organization/organization.resolver.js';
import { CorrectionLogResolver } from './corrections/correction-log.resolver.js';
import { ClaimRelatedFactChecksResolver, ExternalFactCheckResolver } from './external-fact-checks/external-fact-check.resolver.js';
import { ClaimScheduledPublicationResolver, ScheduledPublicationResolver } from './scheduling/scheduled-publication.resolver.js';
import { ExternalSourceResolver } from './external-sources/external-source.resolver.js';
import { ExternalFactCheckSourceResolver } from './external-sources/external-fact-check-source.resolver.js';

let schema: Promise<GraphQLSchema> | undefined;

/**
 * The resolver classes of each feature of the registry (src/domain/features.ts): a Record over its
 * names, so that a new feature does not compile until it is listed here (with [] if it has no GraphQL).
 */
const RESOLVERS_BY_FEATURE = {
  nodes: [NodeResolver],
  access: [UserResolver, UserAccessResolver, ApiTokenResolver],
  articles: [ArticleResolver],
  suggestions: [],
  claims: [ClaimResolver, ClaimEventResolver, AssignmentResolver, EvidenceResolver, VerdictResolver, BulkClaimResolver],
  'fact-checks': [FactCheckResolver],
  'change-feed': [FactCheckChangeResolver],
  webhooks: [WebhookEndpointResolver, WebhookDeliveryResolver],
  'rating-scale': [RatingScaleResolver, RatingLabelResolver],
  'desk-statistics': [DeskStatisticsResolver, ReviewerStatisticsResolver],
  exports: [],
  claimants: [ClaimantResolver],
  topics: [TopicResolver, ClaimTopicsResolver, FactCheckTopicsResolver, WebhookEndpointTopicsResolver],
  organization: [OrganizationResolver],
  corrections: [CorrectionLogResolver],
  'correction-requests': [CorrectionRequestResolver],
  'external-fact-checks': [ExternalFactCheckResolver, ClaimRelatedFactChecksResolver],
  scheduling: [ScheduledPublicationResolver, ClaimScheduledPublicationResolver],
  'external-imports': [ExternalImportsResolver],
  'external-sources': [ExternalSourceResolver, ExternalFactCheckSourceResolver],
} as const satisfies Record<FeatureName, readonly (abstract new (...args: never[]) => unknown)[]>;

/** The feature each resolver class belongs to (test/unit/registry.test.ts checks it serves that feature's operations). */
export const FEATURE_OF_RESOLVER: ReadonlyMap<object, FeatureName> = new Map(
  Object.entries(RESOLVERS_BY_FEATURE).flatMap(([feature, classes]) => classes.map((c) => [c, feature as FeatureName] as const)),
);

/** Every resolver class of the API. */
export const RESOLVERS = Object.values(RESOLVERS_BY_FEATURE).flat() as unknown as [new () => object, ...(new () => object)[]];

/**
 * type-graphql wraps resolveType in an async function; graphql-jit (src/server/jit.ts) needs the
 * type name synchronously. Every Node row carries its __typename (node.resolver.ts), as every AnyFactCheck does.
 */
function withSyncNodeResolveType(built: GraphQLSchema): GraphQLSchema {
  const byTypename = (value: unknown) => (value as { __typename?: string }).__typename;
  (built.getType('Node') as GraphQLInterfaceType).resolveType = byTypename;
  // Likewise the union of Claim.relatedFactChecks (src/domain/external-fact-checks/queries.ts).
  (built.getType('AnyFactCheck') as GraphQLUnionType).resolveType = byTypename;
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
