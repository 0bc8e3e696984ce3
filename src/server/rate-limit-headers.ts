import type { ServerResponse } from 'node:http';
import type { Authentication } from '../domain/access/access-control.js';
import { WINDOW_SECONDS } from '../domain/access/shared-budget.js';

const wholeSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * What an authenticated response says about its token's budget, in the IETF httpapi working group's
 * RateLimit-Policy / RateLimit fields (draft-ietf-httpapi-ratelimit-headers): quota `q` per window
 * `w` seconds; `r` requests remaining, `t` seconds until the window ends. A 429 adds Retry-After.
 */
export function setAccessHeaders(res: ServerResponse, auth: Authentication) {
  if (auth.budget) {
    res.setHeader('RateLimit-Policy', `"token";q=${auth.budget.limit};w=${WINDOW_SECONDS}`);
    res.setHeader('RateLimit', `"token";r=${auth.budget.remaining};t=${wholeSeconds(auth.budget.resetMs)}`);
  }
  if ('refusal' in auth && auth.retryAfterMs !== undefined) res.setHeader('Retry-After', String(wholeSeconds(auth.retryAfterMs)));
}
