/**
 * Cross-origin access for partners' browser apps, with the `cors` package. Only the origins in
 * CORS_ORIGINS get Access-Control-Allow-Origin (none by default); `*` lets every origin read, but
 * then without credentials, so a browser never sends cookies or HTTP auth to us on another site's
 * behalf. Authentication is the bearer token, which a page must hold itself.
 */
import cors from 'cors';
import type express from 'express';

/** Request headers a partner's page may send; idempotency-key and the Apollo preflight headers included. */
export const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-request-id'];
/** How long a browser may reuse a preflight answer: short, so a changed list takes effect soon. */
export const CORS_MAX_AGE_SECONDS = 600;

export function installCors(app: express.Express, origins: readonly string[] = []): void {
  // No origin listed: nothing to add. A preflight then meets the method guard (405), as any OPTIONS does.
  if (origins.length === 0) return;
  const wildcard = origins.includes('*');
  const listed = new Set(origins);
  const handler = cors({
    // An array makes `cors` echo a listed Origin and add Vary: Origin.
    origin: wildcard ? '*' : [...origins],
    credentials: !wildcard,
    methods: ['GET', 'POST'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: ['x-request-id', 'retry-after', 'ratelimit', 'ratelimit-policy'],
    maxAge: CORS_MAX_AGE_SECONDS,
    optionsSuccessStatus: 204,
  });
  app.use((req, res, next) => {
    const origin = req.headers.origin;
    // Only a listed origin (or any, under *) gets CORS headers or a preflight answer; any other
    // request goes on as if there were no CORS, so an unlisted origin is never told anything.
    if (origin && (wildcard || listed.has(origin))) return handler(req, res, next);
    res.vary('Origin');
    next();
  });
}
