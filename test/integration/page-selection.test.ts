/**
 * A page of claims reads only the columns its query selects (src/db/claim-page.ts). Whatever
 * the selection (any fields of Claim and its relations, aliases, fragments on Node, computed
 * fields), each claim of the page must answer exactly what `claim(id:)`, which reads whole rows
 * through the loaders, answers: for an editor, a reviewer who gave a verdict and one blind to them.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLObjectType,
} from 'graphql';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ok, type TestApp } from '../support/app.js';
import { buildDashboard } from '../support/dashboard.js';
import { type Desk, startDeskApp } from '../support/factories.js';

const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
const claimType = schema.getType('Claim') as GraphQLObjectType;
const MAX_DEPTH = 3;

let app: TestApp;
let desk: Desk;
beforeAll(async () => {
  ({ app, desk } = await startDeskApp());
  await buildDashboard(app.database.db, desk, 24);
});
afterAll(() => app?.stop());

/**
 * Fields a generated selection may take: no required argument, no connection (pages of their
 * own), and not User.apiTokens (admins only, and non-null: refused, it nulls the whole page).
 */
const selectable = (field: GraphQLField<unknown, unknown>) =>
  !field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined) &&
  !getNamedType(field.type).name.endsWith('Connection') &&
  field.name !== 'apiTokens';

type Gen = fc.GeneratorValue;
let aliases = 0;

/** A random selection set on an object type: some of its fields, maybe aliased, maybe inside `... on Node`. */
function selectionOn(g: Gen, type: GraphQLObjectType, depth: number): string {
  const fields = Object.values(type.getFields()).filter(selectable);
  const chosen = g(() => fc.subarray(fields, { minLength: 1 }));
  const parts: string[] = [];
  for (const field of chosen) {
    const named = getNamedType(field.type);
    let text: string;
    if (isScalarType(named) || isEnumType(named)) text = field.name;
    else if (isObjectType(named) && depth < MAX_DEPTH) text = `${field.name} { ${selectionOn(g, named, depth + 1)} }`;
    else if (isObjectType(named) || isInterfaceType(named) || isUnionType(named)) text = `${field.name} { __typename }`;
    else continue;
    if (g(() => fc.boolean())) text = `a${aliases++}: ${text}`;
    parts.push(text);
  }
  if (type.getInterfaces().some((i) => i.name === 'Node') && g(() => fc.boolean())) parts.push('... on Node { id }');
  if (g(() => fc.boolean())) parts.push('__typename');
  return parts.join(' ');
}

type Errors = { path?: readonly (string | number)[]; extensions?: { code?: unknown } }[] | undefined;
/** The errors at or below `prefix`, by their path below it and their code. */
const errorsUnder = (errors: Errors, prefix: readonly (string | number)[]) =>
  (errors ?? [])
    .filter((e) => prefix.every((p, i) => e.path?.[i] === p))
    .map((e) => `${e.path!.slice(prefix.length).join('.')} ${String(e.extensions?.code)}`)
    .sort();

const ORDERS = ['CREATED_AT_DESC', 'DUE_AT_ASC', 'PRIORITY_DESC'];

test(
  'every selection of a claims page answers what claim(id:) answers, for an editor, a reviewer who gave a verdict and a blind one',
  { timeout: 300_000 },
  async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.gen(),
        fc.constantFrom(...ORDERS),
        fc.constantFrom('editor', 'reviewer1', 'reviewer2') as fc.Arbitrary<'editor' | 'reviewer1' | 'reviewer2'>,
        async (g, orderBy, who) => {
          const selection = selectionOn(g, claimType, 1);
          const token = desk[who].token;
          // Half of the pages ask for cursors, which read the order's columns whether they are selected or not.
          const withCursors = g(() => fc.boolean());
          const response = await app.gql(
            `{ claims(first: 8, orderBy: ${orderBy}) { edges { ${withCursors ? 'cursor' : ''} node { id ${selection} } } } }`,
            {},
            token,
          );
          // A selection past the query limits (aliases, depth, cost) is refused whole: nothing to compare.
          if (response.errors?.every((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX')) return;
          const edges: { cursor?: string; node: { id: string } }[] = response.data!.claims.edges;
          const nodes = edges.map((e) => e.node);
          expect(nodes).toHaveLength(8);
          if (withCursors) {
            // As a page reading every column (Claim.span makes it) has them.
            const everyColumn = ok(await app.gql(`{ claims(first: 8, orderBy: ${orderBy}) { edges { cursor node { span { start } } } } }`, {}, token));
            expect(edges.map((e) => e.cursor)).toEqual(everyColumn.claims.edges.map((e: { cursor: string }) => e.cursor));
          }
          for (const [i, node] of nodes.entries()) {
            const byId = await app.gql(`query($id: ID!) { claim(id: $id) { id ${selection} } }`, { id: node.id }, token);
            // Errors (a field a reviewer may not read) at the same place, with the same code.
            expect({ data: node, errors: errorsUnder(response.errors, ['claims', 'edges', i, 'node']) }, selection).toEqual({
              data: byId.data!.claim,
              errors: errorsUnder(byId.errors, ['claim']),
            });
          }
          compared++;
        },
      ),
      { numRuns: 50, endOnFailure: true },
    );
    expect(compared).toBeGreaterThan(25);
  },
);

test('a page reads the columns its query selects, not the others', async () => {
  const statements: string[] = [];
  const { app: logged, desk: loggedDesk } = await startDeskApp({}, { onQuery: (sql) => void statements.push(sql) });
  try {
    await buildDashboard(logged.database.db, loggedDesk, 4);
    statements.length = 0;
    ok(await logged.gql('{ claims(first: 4) { edges { node { quote evidence { title } } } } }', {}, loggedDesk.editor.token));
    const page = statements.find((s) => s.includes('json_build_object'))!;
    expect(page).toContain(`'quote'`);
    expect(page).toContain(`'title'`);
    expect(page).not.toContain(`'statement'`);
    expect(page).not.toContain(`'excerpt'`);
    statements.length = 0;
    // Claim.span is computed from two columns: a field the selection does not know reads them all.
    const data = ok(await logged.gql('{ claims(first: 4) { edges { node { span { start end } } } } }', {}, loggedDesk.editor.token));
    expect(data.claims.edges[0].node.span).toEqual({ start: expect.any(Number), end: expect.any(Number) });
    expect(statements.find((s) => s.includes('json_build_object'))).toContain(`'statement'`);
  } finally {
    await logged.stop();
  }
});
