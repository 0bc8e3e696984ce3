/**
 * Security headers (src/server/install/security-headers.ts), through the real HTTP server: the strict
 * defaults on every answer (nosniff, no referrer, no framing), and the Content-Security-Policy by
 * what the answer is: `default-src 'none'` for JSON, JSON-LD and files; the public page's policy
 * (no script at all, while its JSON-LD block stays) on the fact-check page and its HTML errors; the
 * IDE's own (scripts from its files, styles with a fresh nonce) on the development IDE's page.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ok, startTestApp, type TestApp } from '../support/app.js';
import { createClaim, ingestArticle, startDeskApp, type Desk } from '../support/factories.js';
import { mutate } from '../support/workflow.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** On every answer, whatever it is. */
const STRICT = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const LOCKED = { 'base-uri': ["'none'"], 'form-action': ["'none'"], 'frame-ancestors': ["'none'"] };
/** JSON, JSON-LD, CSV, files: nothing may load, run or frame it. */
const API_POLICY = { 'default-src': ["'none'"], ...LOCKED };
/** The public pages: the same, and in particular no script-src, so no script runs (default-src 'none'). */
const PAGE_POLICY = { 'default-src': ["'none'"], ...LOCKED };

/** The policy's directives, each with its sources. */
function policyOf(response: Response): Record<string, string[]> {
  const header = response.headers.get('content-security-policy');
  expect(header, `${response.url}: no Content-Security-Policy`).toBeTruthy();
  return Object.fromEntries(
    header!
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

function expectStrict(response: Response) {
  for (const [name, value] of Object.entries(STRICT)) expect(response.headers.get(name), `${response.url}: ${name}`).toBe(value);
  expect(response.headers.get('x-powered-by')).toBeNull();
  // HSTS is the TLS terminator's (docs/security.md): this server cannot tell whether it is reached over HTTPS.
  expect(response.headers.get('strict-transport-security')).toBeNull();
}

let app: TestApp;
let desk: Desk;
let factCheckId: string;
let publishedClaimId: string;

beforeAll(async () => {
  // NODE_ENV=test: not production, so the IDE is served too.
  ({ app, desk } = await startDeskApp());
  const article = await ingestArticle(app, desk.editor.token, { url: 'https://news.example/ferry', publishedAt: '2024-06-24T20:00:00Z' });
  const claim = await createClaim(app, desk.editor.token, {
    articleId: article.id,
    quote: article.body.slice(0, 20),
    statement: 'The ferry carried 300 passengers.',
  });
  ok(await mutate(app, desk.editor.token, 'assign', { claimId: claim.id, reviewerIds: [desk.reviewer1.globalId] }));
  ok(await mutate(app, desk.reviewer1.token, 'verdict', { claimId: claim.id, rating: 'FALSE', confidence: 'HIGH', rationale: 'Reviewed.' }));
  const published = ok(await mutate(app, desk.editor.token, 'publish', { claimId: claim.id, rating: 'FALSE', summary: 'It carried 120.' })).publishFactCheck;
  factCheckId = published.factCheck.id;
  publishedClaimId = claim.id;
});
afterAll(() => app?.stop());

describe('the public fact-check page', () => {
  test('GET /fact-checks/:id: the page policy (no script at all), and the JSON-LD block is still in it', async () => {
    const response = await fetch(`${app.url}/fact-checks/${factCheckId}`, { headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expectStrict(response);
    const policy = policyOf(response);
    expect(policy).toEqual(PAGE_POLICY);
    // Nothing allows a script: no script-src (nor script-src-elem/-attr), and the fallback is 'none'.
    expect(Object.keys(policy).filter((name) => name.startsWith('script-src'))).toEqual([]);
    expect(policy['default-src']).toEqual(["'none'"]);
    expect(response.headers.get('content-security-policy')).not.toMatch(/unsafe-|nonce-|sha\d+-|\*|https?:/);

    const html = await response.text();
    const blocks = [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map((m) => JSON.parse(m[1]!));
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({ '@type': 'ClaimReview', claimReviewed: 'The ferry carried 300 passengers.' });
    // The only script element is that data block; no inline style, no style attribute, no image (none allowed).
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).not.toMatch(/<style\b|\sstyle=|<img\b|<link rel="stylesheet"/);
  });

  test('its HTML 404 and 405 for a browser get the page policy; its JSON answers the same', async () => {
    const missing = await fetch(`${app.url}/fact-checks/not-an-id`, { headers: { accept: BROWSER_ACCEPT } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await missing.text()).toContain('Fact check not found');
    expectStrict(missing);
    expect(policyOf(missing)).toEqual(PAGE_POLICY);

    const wrongMethod = await fetch(`${app.url}/fact-checks/${factCheckId}`, { method: 'DELETE', headers: { accept: BROWSER_ACCEPT } });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('content-type')).toMatch(/^text\/html/);
    expectStrict(wrongMethod);
    expect(policyOf(wrongMethod)).toEqual(PAGE_POLICY);

    const json = await fetch(`${app.url}/fact-checks/not-an-id`);
    expect(json.status).toBe(404);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expectStrict(json);
    expect(policyOf(json)).toEqual(PAGE_POLICY);
  });
});

describe('the public corrections log', () => {
  test('GET /corrections: the page policy, no script, no style; its 400 for a browser too; GET /corrections.atom: the strict default', async () => {
    // A correction, so that the page has an entry.
    const fix = { claimId: publishedClaimId, rating: 'MOSTLY_FALSE', summary: 'It carried 150.', correctionNote: 'Recounted.' };
    ok(await mutate(app, desk.editor.token, 'publish', fix));
    const page = await fetch(`${app.url}/corrections`, { headers: { accept: BROWSER_ACCEPT } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expectStrict(page);
    expect(policyOf(page)).toEqual(PAGE_POLICY);
    const html = await page.text();
    expect(html).toContain('Recounted.');
    expect(html).not.toMatch(/<script\b|<style\b|\sstyle=|<img\b|<link rel="stylesheet"/);

    const bad = await fetch(`${app.url}/corrections?after=nonsense`, { headers: { accept: BROWSER_ACCEPT } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^text\/html/);
    expectStrict(bad);
    expect(policyOf(bad)).toEqual(PAGE_POLICY);

    const feed = await fetch(`${app.url}/corrections.atom`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
    expectStrict(feed);
    expect(policyOf(feed)).toEqual(API_POLICY);
  });
});

describe('JSON and the other routes: the strict default', () => {
  test('GET /fact-checks/:id.jsonld', async () => {
    const response = await fetch(`${app.url}/fact-checks/${factCheckId}.jsonld`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/ld\+json/);
    expectStrict(response);
    expect(policyOf(response)).toEqual(API_POLICY);
  });

  test('POST /graphql, GET /graphql, and an error', async () => {
    const post = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${desk.partner.token}` },
      body: JSON.stringify({ query: `query($id: ID!) { factCheck(id: $id) { id } }`, variables: { id: factCheckId } }),
    });
    expect(post.status).toBe(200);
    expect(await post.json()).toEqual({ data: { factCheck: { id: factCheckId } } });
    expectStrict(post);
    expect(policyOf(post)).toEqual(API_POLICY);

    const get = await fetch(`${app.url}/graphql?query=%7B__typename%7D`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(200);
    expectStrict(get);
    expect(policyOf(get)).toEqual(API_POLICY);

    const malformed = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(malformed.status).toBe(400);
    expectStrict(malformed);
    expect(policyOf(malformed)).toEqual(API_POLICY);
  });

  test('GET /v1alpha1/claims:search, with a result and with an error', async () => {
    const found = await fetch(`${app.url}/v1alpha1/claims:search?query=ferry&key=${desk.partner.token}`);
    expect(found.status).toBe(200);
    expect(((await found.json()) as { claims: unknown[] }).claims).toHaveLength(1);
    expectStrict(found);
    expect(policyOf(found)).toEqual(API_POLICY);

    const refused = await fetch(`${app.url}/v1alpha1/claims:search?query=ferry`);
    expect(refused.status).toBe(401);
    expectStrict(refused);
    expect(policyOf(refused)).toEqual(API_POLICY);
  });

  test('/healthz, /readyz, /metrics, an unknown path (also asked by a browser), a CSV export', async () => {
    for (const [path, accept, status] of [
      ['/healthz', undefined, 200],
      ['/readyz', undefined, 200],
      ['/metrics', undefined, 200],
      ['/nope', BROWSER_ACCEPT, 404],
      ['/exports/fact-checks.csv', undefined, 401],
    ] as const) {
      const response = await fetch(`${app.url}${path}`, accept ? { headers: { accept } } : {});
      expect(response.status, path).toBe(status);
      expect(response.headers.get('content-type'), path).not.toMatch(/^text\/html/);
      expectStrict(response);
      expect(policyOf(response), path).toEqual(API_POLICY);
    }
  });
});

describe('the development IDE', () => {
  const ide = () => fetch(`${app.url}/graphql`, { headers: { accept: BROWSER_ACCEPT } });

  test('its page: scripts from its own files only, styles with a fresh nonce, requests to this server, nothing else', async () => {
    const response = await ide();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expectStrict(response);
    const policy = policyOf(response);
    const nonce = /^'nonce-([A-Za-z0-9+/]{22}==)'$/.exec(policy['style-src']?.[1] ?? '')?.[1];
    expect(nonce, response.headers.get('content-security-policy')!).toBeTruthy();
    expect(policy).toEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", `'nonce-${nonce}'`],
      'font-src': ['data:'],
      'img-src': ['data:'],
      'connect-src': ["'self'"],
      ...LOCKED,
    });
    expect(response.headers.get('content-security-policy')).not.toMatch(/unsafe-/);

    // The page's own inline style and the settings the start script hands GraphiQL carry the same nonce.
    const html = await response.text();
    expect(html).toContain(`<style nonce="${nonce}">`);
    const settings = JSON.parse(/<script id="graphiql-settings" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!);
    expect(settings.styleNonce).toBe(nonce);
    // No inline script: every <script> is the JSON data block or a file under /graphql-ide/.
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(5);
    for (const attributes of scripts) expect(attributes).toMatch(/type="application\/json"|src="\/graphql-ide\/[\w.-]+\.js"/);

    // A fresh nonce per response.
    const again = policyOf(await ide());
    expect(again['style-src']).not.toEqual(policy['style-src']);
  });

  test('its files: the strict default, served with their real types (nosniff)', async () => {
    for (const [file, type] of [
      ['graphiql.min.js', /^(text|application)\/javascript/],
      ['start.js', /^(text|application)\/javascript/],
      ['graphiql.min.css', /^text\/css/],
    ] as const) {
      const response = await fetch(`${app.url}/graphql-ide/${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type'), file).toMatch(type);
      expectStrict(response);
      expect(policyOf(response), file).toEqual(API_POLICY);
    }
  });

  test('in production there is no IDE: a browser at /graphql gets GraphQL over HTTP under the strict default', async () => {
    const production = await startTestApp({ NODE_ENV: 'production' });
    try {
      const response = await fetch(`${production.url}/graphql`, { headers: { accept: BROWSER_ACCEPT } });
      expect(response.headers.get('content-type')).not.toMatch(/^text\/html/);
      expectStrict(response);
      expect(policyOf(response)).toEqual(API_POLICY);
    } finally {
      await production.stop();
    }
  });
});
