/** NODE_ENV=production: no introspection, no field suggestions, unknown failures masked but logged with the request id. */
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createServer } from '../../src/server/app.js';
import { TEST_SITE } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createDesk, type Desk } from '../support/factories.js';

const logLines: string[] = [];
let database: TestDatabase;
let desk: Desk;
let url: string;
let stop: () => Promise<void>;

beforeAll(async () => {
  database = await createTestDatabase();
  desk = await createDesk(database.db);
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
  const server = await createServer({ ...TEST_SITE, NODE_ENV: 'production' }, database, logger);
  const running = await server.listen(0, '127.0.0.1');
  url = running.url;
  stop = running.stop;
});
afterAll(async () => {
  await stop?.();
  await database?.drop();
});

async function gql(query: string, token = desk.editor.token) {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
  return { status: response.status, requestId: response.headers.get('x-request-id'), text: await response.text() };
}

test('introspection is off and typos get no field suggestions', async () => {
  const introspection = await gql('{ __schema { types { name } } }');
  expect(introspection.text).toMatch(/introspection/i);
  expect(introspection.text).not.toContain('"types"');
  const typo = await gql('{ claimz { totalCount } }');
  expect(typo.text).toContain('GRAPHQL_VALIDATION_FAILED');
  expect(typo.text).not.toMatch(/did you mean/i);
});

test('every request is logged once, as JSON, with its request id and without tokens', async () => {
  const response = await gql('{ viewer { name } }');
  await new Promise((resolve) => setTimeout(resolve, 50)); // the line is written when the response has finished
  const lines = logLines.map((l) => JSON.parse(l)).filter((l) => l.requestId === response.requestId);
  expect(lines).toEqual([expect.objectContaining({ level: 30, req: { method: 'POST', path: '/graphql' }, res: { statusCode: 200 }, responseTime: expect.any(Number) })]);
  await fetch(`${url}/v1alpha1/claims:search?query=x&key=${desk.partner.token}`);
  expect(logLines.join('\n')).not.toContain(desk.partner.token);
  expect(logLines.join('\n')).not.toContain(desk.editor.token);
});

test('an unknown failure is masked in the response and logged with its request id', async () => {
  await database.close(); // every query now fails inside the driver
  const response = await gql('{ claims { totalCount } }'.replace('{ claims', '{ viewer { name } claims'), desk.editor.token);
  // Authentication itself needs the database: the request fails before any resolver runs.
  expect(response.status).toBeGreaterThanOrEqual(500);
  const body = JSON.parse(response.text);
  expect(body.errors.map((e: any) => e.extensions.code)).toEqual(['INTERNAL_SERVER_ERROR']);
  for (const leak of ['stack', 'select', 'pglite', 'postgres', '/work/', '.ts:', 'closed']) expect(response.text.toLowerCase()).not.toContain(leak);
  const logged = logLines.map((l) => JSON.parse(l)).filter((l) => l.requestId === response.requestId);
  expect(logged.length).toBeGreaterThan(0);
  expect(JSON.stringify(logged)).toMatch(/closed|CONNECTION_ENDED/i); // PGlite's and postgres.js's words for it
});
