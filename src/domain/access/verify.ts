import { createHash, randomBytes } from 'node:crypto';
import { eq, getTableColumns } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import { apiTokens, users } from '../../db/schema.js';
import type { TokenCache, VerifiedToken } from './token-cache.js';

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
export const newToken = () => `fc_${randomBytes(32).toString('base64url')}`;

/** Why a token is refused: unknown (or revoked: the same to a guesser), expired, or its user deactivated. */
export type TokenRefusal = 'unknown' | 'expired' | 'inactive';

export type TokenCheck = { verified: VerifiedToken } | { refusal: TokenRefusal; message: string };

const REFUSALS = {
  unknown: 'The bearer token is unknown or revoked',
  inactive: "The bearer token's user is deactivated",
} as const;

const expired = (at: Date): TokenCheck => ({ refusal: 'expired', message: `The bearer token expired at ${at.toISOString()}` });

/**
 * Who a bearer token stands for: from the cache, or one statement (token and user) that fills it.
 * Expiry is checked on every use, so an expiring token is refused at its instant in every process.
 */
export async function verifyToken(db: Queryable, cache: TokenCache, token: string, now = new Date()): Promise<TokenCheck> {
  const tokenHash = hashToken(token);
  const cached = cache.get(tokenHash);
  if (cached) return cached.token.expiresAt && cached.token.expiresAt <= now ? expired(cached.token.expiresAt) : { verified: cached };
  const stamp = cache.stamp();
  const [row] = await db
    .select({
      token: { id: apiTokens.id, expiresAt: apiTokens.expiresAt, rateLimitPerMinute: apiTokens.rateLimitPerMinute, revokedAt: apiTokens.revokedAt },
      user: getTableColumns(users),
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, tokenHash))
    .limit(1);
  if (!row || row.token.revokedAt) return { refusal: 'unknown', message: REFUSALS.unknown };
  if (row.token.expiresAt && row.token.expiresAt <= now) return expired(row.token.expiresAt);
  if (!row.user.active) return { refusal: 'inactive', message: REFUSALS.inactive };
  const { revokedAt: _revokedAt, ...tokenFields } = row.token;
  const verified = { token: tokenFields, user: row.user };
  cache.set(tokenHash, verified, stamp);
  return { verified };
}
