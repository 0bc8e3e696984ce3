/**
 * The registry (src/domain/features.ts) against what the code really serves: every Query and
 * Mutation field, every Node type and every HTTP route is declared by a feature, and every
 * declaration names something that exists. A new operation, type or route fails here until its
 * feature declares it (docs/contributing.md, "Add an entity").
 */
import 'reflect-metadata';
import type { Express } from 'express';
import { isObjectType } from 'graphql';
import { describe, expect, test } from 'vitest';
import { FEATURES, NODE_TYPES, OPERATIONS, PARTNER_READ_FIELDS, READERS } from '../../src/domain/features.js';
import { getMetadataStorage } from 'type-graphql';
import { FEATURE_OF_RESOLVER, getSchema } from '../../src/graphql/schema.js';
import { ROUTES } from '../../src/server/http-errors.js';
import { createServer } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import { createTestDatabase } from '../support/database.js';
import { TEST_SITE } from '../support/app.js';

describe('the schema against the declarations', () => {
  test('every Query and Mutation field is declared by exactly one feature, as the right kind', async () => {
    const schema = await getSchema();
    const served = [
      ...Object.keys(schema.getQueryType()!.getFields()).map((name) => `query ${name}`),
      ...Object.keys(schema.getMutationType()!.getFields()).map((name) => `mutation ${name}`),
    ].sort();
    const declared = [...OPERATIONS].map(([name, { kind }]) => `${kind} ${name}`).sort();
    expect(
      served.filter((op) => !declared.includes(op)),
      'served but declared by no feature',
    ).toEqual([]);
    expect(
      declared.filter((op) => !served.includes(op)),
      'declared but not served',
    ).toEqual([]);
    const all = FEATURES.flatMap((f) => [...('queries' in f ? f.queries : []), ...('mutations' in f ? f.mutations : [])]);
    expect(
      all.filter((name, i) => all.indexOf(name) !== i),
      'declared twice',
    ).toEqual([]);
  });

  test("each operation is resolved in its feature's GraphQL folder (its resolver class is listed under that feature)", async () => {
    await getSchema();
    const storage = getMetadataStorage();
    const misplaced = [...storage.queries, ...storage.mutations]
      .filter((op) => FEATURE_OF_RESOLVER.has(op.target))
      .map((op) => ({ field: op.schemaName, declaredBy: OPERATIONS.get(op.schemaName)?.feature, resolvedIn: FEATURE_OF_RESOLVER.get(op.target) }))
      .filter(({ declaredBy, resolvedIn }) => declaredBy !== resolvedIn);
    expect(misplaced).toEqual([]);
  });

  test('every Node type is declared, with its readers', async () => {
    const schema = await getSchema();
    const nodes = Object.values(schema.getTypeMap())
      .filter((type) => isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node'))
      .map((type) => type.name)
      .sort();
    expect([...NODE_TYPES].sort()).toEqual(nodes);
    for (const type of NODE_TYPES) expect(READERS[type]?.length, `${type} has no readers`).toBeGreaterThan(0);
  });

  test('partner reads are queries of the feature that declares them', () => {
    for (const feature of FEATURES) {
      for (const field of 'partnerReads' in feature ? feature.partnerReads : []) {
        expect(OPERATIONS.get(field), field).toEqual({ feature: feature.name, kind: 'query' });
      }
    }
    expect(PARTNER_READ_FIELDS.size).toBeGreaterThan(0);
  });
});

/** The routes an Express app serves, through routers, as [method, path or regexp]. */
function servedRoutes(app: Express): { method: string; path: string | RegExp }[] {
  type Layer = { route?: { path: string | RegExp; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const walk = (stack: Layer[]): { method: string; path: string | RegExp }[] =>
    stack.flatMap((layer) => {
      if (layer.route) return Object.keys(layer.route.methods).map((method) => ({ method: method.toUpperCase(), path: layer.route!.path }));
      return layer.handle?.stack ? walk(layer.handle.stack) : [];
    });
  return walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
}

/** A concrete path an Express route path answers: parameters filled in, a regexp's literal read back. */
const sample = (path: string | RegExp) =>
  typeof path === 'string'
    ? path.replace(/:(\w+)/g, (_, name: string) => (name === 'table' ? 'claims' : 'sample'))
    : path.source.replace(/^\^|\$$/g, '').replace(/\\(.)/g, '$1');

test('every HTTP route the app serves is declared, and every declared route is served', async () => {
  const database = await createTestDatabase();
  const server = await createServer({ ...TEST_SITE } as never, database, createLogger('silent'));
  try {
    const served = servedRoutes(server.app);
    expect(served.length).toBeGreaterThan(5);
    const undeclared = served.filter(({ method, path }) => !ROUTES.some((r) => r.path.test(sample(path)) && r.methods.includes(method)));
    expect(undeclared, 'give each route a declaration in its feature (routes), or in SERVICE_ROUTES').toEqual([]);
    const unserved = ROUTES.filter((r) => !served.some(({ path }) => r.path.test(sample(path))));
    expect(
      unserved.map((r) => r.pattern),
      'declared but served by nothing',
    ).toEqual([]);
  } finally {
    await server.stop();
    await database.drop();
  }
});
