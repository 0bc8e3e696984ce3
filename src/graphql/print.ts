import { printSchema } from 'graphql';
import { getSchema } from './schema.js';

const HEADER = '# Generated from src/graphql by `npm run schema`; do not edit. A test fails when it is stale.\n\n';

export async function renderSchema(): Promise<string> {
  return HEADER + printSchema(await getSchema()) + '\n';
}
