import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import { CLAIM_RELATIONS, type ClaimRelation } from '../db/claim-relations.js';

const children = (tree: ResolveTree | undefined, typeName: string) => Object.values(tree?.fieldsByTypeName[typeName] ?? {});
const child = (tree: ResolveTree | undefined, typeName: string, field: string) => children(tree, typeName).filter((f) => f.name === field);

/** The GraphQL type of each list relation's items, whose own relations a page can fetch too. */
const ITEM_TYPE: Partial<Record<ClaimRelation, string>> = { assignments: 'Assignment', evidence: 'Evidence', verdicts: 'Verdict' };
const known = (relation: string): relation is ClaimRelation => (CLAIM_RELATIONS as readonly string[]).includes(relation);

/**
 * Which relations of Claim a ClaimConnection field's query selects under edges.node, and which of
 * their items' relations (`assignments.reviewer`…), fragments included.
 */
export function requestedClaimRelations(info: GraphQLResolveInfo): Set<ClaimRelation> {
  const tree = parseResolveInfo(info) as ResolveTree | undefined;
  const selected = new Set<ClaimRelation>();
  for (const edges of child(tree, 'ClaimConnection', 'edges')) {
    for (const node of child(edges, 'ClaimEdge', 'node')) {
      for (const field of children(node, 'Claim')) {
        if (!known(field.name)) continue;
        selected.add(field.name);
        const itemType = ITEM_TYPE[field.name];
        if (!itemType) continue;
        for (const nested of children(field, itemType)) {
          const path = `${field.name}.${nested.name}`;
          if (known(path)) selected.add(path);
        }
      }
    }
  }
  return selected;
}
