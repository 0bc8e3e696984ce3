import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import { CLAIM_RELATIONS, type ClaimRelation } from '../db/claim-relations.js';

const children = (tree: ResolveTree | undefined, typeName: string) => Object.values(tree?.fieldsByTypeName[typeName] ?? {});
const child = (tree: ResolveTree | undefined, typeName: string, field: string) => children(tree, typeName).filter((f) => f.name === field);

/** The GraphQL type of each list relation's items, whose own relations a page can fetch too. */
const ITEM_TYPE: Partial<Record<ClaimRelation, string>> = { assignments: 'Assignment', evidence: 'Evidence', verdicts: 'Verdict' };
const known = (relation: string): relation is ClaimRelation => (CLAIM_RELATIONS as readonly string[]).includes(relation);

/** Per field of a parsed document (Apollo keeps documents, so a repeated query is the same object) and its variables (@include/@skip). */
const remembered = new WeakMap<object, Map<string, ReadonlySet<ClaimRelation>>>();
const MAX_REMEMBERED_VARIABLES = 1_000;
const MAX_PER_FIELD = 100;

/**
 * Which relations of Claim a ClaimConnection field's query selects under edges.node, and which of
 * their items' relations (`assignments.reviewer`…), fragments included. Worked out once per
 * document and variables.
 */
export function requestedClaimRelations(info: GraphQLResolveInfo): ReadonlySet<ClaimRelation> {
  const variables = JSON.stringify(info.variableValues);
  const field = info.fieldNodes[0]!;
  if (variables.length > MAX_REMEMBERED_VARIABLES || info.fieldNodes.length !== 1) return lookAhead(info);
  let byVariables = remembered.get(field);
  if (!byVariables) remembered.set(field, (byVariables = new Map()));
  let relations = byVariables.get(variables);
  if (!relations) {
    if (byVariables.size >= MAX_PER_FIELD) byVariables.delete(byVariables.keys().next().value!);
    byVariables.set(variables, (relations = lookAhead(info)));
  }
  return relations;
}

function lookAhead(info: GraphQLResolveInfo): Set<ClaimRelation> {
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
