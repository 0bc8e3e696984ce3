import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import { CLAIM_RELATIONS, claimPageSelection, type ClaimPageSelection, type ClaimPath, type ClaimRelation } from '../../domain/claims/page-selection.js';

/**
 * The fields selected on an object, whichever type condition they were selected under: a
 * fragment on an interface the object implements (`... on Node { id }`) counts as well.
 */
const fieldsOf = (tree: ResolveTree | undefined) => Object.values(tree?.fieldsByTypeName ?? {}).flatMap((byAlias) => Object.values(byAlias));
const named = (tree: ResolveTree | undefined, field: string) => fieldsOf(tree).filter((f) => f.name === field);

const known = (relation: string): relation is ClaimRelation => (CLAIM_RELATIONS as readonly string[]).includes(relation);

/** Per field of a parsed document (Apollo keeps documents, so a repeated query is the same object) and its variables (@include/@skip). */
const remembered = new WeakMap<object, Map<string, ClaimPageSelection>>();
const MAX_REMEMBERED_VARIABLES = 1_000;
const MAX_PER_FIELD = 100;

/**
 * What a ClaimConnection field's query selects under edges.node: the claim's fields, its
 * relations and their items' relations (`assignments.reviewer`…), and the fields of each,
 * fragments included; and whether it asks for a cursor. Worked out once per document and variables.
 */
export function requestedClaimSelection(info: GraphQLResolveInfo): ClaimPageSelection {
  const variables = JSON.stringify(info.variableValues);
  const field = info.fieldNodes[0]!;
  if (variables.length > MAX_REMEMBERED_VARIABLES || info.fieldNodes.length !== 1) return lookAhead(info);
  let byVariables = remembered.get(field);
  if (!byVariables) remembered.set(field, (byVariables = new Map()));
  let selection = byVariables.get(variables);
  if (!selection) {
    if (byVariables.size >= MAX_PER_FIELD) byVariables.delete(byVariables.keys().next().value!);
    byVariables.set(variables, (selection = lookAhead(info)));
  }
  return selection;
}

function lookAhead(info: GraphQLResolveInfo): ClaimPageSelection {
  const tree = parseResolveInfo(info) as ResolveTree | undefined;
  const selected = new Map<ClaimPath, Set<string>>();
  const add = (path: ClaimPath, trees: ResolveTree[]) => {
    let fields = selected.get(path);
    if (!fields) selected.set(path, (fields = new Set()));
    for (const t of trees) fields.add(t.name);
  };
  add('claim', []);
  const edges = named(tree, 'edges');
  const cursors = edges.some((e) => named(e, 'cursor').length > 0) || named(tree, 'pageInfo').some((p) => fieldsOf(p).some((f) => f.name.endsWith('Cursor')));
  for (const edge of edges) {
    for (const node of named(edge, 'node')) {
      const claimFields = fieldsOf(node);
      add('claim', claimFields);
      for (const relation of claimFields) {
        if (!known(relation.name)) continue;
        const itemFields = fieldsOf(relation);
        add(relation.name, itemFields);
        for (const nested of itemFields) {
          const path = `${relation.name}.${nested.name}`;
          if (known(path)) add(path, fieldsOf(nested));
        }
      }
    }
  }
  return claimPageSelection(selected, { cursors });
}
