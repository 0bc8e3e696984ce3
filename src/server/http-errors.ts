/**
 * JSON errors on every route, in the route's own envelope (never Express's HTML page):
 *
 * - `/graphql`: GraphQL's `{ errors: [{ message, extensions: { code } }] }`;
 * - `/v1alpha1/…`: Google's `{ error: { code, message, status } }`, `code` the HTTP status;
 * - everything else: `{ error: { code, message } }`, `code` a string such as NOT_FOUND.
 *
 * The fact-check page (`GET /fact-checks/:id`) is for browsers: its errors are an HTML page when
 * the client's Accept prefers text/html to JSON, the plain JSON envelope otherwise.
 */
import type { Express, NextFunction, Request, Response } from 'express';
import { FEATURE_ROUTES } from '../domain/features.js';
import { READ_METHODS, type Envelope, type RouteDeclaration } from '../domain/feature.js';
import { notFoundPage } from './routes/fact-check-page.js';
import type { Logger } from './logger.js';
import { noteCode } from './operation-report.js';

export type { Envelope };

/** The server's own routes; the features declare theirs (src/domain/<feature>/<feature>.feature.ts). */
const SERVICE_ROUTES: readonly RouteDeclaration[] = [
  // Apollo answers other methods itself, but only after its CSRF check (a 400 for a bare PUT).
  { path: /^\/graphql$/, pattern: '/graphql', methods: ['GET', 'POST'], envelope: 'graphql' },
  { path: /^\/healthz$/, pattern: '/healthz', methods: READ_METHODS, envelope: 'plain' },
  { path: /^\/readyz$/, pattern: '/readyz', methods: READ_METHODS, envelope: 'plain' },
  { path: /^\/metrics$/, pattern: '/metrics', methods: READ_METHODS, envelope: 'plain' },
  // An online copy of the embedded database, for `npm run db:backup` (admins; src/server/routes/backup.ts).
  { path: /^\/admin\/backup$/, pattern: '/admin/backup', methods: READ_METHODS, envelope: 'plain' },
  // The development IDE's scripts and styles (not in production; the IDE page itself is GET /graphql).
  { path: /^\/graphql-ide\/[^/]+$/, pattern: '/graphql-ide/:file', methods: READ_METHODS, envelope: 'plain' },
];

/** The plain-HTTP routes and the methods they answer (Express answers HEAD with the GET handler). */
export const ROUTES: readonly RouteDeclaration[] = [...SERVICE_ROUTES, ...FEATURE_ROUTES];

/** The envelope of any path, a route or not. */
export function envelopeOf(path: string): Envelope {
  if (path === '/graphql' || path.startsWith('/graphql/')) return 'graphql';
  if (path === '/v1alpha1' || path.startsWith('/v1alpha1/')) return 'google';
  return ROUTES.find((r) => r.path.test(path))?.envelope ?? 'plain';
}

/** Google's google.rpc.Code names for the HTTP statuses we answer with. */
const GOOGLE_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'UNIMPLEMENTED',
  413: 'INVALID_ARGUMENT',
  415: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** Our codes (as GraphQL's extensions.code) for the HTTP statuses. */
const PLAIN_CODE: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'UNAVAILABLE',
};

/** Our code for an HTTP error status (as sendError answers it). */
export const codeOfStatus = (httpStatus: number) => PLAIN_CODE[httpStatus] ?? (httpStatus >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST');

export const googleStatusOf = (httpStatus: number) => GOOGLE_STATUS[httpStatus] ?? (httpStatus >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT');

/** Google's envelope: { error: { code, message, status } }. */
export function sendGoogleError(res: Response, httpStatus: number, message: string, status = googleStatusOf(httpStatus)) {
  res.status(httpStatus).json({ error: { code: httpStatus, message, status } });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** GraphQL's envelope: { errors: [{ message, extensions: { code } }] }, for a /graphql request answered before Apollo. */
export function sendGraphQLError(res: Response, httpStatus: number, message: string, code = codeOfStatus(httpStatus)) {
  // Never an operation (bad JSON, too large, a refused guess): its log line and metrics take this code.
  noteCode(res, code);
  res.status(httpStatus).json({ errors: [{ message, extensions: { code } }] });
}

/** Answers an error in the envelope of the request's route. */
export function sendError(req: Request, res: Response, httpStatus: number, message: string, code = codeOfStatus(httpStatus)) {
  const envelope = envelopeOf(req.path);
  if (envelope === 'graphql') return sendGraphQLError(res, httpStatus, message, code);
  noteCode(res, code);
  if (envelope === 'google') return sendGoogleError(res, httpStatus, message);
  if (envelope === 'page' && prefersHtml(req)) {
    const page =
      httpStatus === 404
        ? notFoundPage
        : `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error ${httpStatus}</title></head><body><h1>${escapeHtml(message)}</h1></body></html>\n`;
    return void res.status(httpStatus).type('html').send(page);
  }
  res.status(httpStatus).json({ error: { code, message } });
}

/** A browser: its Accept ranks text/html above JSON (`*\/*` alone is not a preference). */
export function prefersHtml(req: Request): boolean {
  if (!req.headers.accept) return false;
  return req.accepts(['application/json', 'text/html']) === 'text/html' && !/^\s*\*\/\*\s*$/.test(req.headers.accept);
}

/**
 * Before the routes: a known path asked with a method it does not answer gets 405 and `Allow`.
 * (Also OPTIONS: there is no CORS here, and Express's automatic answer is a text/plain body.)
 */
export function installMethodGuard(app: Express) {
  app.use((req: Request, res: Response, next: NextFunction) => {
    const route = ROUTES.find((r) => r.path.test(req.path));
    if (!route || route.methods.includes(req.method)) return next();
    res.setHeader('allow', route.methods.join(', '));
    sendError(req, res, 405, `${req.method} is not allowed on ${req.path}; allowed: ${route.methods.join(', ')}`);
  });
}

/**
 * After the routes: unknown paths are 404, and every error a handler or body parser raised is
 * answered in the route's envelope. 4xx errors keep their status; anything else is a masked 500,
 * logged with the request id.
 */
export function installErrorHandlers(app: Express, logger: Logger, limits: { bodyLimit: string }) {
  app.use((req: Request, res: Response) => {
    sendError(req, res, 404, `No route for ${req.method} ${req.path}`);
  });
  app.use((error: Error & { status?: number; statusCode?: number; type?: string }, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const given = error.status ?? error.statusCode;
    const status = given && given >= 400 && given < 500 ? given : 500;
    if (status === 500) logger.error({ err: error, requestId: res.locals.requestId }, 'unexpected HTTP error');
    sendError(req, res, status, messageFor(status, error, limits.bodyLimit));
  });
}

function messageFor(status: number, error: Error & { type?: string }, bodyLimit: string): string {
  if (status === 413) return `Request body is larger than ${bodyLimit}`;
  if (status === 500) return 'Internal server error';
  if (error.type === 'entity.parse.failed') return 'The request body is not valid JSON';
  if (error instanceof URIError) return 'The path is not valid percent-encoding';
  if (status === 415) return 'Unsupported content type or encoding';
  return 'Malformed request';
}
