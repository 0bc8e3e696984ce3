import { and, desc, eq, getTableColumns, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Queryable } from '../../db/connection.js';
import { apiTokens, users, type ApiTokenRow } from '../../db/schema.js';
import { forbidden, notFound } from '../coded-errors.js';
import { LIMITS, parseInput, requiredText, validDate } from '../validation.js';
import { ADMINS, requireRole, requireViewer, type Viewer } from '../viewer.js';
import type { AccessInvalidation } from './access-control.js';
import { hashToken, newToken } from './verify.js';

/** A token's record as clients may read it: never its hash. */
export type ApiTokenRecord = Omit<ApiTokenRow, 'tokenHash'>;
const { tokenHash: _hash, ...recordColumns } = getTableColumns(apiTokens);

export const RATE_LIMIT_RANGE = { min: 1, max: 100_000 } as const;

const issueTokenInput = z.object({
  userId: z.string(),
  label: requiredText(LIMITS.label),
  expiresAt: validDate.refine((d) => d.getTime() > Date.now(), 'must lie in the future').nullish(),
  rateLimitPerMinute: z
    .number()
    .int('must be a whole number')
    .min(RATE_LIMIT_RANGE.min, `must be ${RATE_LIMIT_RANGE.min} to ${RATE_LIMIT_RANGE.max}`)
    .max(RATE_LIMIT_RANGE.max, `must be ${RATE_LIMIT_RANGE.min} to ${RATE_LIMIT_RANGE.max}`)
    .nullish(),
});

export async function issueApiToken(db: Database, viewer: Viewer | null, input: z.input<typeof issueTokenInput>) {
  requireRole(viewer, ADMINS);
  const data = parseInput(issueTokenInput, input);
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, data.userId));
  if (!user) throw notFound('User', 'userId');
  const token = newToken();
  const [record] = await db
    .insert(apiTokens)
    .values({
      userId: user.id,
      label: data.label,
      tokenHash: hashToken(token),
      expiresAt: data.expiresAt ?? null,
      rateLimitPerMinute: data.rateLimitPerMinute ?? null,
    })
    .returning(recordColumns);
  return { token, apiToken: record! };
}

/** Revokes a token; every process refuses it from the commit on (trigger → NOTIFY; this process at once). */
export async function revokeApiToken(db: Database, viewer: Viewer | null, tokenId: string, access: AccessInvalidation): Promise<boolean> {
  requireRole(viewer, ADMINS);
  const [existing] = await db.select({ id: apiTokens.id }).from(apiTokens).where(eq(apiTokens.id, tokenId));
  if (!existing) throw notFound('API token', 'tokenId');
  const revoked = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  access.forgetToken(tokenId);
  return revoked.length > 0;
}

/** Admins read anyone's tokens; every user reads their own. */
export const mayReadTokensOf = (viewer: Viewer, userId: string) => viewer.role === 'ADMIN' || viewer.id === userId;

/** A user's tokens, newest first: for admins and the user themself, FORBIDDEN for anyone else. */
export function requireTokenReader(viewer: Viewer | null, userId: string): Viewer {
  const v = requireViewer(viewer);
  if (!mayReadTokensOf(v, userId)) throw forbidden("Only admins and the user themself may read a user's tokens");
  return v;
}

/** The tokens of many users in one statement, newest first (User.apiTokens on a page of users). */
export async function tokensOfUsers(db: Queryable, userIds: readonly string[]): Promise<ApiTokenRecord[][]> {
  const rows = await db
    .select(recordColumns)
    .from(apiTokens)
    .where(inArray(apiTokens.userId, userIds as string[]))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
  return userIds.map((id) => rows.filter((r) => r.userId === id));
}

/** node(id) of an ApiToken: null unless the viewer may read it. */
export async function findApiToken(db: Queryable, viewer: Viewer | null, tokenId: string): Promise<ApiTokenRecord | null> {
  const v = requireViewer(viewer);
  const [row] = await db.select(recordColumns).from(apiTokens).where(eq(apiTokens.id, tokenId));
  return row && mayReadTokensOf(v, row.userId) ? row : null;
}
