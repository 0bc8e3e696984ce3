/**
 * Claims and their speakers. The lock order, everywhere: claimants before claims. A claim action
 * that sets a speaker locks that claimant (FOR SHARE) before the claim; updateClaimant and
 * mergeClaimants lock the claimant (FOR UPDATE) and then its claims. So a merge sees every claim
 * given the source as its speaker by a transaction that committed first, and a claim given the
 * source after the merge is given the target; nothing waits in a cycle.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Transaction } from '../../db/connection.js';
import { claimants, claimEvents, claims, factChecks, type ClaimantRow } from '../../db/schema.js';
import { publicFactCheckCondition } from '../../model/public-fact-checks.js';
import { notFound } from '../coded-errors.js';
import { factCheckUpdatedEvents } from '../claims/partner-events.js';
import type { Viewer } from '../viewer.js';
import { withPartnerEvents } from '../webhooks/outbox.js';

/**
 * The claimant an ID leads to (itself, or the one it was merged into), locked until the transaction
 * ends. Merged rows are read, never locked: a merge that repoints them must not wait on a reader.
 * NOT_FOUND naming `field` when there is none.
 */
export async function lockLiveClaimant(tx: Transaction, id: string, field: string, strength: 'share' | 'update'): Promise<ClaimantRow> {
  for (let hops = 0; hops < 5; hops++) {
    const [seen] = await tx.select({ mergedInto: claimants.mergedInto }).from(claimants).where(eq(claimants.id, id));
    if (!seen) break;
    if (seen.mergedInto) {
      id = seen.mergedInto;
      continue;
    }
    // Locking returns the row as the last committed change left it: a merge may have committed meanwhile.
    const [row] = await tx.select().from(claimants).where(eq(claimants.id, id)).for(strength);
    if (!row) break;
    if (!row.mergedInto) return row;
    id = row.mergedInto;
  }
  throw notFound('Claimant', field);
}

/** The speaker a claim action gives, by the ID a client sent; locked (share) so that no merge moves it meanwhile. */
export const lockSpeaker = (tx: Transaction, speakerId: string, field = 'speakerId') => lockLiveClaimant(tx, speakerId, field, 'share');

/**
 * Each claim of `claimantId` changes: version + 1 and one UPDATED event, with `speakerId` moved
 * when given (a merge), and partners hear FACT_CHECK_UPDATED for each fact check they see (its
 * ClaimReview shows the speaker) when `announce`. The claimant is locked FOR UPDATE by the caller.
 * Returns how many claims changed.
 */
export async function touchClaimsOf(
  tx: Transaction,
  actor: Viewer,
  claimantId: string,
  note: string,
  { moveTo, announce = true }: { moveTo?: string; announce?: boolean } = {},
): Promise<number> {
  const locked = await tx.select({ id: claims.id }).from(claims).where(eq(claims.speakerId, claimantId)).orderBy(asc(claims.id)).for('update');
  if (locked.length === 0) return 0;
  const ids = locked.map((c) => c.id);
  const changed = await tx
    .update(claims)
    .set({ version: sql`${claims.version} + 1`, updatedAt: new Date(), ...(moveTo ? { speakerId: moveTo } : {}) })
    .where(inArray(claims.id, ids))
    .returning({ id: claims.id, version: claims.version, status: claims.status });
  await tx
    .insert(claimEvents)
    .values(
      changed.map((c) => ({ claimId: c.id, actorId: actor.id, type: 'UPDATED' as const, fromStatus: c.status, toStatus: c.status, note, version: c.version })),
    );
  if (announce) {
    const published = await tx
      .select({ claimId: factChecks.claimId })
      .from(factChecks)
      .where(and(inArray(factChecks.claimId, ids), publicFactCheckCondition(factChecks)));
    const versions = new Map(changed.map((c) => [c.id, c.version]));
    for (const { claimId } of published) {
      const events = await factCheckUpdatedEvents(tx, claimId);
      await tx.execute(withPartnerEvents(sql`select 1`, events, versions.get(claimId)!));
    }
  }
  return changed.length;
}
