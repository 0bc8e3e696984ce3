import { lexicographicSortSchema, printSchema } from 'graphql';
import { getSchema } from './schema.js';

const HEADER = '# Generated from src/graphql by `npm run schema`; do not edit. A test fails when it is stale.\n\n';

/** Sorted, so that moving a type to another file (which changes type-graphql's registration order) leaves the file as it is. */
export async function renderSchema(): Promise<string> {
  return HEADER + printSchema(lexicographicSortSchema(await getSchema())) + '\n';
}
