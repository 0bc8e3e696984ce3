/** Field resolvers that take only the parent, the context and the info skip type-graphql's wrapper (src/graphql/core/direct-field-resolvers.ts). */
import { expect, test } from 'vitest';
import type { GraphQLObjectType } from 'graphql';
import { getSchema } from '../../src/graphql/schema.js';

const resolverName = (schema: Awaited<ReturnType<typeof getSchema>>, type: string, field: string) =>
  (schema.getType(type) as GraphQLObjectType).getFields()[field]!.resolve?.name;

test('the schema resolves ids and relations directly, and keeps the wrapper where it converts arguments', async () => {
  const schema = await getSchema();
  for (const [type, field] of [
    ['Claim', 'id'],
    ['Claim', 'article'],
    ['Claim', 'assignments'],
    ['Claim', 'verdicts'],
    ['Claim', 'factCheck'],
    ['Assignment', 'reviewer'],
    ['Evidence', 'addedBy'],
    ['Verdict', 'reviewer'],
    ['FactCheck', 'id'],
    ['User', 'id'],
  ]) {
    expect(resolverName(schema, type!, field!), `${type}.${field}`).toBe(`direct ${type}.${field}`);
  }
  // similarFactChecks(limit:) takes an argument type-graphql converts: its wrapper stays.
  expect(resolverName(schema, 'Claim', 'similarFactChecks')).not.toMatch(/^direct /);
});
