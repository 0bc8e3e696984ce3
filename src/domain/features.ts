/**
 * The registry: every feature, one line each. What the rest of the code reads from the features'
 * declarations (src/domain/<feature>/<feature>.feature.ts) is derived here, so that adding an
 * entity means a folder, a migration and a line below (docs/contributing.md, "Add an entity").
 * test/integration/registry.test.ts fails when a Query or Mutation field, a Node type or an HTTP
 * route is not declared, or a declaration names something that does not exist.
 */
import type { Role } from '../model/enums.js';
import { accessFeature } from './access/access.feature.js';
import { articlesFeature } from './articles/articles.feature.js';
import { changeFeedFeature } from './change-feed/change-feed.feature.js';
import { correctionRequestsFeature } from './correction-requests/correction-requests.feature.js';
import { correctionsFeature } from './corrections/corrections.feature.js';
import { externalSourcesFeature } from './external-sources/external-sources.feature.js';
import { claimantsFeature } from './claimants/claimants.feature.js';
import { claimsFeature } from './claims/claims.feature.js';
import { deskStatisticsFeature } from './desk-statistics/desk-statistics.feature.js';
import { exportsFeature } from './exports/exports.feature.js';
import { externalFactChecksFeature } from './external-fact-checks/external-fact-checks.feature.js';
import { externalImportsFeature } from './external-imports/external-imports.feature.js';
import { factChecksFeature } from './fact-checks/fact-checks.feature.js';
import type { Feature, RouteDeclaration } from './feature.js';
import { nodesFeature } from './nodes/nodes.feature.js';
import { organizationFeature } from './organization/organization.feature.js';
import { ratingScaleFeature } from './rating-scale/rating-scale.feature.js';
import { schedulingFeature } from './scheduling/scheduling.feature.js';
import { suggestionsFeature } from './suggestions/suggestions.feature.js';
import { topicsFeature } from './topics/topics.feature.js';
import { webhooksFeature } from './webhooks/webhooks.feature.js';

export const FEATURES = [
  nodesFeature,
  accessFeature,
  articlesFeature,
  suggestionsFeature,
  claimsFeature,
  factChecksFeature,
  changeFeedFeature,
  webhooksFeature,
  ratingScaleFeature,
  deskStatisticsFeature,
  exportsFeature,
  claimantsFeature,
  topicsFeature,
  organizationFeature,
  correctionsFeature,
  correctionRequestsFeature,
  externalFactChecksFeature,
  schedulingFeature,
  externalImportsFeature,
  externalSourcesFeature,
] as const satisfies readonly Feature[];

/** A feature's name, as the other layers key their own lists by it (src/graphql/schema.ts). */
export type FeatureName = (typeof FEATURES)[number]['name'];

type Declared<K extends 'nodeTypes' | 'readables'> = (typeof FEATURES)[number] extends infer F
  ? F extends { [P in K]: infer N }
    ? keyof N & string
    : never
  : never;

/** Every Node type: what a global ID may name. */
export type NodeType = Declared<'nodeTypes'>;
/** Every kind of row the visibility rules know: the Node types and the other readables. */
export type ReadableKind = NodeType | Declared<'readables'>;

const all: readonly Feature[] = FEATURES;

export const NODE_TYPES: readonly NodeType[] = all.flatMap((f) => Object.keys(f.nodeTypes ?? {})) as NodeType[];

/** Who may read each kind of row at all (a row's own rule can narrow it: visibility.ts). */
export const READERS = Object.fromEntries(all.flatMap((f) => [...Object.entries(f.nodeTypes ?? {}), ...Object.entries(f.readables ?? {})])) as Record<
  ReadableKind,
  readonly Role[]
>;

/** Query fields that read only what partners may read (published fact checks and their change feed). */
export const PARTNER_READ_FIELDS: ReadonlySet<string> = new Set(all.flatMap((f) => f.partnerReads ?? []));

/** The features' public HTTP routes. */
export const FEATURE_ROUTES: readonly RouteDeclaration[] = all.flatMap((f) => f.routes ?? []);

/** The feature that declares each Query and Mutation field. */
export interface OperationDeclaration {
  feature: string;
  kind: 'query' | 'mutation';
}
export const OPERATIONS: ReadonlyMap<string, OperationDeclaration> = new Map(
  all.flatMap((f) => [
    ...(f.queries ?? []).map((name): [string, OperationDeclaration] => [name, { feature: f.name, kind: 'query' }]),
    ...(f.mutations ?? []).map((name): [string, OperationDeclaration] => [name, { feature: f.name, kind: 'mutation' }]),
  ]),
);
