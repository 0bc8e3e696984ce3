import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler, Response } from 'express';
import { createLoaders } from '../db/loaders.js';
import type { ClaimReviewSettings } from '../domain/fact-checks/schema-org-claim-review.js';
import type { AccessControl, AccessInvalidation, Authentication } from '../domain/access/access-control.js';
import type { WebhookPolicy } from '../domain/webhooks/endpoints.js';
import type { ImportSettings } from '../domain/external-imports/settings.js';
import type { FeedRuntime } from '../domain/external-sources/settings.js';
import type { UserRow } from '../db/schema.js';
import { requestDatabase, type RequestDatabases } from '../domain/request-database.js';
import type { Context } from '../graphql/core/resolver-context.js';
import { httpGraphQLError } from './graphql-errors.js';
import { sendGraphQLError } from './http-errors.js';
import { setAccessHeaders } from './rate-limit-headers.js';

/** The bearer token of a request: `Authorization: Bearer <token>`, or `?key=` where a route allows it. */
export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const header = headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : '';
}

export function requestIdOf(headers: IncomingHttpHeaders): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
}

/**
 * Who a request's token stands for, for every entry point (GraphQL, the REST search), with the
 * token's budget in the response headers (src/domain/access/access-control.ts has the rules).
 * Once per request: a second call (the Apollo context after authenticateEarly) gets the first's answer.
 */
export function authenticateRequest(access: AccessControl, token: string | null, address: string, res: Response): Promise<Authentication> {
  const done = res.locals.authentication as Promise<Authentication> | undefined;
  if (done) return done;
  const auth = access.authenticate(token, address).then((auth) => {
    setAccessHeaders(res, auth);
    return auth;
  });
  res.locals.authentication = auth;
  return auth;
}

/**
 * Before /graphql reads the request's body: authenticates it, and answers a 429 at once (a failure
 * from an address over its failure budget, a token over its request budget), so that a flood of
 * guesses costs neither JSON parsing nor GraphQL. Anything else goes on; the Apollo context (or
 * the Idempotency-Key handler) reads the same authentication, and answers its refusals as before,
 * a failure to authenticate (the database out of reach) included.
 */
export function authenticateEarly(access: AccessControl): RequestHandler {
  return async (req, res, next) => {
    let auth: Authentication;
    try {
      auth = await authenticateRequest(access, bearerToken(req.headers), req.ip ?? 'unknown', res);
    } catch {
      return next();
    }
    if ('refusal' in auth && auth.refusal === 'TOO_MANY_REQUESTS') return sendGraphQLError(res, 429, auth.message);
    next();
  };
}

/** authenticateRequest for GraphQL: a refusal is the whole request's error, with its HTTP status. */
export async function viewerFor(access: AccessControl, token: string | null, address: string, res: Response): Promise<UserRow | null> {
  const auth = await authenticateRequest(access, token, address, res);
  if ('refusal' in auth) throw refusalError(auth);
  return auth.viewer;
}

/** A refusal as the whole GraphQL request's error; a 429 says when to retry (Retry-After, also on the response). */
export function refusalError(refusal: Extract<Authentication, { refusal: string }>) {
  const headers: Record<string, string> =
    refusal.retryAfterMs !== undefined ? { 'retry-after': String(Math.max(1, Math.ceil(refusal.retryAfterMs / 1000))) } : {};
  return httpGraphQLError(refusal.refusal, refusal.message, headers);
}

/**
 * An AbortSignal that aborts once the client goes away: the response closed before it was sent whole
 * (the connection reset or closed). Node emits `close` on every response, sent or not; only an
 * unfinished one aborts.
 */
export function clientGone(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the client closed the connection before the response was sent'));
  });
  return controller.signal;
}

/**
 * Per request: its database (the primary, or the keyed request's transaction, until read-routing.ts
 * knows the operation), the viewer and their loaders, and what the domain needs of the process.
 */
export function buildContext(
  databases: RequestDatabases,
  viewer: UserRow | null,
  site: ClaimReviewSettings,
  requestId: string,
  process: { webhooks: WebhookPolicy; access: AccessInvalidation; imports: ImportSettings; feeds: FeedRuntime },
  /** clientGone(res) of the request. */
  signal: AbortSignal,
): Context {
  const db = requestDatabase(databases, viewer, 'read-write');
  const loaders = createLoaders(db);
  // The viewer's own row is known: their name on what they just did (addedBy, assignedBy…) costs no read.
  if (viewer) loaders.user.prime(viewer.id, viewer);
  return {
    db,
    viewer: viewer && { id: viewer.id, name: viewer.name, role: viewer.role },
    loaders,
    site,
    requestId,
    webhooks: process.webhooks,
    imports: process.imports,
    feeds: process.feeds,
    access: process.access,
    signal,
    databases,
  };
}
