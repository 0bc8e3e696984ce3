import { createHash, randomBytes } from 'node:crypto';
import { eq, getTableColumns, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import { apiTokens, users } from '../../db/schema.js';
import type { TokenCache, VerifiedToken } from './token-cache.js';

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
export const newToken = () => `fc_${randomBytes(32).toString('base64url')}`;

/**
 * What newToken() issues: `fc_` and 32 random bytes in base64url. Guessing one is hopeless at any
 * rate (256 bits), so checking such a token costs a guesser nothing it could use.
 */
const ISSUED_SHAPE = /^fc_[A-Za-z0-9_-]{43}$/;
export const isIssuedShape = (token: string) => ISSUED_SHAPE.test(token);

/**
 * The shortest token the service can hold: ADMIN_TOKEN's minimum (src/config.ts); issued tokens
 * have 46 characters. Anything shorter is refused without a lookup.
 */
export const MIN_TOKEN_LENGTH = 16;

/** Why a token is refused: unknown (or revoked: the same to a guesser), expired, or its user deactivated. */
export type TokenRefusal = 'unknown' | 'expired' | 'inactive';

export type TokenCheck = { verified: VerifiedToken } | { refusal: TokenRefusal; message: string };

const REFUSALS = {
  unknown: 'The bearer token is unknown or revoked',
  inactive: "The bearer token's user is deactivated",
} as const;

export const unknownToken = (): TokenCheck => ({ refusal: 'unknown', message: REFUSALS.unknown });
const expired = (at: Date): TokenCheck => ({ refusal: 'expired', message: `The bearer token expired at ${at.toISOString()}` });

/**
 * What the cache knows of a token, without a statement: verified (or expired since), or undefined.
 * Expiry is checked on every use, so an expiring token is refused at its instant in every process.
 */
export function cachedToken(cache: TokenCache, tokenHash: string, now = new Date()): TokenCheck | undefined {
  const cached = cache.get(tokenHash);
  if (!cached) return undefined;
  return cached.token.expiresAt && cached.token.expiresAt <= now ? expired(cached.token.expiresAt) : { verified: cached };
}

/**
 * The lookup, built by drizzle once per database and prepared: building it took more CPU than
 * Postgres took to run it, and a flood of unknown tokens runs it hundreds of times a second.
 */
const lookups = new WeakMap<Queryable, ReturnType<typeof prepareLookup>>();
const prepareLookup = (db: Queryable) =>
  db
    .select({
      token: { id: apiTokens.id, expiresAt: apiTokens.expiresAt, rateLimitPerMinute: apiTokens.rateLimitPerMinute, revokedAt: apiTokens.revokedAt },
      user: getTableColumns(users),
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, sql.placeholder('tokenHash')))
    .limit(1)
    .prepare('token_lookup');

/** Who a token stands for, by one statement (token and user, on the unique index of token_hash) that fills the cache. */
export async function lookUpToken(db: Queryable, cache: TokenCache, tokenHash: string, now = new Date()): Promise<TokenCheck> {
  const stamp = cache.stamp();
  let lookup = lookups.get(db);
  if (!lookup) lookups.set(db, (lookup = prepareLookup(db)));
  const [row] = await lookup.execute({ tokenHash });
  if (!row || row.token.revokedAt) return unknownToken();
  if (row.token.expiresAt && row.token.expiresAt <= now) return expired(row.token.expiresAt);
  if (!row.user.active) return { refusal: 'inactive', message: REFUSALS.inactive };
  const { revokedAt: _revokedAt, ...tokenFields } = row.token;
  const verified = { token: tokenFields, user: row.user };
  cache.set(tokenHash, verified, stamp);
  cache.rememberValid(tokenHash);
  return { verified };
}
