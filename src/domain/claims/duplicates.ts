/**
 * One claim per (article, span, statement): an exact duplicate is refused with CONFLICT naming the
 * claim that exists. Dismissed claims count too: the desk reopens the dismissed claim instead, which
 * keeps one history per claim (and lets reopenClaim never collide with a live duplicate).
 * The unique index claims_one_per_span_statement (on md5(statement): statements run to 2,000 code
 * points) is the last line, for two identical createClaims racing past the look-up.
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import { claims } from '../../db/schema.js';
import { isUniqueViolation } from '../../db/unique-violation.js';
import { DomainError } from '../coded-errors.js';

export const DUPLICATE_CLAIM_INDEX = 'claims_one_per_span_statement';

export interface ClaimKey {
  articleId: string;
  spanStart: number;
  spanEnd: number;
  statement: string;
}

/**
 * CONFLICT with `extensions.existingClaimId`. The domain knows the claim by its row id; the API layer
 * names it by its global ID (`withPublicId`), so the message and the extension say what clients use.
 */
export class DuplicateClaimError extends DomainError {
  constructor(
    readonly existingClaimId: string,
    readonly existingStatus: string,
    publicId = existingClaimId,
  ) {
    const advice = existingStatus === 'DISMISSED' ? '; it was dismissed: reopen it instead' : '';
    super('CONFLICT', `An identical claim (same article, span and statement) already exists: ${publicId} (${existingStatus})${advice}`, undefined, {
      existingClaimId: publicId,
    });
  }

  withPublicId(publicId: string): DuplicateClaimError {
    return new DuplicateClaimError(this.existingClaimId, this.existingStatus, publicId);
  }
}

/** Compares as the unique index does, so that the look-up and the index agree on what a duplicate is. */
export async function findDuplicateClaim(db: Queryable, key: ClaimKey, exceptClaimId?: string) {
  const [found] = await db
    .select({ id: claims.id, status: claims.status })
    .from(claims)
    .where(
      and(
        eq(claims.articleId, key.articleId),
        eq(claims.spanStart, key.spanStart),
        eq(claims.spanEnd, key.spanEnd),
        sql`md5(${claims.statement}) = md5(${key.statement})`,
        exceptClaimId ? ne(claims.id, exceptClaimId) : undefined,
      ),
    )
    .limit(1);
  return found;
}

export async function refuseDuplicateClaim(db: Queryable, key: ClaimKey, exceptClaimId?: string): Promise<void> {
  const found = await findDuplicateClaim(db, key, exceptClaimId);
  if (found) throw new DuplicateClaimError(found.id, found.status);
}

/** A unique violation of the duplicate index, as postgres.js (`constraint_name`) or PGlite (`constraint`) reports it, under drizzle's wrapper. */
export const isDuplicateClaimViolation = (error: unknown): boolean => isUniqueViolation(error, DUPLICATE_CLAIM_INDEX);
