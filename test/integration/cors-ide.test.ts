/** CORS_ORIGINS and the development IDE, through the real HTTP server. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

const PARTNER = 'https://partner.example';
const apps: TestApp[] = [];
afterAll(async () => {
  for (const app of apps) await app.stop();
});
async function app(config: Record<string, unknown>) {
  const started = await startTestApp(config as never);
  apps.push(started);
  return started;
}
const preflight = (url: string, origin: string) =>
  fetch(`${url}/graphql`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'apollo-require-preflight,authorization' },
  });
const crossGet = (url: string, origin: string) => fetch(`${url}/graphql?query=%7B__typename%7D`, { headers: { origin, 'apollo-require-preflight': 'true' } });

describe('CORS', () => {
  let listed: TestApp;
  beforeAll(async () => {
    listed = await app({ CORS_ORIGINS: [PARTNER] });
  });

  test('a listed origin: preflight with our headers and Max-Age, then the GET form with apollo-require-preflight', async () => {
    const answer = await preflight(listed.url, PARTNER);
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe(PARTNER);
    expect(answer.headers.get('vary')).toContain('Origin');
    expect(answer.headers.get('access-control-allow-methods')).toBe('GET,POST');
    for (const header of ['authorization', 'content-type', 'idempotency-key', 'apollo-require-preflight', 'x-apollo-operation-name'])
      expect(answer.headers.get('access-control-allow-headers')!.split(',')).toContain(header);
    expect(answer.headers.get('access-control-max-age')).toBe('600');
    const get = await crossGet(listed.url, PARTNER);
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBe(PARTNER);
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
  });

  test('another origin gets no Allow-Origin, on the preflight and on the request', async () => {
    expect((await preflight(listed.url, 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    expect((await crossGet(listed.url, 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  test('* allows every origin, never with credentials', async () => {
    const wildcard = await app({ CORS_ORIGINS: ['*'] });
    const answer = await preflight(wildcard.url, 'https://anyone.example');
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    expect((await crossGet(wildcard.url, 'https://anyone.example')).headers.get('access-control-allow-credentials')).toBeNull();
  });

  test('by default no origin is allowed', async () => {
    const closed = await app({});
    expect((await preflight(closed.url, PARTNER)).headers.get('access-control-allow-origin')).toBeNull();
    expect((await crossGet(closed.url, PARTNER)).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the GraphQL IDE', () => {
  const html = (url: string) => fetch(`${url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });

  test('development: a browser gets GraphiQL whose scripts and styles all come from this host', async () => {
    const dev = await app({ NODE_ENV: 'development' });
    const page = await html(dev.url);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('id="graphiql"');
    const assets = [...body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBe(5);
    for (const asset of assets) {
      expect(asset.startsWith('/graphql-ide/')).toBe(true);
      const served = await fetch(`${dev.url}${asset}`);
      expect(served.status).toBe(200);
      expect((await served.arrayBuffer()).byteLength).toBeGreaterThan(400);
    }
    expect(body).toContain('{ viewer { name role } }');
  });

  test('production: no IDE, the browser gets the GraphQL-over-HTTP answer and no assets', async () => {
    const production = await app({ NODE_ENV: 'production' });
    const page = await html(production.url);
    expect(page.headers.get('content-type')).not.toContain('text/html');
    expect(await page.text()).not.toContain('graphiql');
    expect((await fetch(`${production.url}/graphql-ide/graphiql.min.js`)).status).toBe(404);
  });
});
