import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, findBreakingChanges } from 'graphql';
import { expect, test } from 'vitest';
import { renderSchema } from '../../src/graphql/print.js';
import { projectRoot } from '../../src/paths.js';

test('schema.graphql is what the code generates (run `npm run schema` after changing the API)', async () => {
  expect(readFileSync(join(projectRoot, 'schema.graphql'), 'utf8')).toBe(await renderSchema());
});

test('the schema keeps the client contract (test/contract/contract.graphql) without a breaking change', async () => {
  const contract = buildSchema(readFileSync(join(projectRoot, 'test/contract/contract.graphql'), 'utf8'));
  const ours = buildSchema(await renderSchema());
  expect(findBreakingChanges(contract, ours).map((c) => `${c.type}: ${c.description}`)).toEqual([]);
});
