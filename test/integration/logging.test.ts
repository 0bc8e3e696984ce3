/**
 * The request log: a /graphql line names the operation, its type and the error codes; an answer
 * with errors is not a plain 200 line (warn, error for a masked failure); nothing secret is written
 * (bearer tokens, issued tokens, webhook secrets, the Authorization header, ?key=, METRICS_TOKEN).
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDesk, type Desk } from '../support/factories.js';
import { startLoggedTestApp, type LoggedTestApp } from '../support/logged-app.js';
import { W } from '../support/webhooks.js';

const METRICS_TOKEN = 'metrics-token-never-logged-1234';
let app: LoggedTestApp;
let desk: Desk;

beforeAll(async () => {
  app = await startLoggedTestApp({ level: 'info', config: { METRICS_TOKEN } });
  desk = await createDesk(app.database.db);
});
afterAll(async () => {
  await app?.stop();
});

/** The request lines (those with `res`) a server logged for a request id. */
const requestLines = (server: LoggedTestApp, requestId: string) => server.lines().filter((l) => l.entry.requestId === requestId && l.entry.res);

/** The one request line logged for a request id. */
function requestLine(requestId: string) {
  const lines = requestLines(app, requestId);
  expect(lines).toHaveLength(1);
  return lines[0]!.entry;
}

/** The request line of a request id, once written (a line is written when its response has ended). */
async function waitForLine(requestId: string) {
  await expect.poll(() => requestLines(app, requestId).length).toBe(1);
  return requestLine(requestId);
}

describe('request lines', () => {
  test('a query that succeeds: info, with its name and type and no codes', async () => {
    const response = await app.post({ query: 'query WhoAmI { viewer { name role } }' }, { token: desk.editor.token, requestId: 'log-ok' });
    expect(response.status).toBe(200);
    const line = requestLine('log-ok');
    expect(line.level).toBe(30);
    expect(line.msg).toBe('request completed');
    expect(line.res.statusCode).toBe(200);
    expect(line.graphql).toEqual({ operationName: 'WhoAmI', operationType: 'query', errorCodes: [] });
  });

  test('a FORBIDDEN answer (HTTP 200) is a warn line naming the code, not a plain 200', async () => {
    const response = await app.post({ query: 'query Stats { deskStatistics { claimsCreated } }' }, { token: desk.partner.token, requestId: 'log-forbidden' });
    expect(response.status).toBe(200);
    expect(response.json?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const line = requestLine('log-forbidden');
    expect(line.level).toBe(40);
    expect(line.msg).toBe('GraphQL query Stats answered with FORBIDDEN');
    expect(line.graphql).toEqual({ operationName: 'Stats', operationType: 'query', errorCodes: ['FORBIDDEN'] });
  });

  test('an anonymous mutation with bad input, a validation failure and a refused token carry what is known', async () => {
    await app.post(
      { query: 'mutation { createUser(input: { name: "", email: "not-an-email", role: EDITOR }) { user { id } } }' },
      { token: desk.admin.token, requestId: 'log-input' },
    );
    const input = requestLine('log-input');
    expect(input.level).toBe(40);
    expect(input.graphql).toEqual({ operationName: null, operationType: 'mutation', errorCodes: ['BAD_USER_INPUT'] });

    await app.post({ query: 'query Typo { viewer { nmae } }' }, { token: desk.editor.token, requestId: 'log-invalid' });
    const invalid = requestLine('log-invalid');
    expect(invalid.level).toBe(40);
    expect(invalid.graphql).toEqual({ operationName: null, operationType: null, errorCodes: ['GRAPHQL_VALIDATION_FAILED'] });

    const refused = await app.post({ query: 'query WhoAmI { viewer { name } }' }, { token: 'no-such-token-at-all', requestId: 'log-refused' });
    expect(refused.status).toBe(401);
    const line = requestLine('log-refused');
    expect(line.level).toBe(40);
    expect(line.graphql.errorCodes).toEqual(['UNAUTHENTICATED']);
  });

  test('probes and scrapes write no line; every other route does, once', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/no-such-route']) {
      const headers: Record<string, string> = { 'x-request-id': `log-probe${path.replaceAll('/', '-')}` };
      if (path === '/metrics') headers.authorization = `Bearer ${METRICS_TOKEN}`;
      await (await fetch(`${app.url}${path}`, { headers })).text();
    }
    await waitForLine('log-probe-no-such-route');
    for (const path of ['healthz', 'readyz', 'metrics']) expect(app.lines().filter((l) => l.entry.requestId === `log-probe-${path}`)).toEqual([]);
    const notFound = requestLine('log-probe-no-such-route');
    expect(notFound.level).toBe(40);
    expect(notFound.res.statusCode).toBe(404);
    expect(notFound.graphql).toBeUndefined();
  });

  test('a client that goes before its answer: a warn line, "request aborted"', async () => {
    // Half a body, then the socket closes: the server is still reading when the client goes.
    const request = http.request(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '1000', 'x-request-id': 'log-aborted' },
    });
    request.on('error', () => {}); // the socket we destroy
    request.write('{"query": "{ viewer');
    await new Promise((resolve) => setTimeout(resolve, 100));
    request.destroy();
    const line = await waitForLine('log-aborted');
    expect(line.msg).toBe('request aborted');
    expect(line.level).toBe(40);
    expect(line.req).toEqual({ method: 'POST', path: '/graphql' });
  });
});

describe('at level warn', () => {
  let quiet: LoggedTestApp;
  let quietDesk: Desk;
  beforeAll(async () => {
    quiet = await startLoggedTestApp({ level: 'warn' });
    quietDesk = await createDesk(quiet.database.db);
  });
  afterAll(async () => {
    await quiet?.stop();
  });

  test('a plain 200 writes nothing; an answer with an error code still writes its line', async () => {
    await quiet.post({ query: 'query WhoAmI { viewer { name } }' }, { token: quietDesk.editor.token, requestId: 'quiet-ok' });
    await quiet.post({ query: 'query Typo { viewer { nmae } }' }, { token: quietDesk.editor.token, requestId: 'quiet-invalid' });
    await expect.poll(() => requestLines(quiet, 'quiet-invalid').length).toBe(1);
    const [invalid] = requestLines(quiet, 'quiet-invalid');
    expect(invalid!.entry.level).toBe(40);
    expect(invalid!.entry.graphql.errorCodes).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(requestLines(quiet, 'quiet-ok')).toEqual([]);
  });
});

test('nothing secret reaches the log', async () => {
  const secrets: string[] = [desk.admin.token, desk.editor.token, desk.partner.token, METRICS_TOKEN, 'no-such-token-at-all'];
  // A token issued, and a webhook endpoint's signing secret: both are in their responses only.
  const issued = await app.post(
    {
      query: 'mutation Issue($i: IssueApiTokenInput!) { issueApiToken(input: $i) { token } }',
      variables: { i: { userId: desk.partner.globalId, label: 'log test' } },
    },
    { token: desk.admin.token, requestId: 'log-issue' },
  );
  const token = issued.json?.data?.issueApiToken.token as string;
  expect(token).toMatch(/\S{20,}/);
  const created = await app.post(
    { query: W.create, variables: { i: { url: 'https://hooks.example/log-test', events: ['FACT_CHECK_PUBLISHED'] } } },
    { token: desk.editor.token, requestId: 'log-hook' },
  );
  const secret = created.json?.data?.createWebhookEndpoint.secret as string;
  expect(secret).toMatch(/^whsec_/);
  secrets.push(token, secret, secret.slice('whsec_'.length));
  // The Google-compatible search takes the token as ?key=; the metrics scrape its own bearer token.
  expect((await fetch(`${app.url}/v1alpha1/claims:search?query=aid&key=${encodeURIComponent(token)}`, { headers: { 'x-request-id': 'log-key' } })).status).toBe(
    200,
  );
  expect((await fetch(`${app.url}/v1alpha1/claims:search?query=aid&key=wrong-${METRICS_TOKEN}`, { headers: { 'x-request-id': 'log-badkey' } })).status).toBe(
    401,
  );
  expect((await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(200);
  expect((await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer wrong-${METRICS_TOKEN}` } })).status).toBe(401);

  const raw = app.lines().map((l) => l.raw);
  expect(raw.length).toBeGreaterThan(5);
  for (const value of secrets) expect(raw.filter((line) => line.includes(value))).toEqual([]);
  expect(raw.filter((line) => /authorization|bearer/i.test(line))).toEqual([]);
  // The request lines were written (so the check above looked at something): path only, no query string.
  expect(requestLine('log-key').req).toEqual({ method: 'GET', path: '/v1alpha1/claims:search' });
  expect(requestLine('log-hook').graphql.operationType).toBe('mutation');
});
