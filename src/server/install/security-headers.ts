/**
 * Security headers on every response, with helmet: the strict defaults everywhere
 * (X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer, X-Frame-Options: DENY,
 * Cross-Origin-Opener-Policy and Cross-Origin-Resource-Policy: same-origin, …) and a
 * Content-Security-Policy by what the response is (POLICIES):
 *
 * - `api`: everything that is not a page (GraphQL, JSON, JSON-LD, CSV, metrics, the IDE's files):
 *   nothing is rendered, so nothing is allowed;
 * - `page`: the public HTML pages, i.e. the routes declared with envelope 'page' (their answers and
 *   their HTML errors): no script at all (the JSON-LD block is data, which a policy does not block)
 *   and nothing fetched. A page that needs a style or an image adds exactly that here (a <style>'s
 *   hash: `inlineHash(text)`, computed at start);
 * - `ide`: the development IDE's page (GET /graphql from a browser), which sets it itself
 *   (src/server/routes/graphql-ide.ts): what GraphiQL needs and nothing more.
 *
 * No Strict-Transport-Security: this server cannot tell whether it is reached over HTTPS, so the
 * TLS terminator in front of it sends HSTS (docs/security.md).
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type express from 'express';
import helmet from 'helmet';
import { ROUTES } from '../http-errors.js';

type Source = string | ((req: unknown, res: ServerResponse) => string);
type Directives = Record<string, Source[]>;

/** Where a page that uses a nonce puts it for its policy: `res.locals[CSP_NONCE]` (base64, fresh per response). */
export const CSP_NONCE = 'cspNonce';

/** A CSP source for one inline element's exact text (for a page's <style>). */
export const inlineHash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** What no response of ours allows: being framed, a <base> that rewrites its links, a form that posts anywhere. */
const LOCKED: Directives = { 'base-uri': ["'none'"], 'form-action': ["'none'"], 'frame-ancestors': ["'none'"] };

export const POLICIES = {
  api: { 'default-src': ["'none'"], ...LOCKED },
  page: { 'default-src': ["'none'"], ...LOCKED },
  ide: {
    'default-src': ["'none'"],
    // React, ReactDOM, GraphiQL and the start script: files under /graphql-ide/; no inline script, no eval.
    'script-src': ["'self'"],
    // graphiql.min.css, and the inline <style> elements that carry the response's nonce: the page's
    // own and the one GraphiQL's dialogs add (react-remove-scroll-bar; its content varies, so no hash).
    'style-src': ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals[CSP_NONCE]}'`],
    // GraphiQL's CSS carries its fonts and icons as data: URLs.
    'font-src': ['data:'],
    'img-src': ['data:'],
    // Operations and the schema's introspection go to this server's /graphql.
    'connect-src': ["'self'"],
    ...LOCKED,
  },
} satisfies Record<string, Directives>;

const policy = (directives: Directives) => helmet.contentSecurityPolicy({ useDefaults: false, directives });

/** The IDE's policy in place of the default (its page shares /graphql with GraphQL); needs `res.locals[CSP_NONCE]`. */
export const idePolicy = policy(POLICIES.ide);

/** The public pages' paths: the declared routes whose answers (and errors) are HTML for browsers. */
const PAGE_PATHS = ROUTES.filter((route) => route.envelope === 'page').map((route) => route.path);

/** Install first (after the request id): every answer carries the headers, 404s, 405s and errors included. */
export function installSecurityHeaders(app: express.Express): void {
  app.use(
    helmet({
      contentSecurityPolicy: false, // by route, below
      strictTransportSecurity: false,
      referrerPolicy: { policy: 'no-referrer' },
      xFrameOptions: { action: 'deny' },
    }),
  );
  const api = policy(POLICIES.api);
  const page = policy(POLICIES.page);
  app.use((req, res, next) => (PAGE_PATHS.some((path) => path.test(req.path)) ? page : api)(req, res, next));
}
