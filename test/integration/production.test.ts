/** NODE_ENV=production: no introspection, no field suggestions, unknown failures masked but logged with the request id. */
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { TestApp } from '../support/app.js';
import { createUser, startDeskApp, type Desk } from '../support/factories.js';

const logLines: string[] = [];
let app: TestApp;
let desk: Desk;
beforeAll(async () => {
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
  ({ app, desk } = await startDeskApp({ NODE_ENV: 'production' }, { logger }));
});
afterAll(() => app?.stop());

async function gql(query: string, token = desk.editor.token) {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
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
  expect(lines).toEqual([
    expect.objectContaining({ level: 30, req: { method: 'POST', path: '/graphql' }, res: { statusCode: 200 }, responseTime: expect.any(Number) }),
  ]);
  await fetch(`${app.url}/v1alpha1/claims:search?query=x&key=${desk.partner.token}`);
  expect(logLines.join('\n')).not.toContain(desk.partner.token);
  expect(logLines.join('\n')).not.toContain(desk.editor.token);
});

test('an unknown failure is masked in the response and logged with its request id', async () => {
  // A token no request has used yet, so not in the token cache: its lookup needs the database.
  const fresh = await createUser(app.database.db, 'EDITOR', 'Fresh Token');
  await app.database.close(); // every query now fails inside the driver
  const response = await gql('{ claims { totalCount } }'.replace('{ claims', '{ viewer { name } claims'), fresh.token);
  // Authentication itself needs the database: the request fails before any resolver runs.
  expect(response.status).toBeGreaterThanOrEqual(500);
  const body = JSON.parse(response.text);
  expect(body.errors.map((e: any) => e.extensions.code)).toEqual(['INTERNAL_SERVER_ERROR']);
  for (const leak of ['stack', 'select', 'pglite', 'postgres', '/work/', '.ts:', 'closed']) expect(response.text.toLowerCase()).not.toContain(leak);
  const logged = logLines.map((l) => JSON.parse(l)).filter((l) => l.requestId === response.requestId);
  expect(logged.length).toBeGreaterThan(0);
  expect(JSON.stringify(logged)).toMatch(/closed|CONNECTION_ENDED/i); // PGlite's and postgres.js's words for it
});
