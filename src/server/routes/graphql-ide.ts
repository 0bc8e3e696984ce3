/**
 * GraphiQL at GET /graphql for a browser, in development only, with every asset served from
 * node_modules by this server (no CDN: it works offline and behind a firewall). graphiql 3 ships a
 * self-contained UMD build (its fonts are inlined in the CSS) that needs only React 18's UMD files.
 *
 * The page runs under its own Content-Security-Policy (`POLICIES.ide`, src/server/install/security-headers.ts):
 * scripts only from these files, no eval; inline <style> elements only with the response's nonce,
 * which the page's own style carries and GraphiQL's dialogs put on the style they add (through the
 * `__webpack_nonce__` global its bundle reads, set by the start script).
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type express from 'express';
import { CSP_NONCE, idePolicy } from '../install/security-headers.js';
import { IDE_DEFAULT_HEADERS, IDE_EXAMPLE_OPERATIONS } from './graphql-ide-examples.js';

export const IDE_ASSET_PATH = '/graphql-ide';

const packageDir = (name: string) => dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));

/** The only files served under IDE_ASSET_PATH: an allow-list, so no path reaches the file system. */
const ASSETS: Record<string, string> = {
  'react.production.min.js': join(packageDir('react'), 'umd/react.production.min.js'),
  'react-dom.production.min.js': join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
  'graphiql.min.js': join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.min.css': join(packageDir('graphiql'), 'graphiql.min.css'),
};

/** Mounts GraphiQL with the settings the page carries; a file rather than inline, so a strict CSP can allow it. */
const START_SCRIPT = `(function () {
  var settings = JSON.parse(document.getElementById('graphiql-settings').textContent);
  // GraphiQL's dialogs add a <style> (react-remove-scroll-bar), with this nonce when it is set.
  window.__webpack_nonce__ = settings.styleNonce;
  var fetcher = GraphiQL.createFetcher({ url: settings.url });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: settings.tabs,
      defaultHeaders: settings.tabs[0].headers,
      defaultEditorToolsVisibility: 'headers',
      // A pasted token stays in this page only, not in localStorage.
      shouldPersistHeaders: false,
    }),
  );
})();
`;

/** A browser's navigation to /graphql (it prefers HTML and sends no operation); every other GET stays GraphQL over HTTP. */
function wantsIde(req: express.Request): boolean {
  return (
    req.method === 'GET' && req.query.query === undefined && req.accepts(['application/graphql-response+json', 'application/json', 'text/html']) === 'text/html'
  );
}

const TABS = IDE_EXAMPLE_OPERATIONS.map((query) => ({ query, headers: IDE_DEFAULT_HEADERS }));
/** The settings the start script reads, as JSON that cannot end its <script> element: every "<" escaped. */
const settings = (styleNonce: string) => JSON.stringify({ url: '/graphql', tabs: TABS, styleNonce }).replace(/</g, '\\u003c');

/** The page of one response: `nonce` is base64, safe in an attribute as it is. */
function page(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Factcheck API · GraphiQL (development)</title>
<link rel="stylesheet" href="${IDE_ASSET_PATH}/graphiql.min.css">
<style nonce="${nonce}">html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script id="graphiql-settings" type="application/json">${settings(nonce)}</script>
<script src="${IDE_ASSET_PATH}/react.production.min.js"></script>
<script src="${IDE_ASSET_PATH}/react-dom.production.min.js"></script>
<script src="${IDE_ASSET_PATH}/graphiql.min.js"></script>
<script src="${IDE_ASSET_PATH}/start.js"></script>
</body>
</html>
`;
}

/** Install before the GraphQL route. In production nothing is installed: /graphql answers only GraphQL over HTTP. */
export function installGraphQLIde(app: express.Express, { production }: { production: boolean }): void {
  if (production) return;
  app.get(`${IDE_ASSET_PATH}/:file`, (req, res, next) => {
    const name = req.params.file;
    if (name === 'start.js') return void res.type('js').setHeader('cache-control', 'no-store').send(START_SCRIPT);
    if (!Object.hasOwn(ASSETS, name)) return next();
    res.sendFile(ASSETS[name]!, { maxAge: '1h' });
  });
  app.get('/graphql', (req, res, next) => {
    if (!wantsIde(req)) return next();
    const nonce = randomBytes(16).toString('base64');
    res.locals[CSP_NONCE] = nonce;
    idePolicy(req, res, () => void res.type('html').setHeader('cache-control', 'no-store').send(page(nonce)));
  });
}
