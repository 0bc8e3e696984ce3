import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Database } from '../db/connection.js';
import { createLoaders } from '../db/loaders.js';
import type { ClaimReviewSettings } from '../domain/fact-checks/schema-org-claim-review.js';
import { authenticate } from '../domain/users.js';
import type { WebhookPolicy } from '../domain/webhooks/endpoints.js';
import type { UserRow } from '../db/schema.js';
import type { Context } from '../graphql/context.js';
import type { AuthLimiter } from './auth-limiter.js';
import { httpGraphQLError } from './errors.js';

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

export type RequestAuthentication =
  | { viewer: UserRow | null }
  | { refusal: 'UNAUTHENTICATED'; message: string }
  | { refusal: 'TOO_MANY_REQUESTS'; message: string; retryAfterSeconds: number };

/**
 * Who a request's token stands for, for every entry point (GraphQL, the REST search). A token that
 * is unknown or revoked is refused outright rather than served anonymously; an address that keeps
 * failing is refused before its tokens are even looked up.
 */
export async function authenticateRequest(db: Database, token: string | null, address: string, limiter: AuthLimiter): Promise<RequestAuthentication> {
  if (token === null) return { viewer: null };
  const waitMs = await limiter.retryAfterMs(address);
  if (waitMs !== null) {
    const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
    return { refusal: 'TOO_MANY_REQUESTS', message: `Too many failed authentications; retry in ${retryAfterSeconds} s`, retryAfterSeconds };
  }
  const viewer = token ? await authenticate(db, token) : null;
  if (viewer) return { viewer };
  await limiter.recordFailure(address);
  return { refusal: 'UNAUTHENTICATED', message: 'The bearer token is unknown or revoked' };
}

/** authenticateRequest for GraphQL: a refusal is the whole request's error, with its HTTP status. */
export async function viewerFor(db: Database, token: string | null, address: string, limiter: AuthLimiter): Promise<UserRow | null> {
  const result = await authenticateRequest(db, token, address, limiter);
  if ('refusal' in result) throw refusalError(result);
  return result.viewer;
}

/** A refusal as the whole GraphQL request's error; a 429 says when to retry (Retry-After). */
export function refusalError(refusal: Extract<RequestAuthentication, { refusal: string }>) {
  return httpGraphQLError(refusal.refusal, refusal.message, 'retryAfterSeconds' in refusal ? { 'retry-after': String(refusal.retryAfterSeconds) } : {});
}

export function buildContext(db: Database, viewer: UserRow | null, site: ClaimReviewSettings, requestId: string, webhooks: WebhookPolicy): Context {
  const loaders = createLoaders(db);
  // The viewer's own row is known: their name on what they just did (addedBy, assignedBy…) costs no read.
  if (viewer) loaders.user.prime(viewer.id, viewer);
  return { db, viewer: viewer && { id: viewer.id, name: viewer.name, role: viewer.role }, loaders, site, requestId, webhooks };
}
