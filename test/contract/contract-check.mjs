#!/usr/bin/env node
// Checks that the project's schema.graphql keeps the API contract: every type, field, argument and
// enum value of ../shared/contract.graphql is still there with a compatible type.
// Run from the project's root: node ../shared/tools/contract-check.mjs [schema.graphql]
// Uses the project's own `graphql` package (findBreakingChanges / findDangerousChanges).
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const schemaPath = resolve(process.argv[2] || 'schema.graphql');
const contractPath = join(here, 'contract.graphql');
if (!existsSync(schemaPath)) {
  console.log(`contract-check: no ${schemaPath}; generate schema.graphql first`);
  process.exit(1);
}
let graphql;
try {
  graphql = createRequire(join(process.cwd(), 'package.json'))('graphql');
} catch {
  console.log('contract-check: the project has no graphql package installed (npm install first)');
  process.exit(1);
}
const { buildSchema, findBreakingChanges, findDangerousChanges } = graphql;
const contract = buildSchema(readFileSync(contractPath, 'utf8'));
const schema = buildSchema(readFileSync(schemaPath, 'utf8'));
const breaking = findBreakingChanges(contract, schema);
const dangerous = findDangerousChanges(contract, schema).filter((c) => c.type !== 'VALUE_ADDED_TO_ENUM' && c.type !== 'OPTIONAL_ARG_ADDED' && c.type !== 'IMPLEMENTED_INTERFACE_ADDED' && c.type !== 'TYPE_ADDED_TO_UNION');
for (const c of breaking) console.log(`breaking: ${c.type}: ${c.description}`);
for (const c of dangerous) console.log(`note: ${c.type}: ${c.description}`);
console.log(`contract-check: ${breaking.length} breaking change(s) against contract.graphql`);
process.exit(breaking.length ? 1 : 0);
