import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import { CLAIM_RELATIONS, type ClaimRelation } from '../db/claim-relations.js';

const child = (tree: ResolveTree | undefined, typeName: string, field: string) =>
  Object.values(tree?.fieldsByTypeName[typeName] ?? {}).filter((f) => f.name === field);

/** Which relations of Claim a ClaimConnection field's query selects under edges.node (fragments included). */
export function requestedClaimRelations(info: GraphQLResolveInfo): Set<ClaimRelation> {
  const tree = parseResolveInfo(info) as ResolveTree | undefined;
  const selected = new Set<ClaimRelation>();
  for (const edges of child(tree, 'ClaimConnection', 'edges')) {
    for (const node of child(edges, 'ClaimEdge', 'node')) {
      for (const field of Object.values(node.fieldsByTypeName.Claim ?? {})) {
        if ((CLAIM_RELATIONS as readonly string[]).includes(field.name)) selected.add(field.name as ClaimRelation);
      }
    }
  }
  return selected;
}
