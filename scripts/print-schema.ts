/** Writes schema.graphql from the code (npm run schema). A test fails when the committed file is stale. */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSchema } from '../src/graphql/print.js';
import { projectRoot } from '../src/paths.js';

writeFileSync(join(projectRoot, 'schema.graphql'), await renderSchema());
console.log('wrote schema.graphql');
