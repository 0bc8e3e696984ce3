/**
 * Claims and their speakers. The lock order, everywhere: claimants before claims. A claim action
 * that sets a speaker locks that claimant (FOR SHARE) before the claim; updateClaimant and
 * mergeClaimants lock the claimant (FOR UPDATE) and then its claims. So a merge sees every claim
 * given the source as its speaker by a transaction that committed first, and a claim given the
 * source after the merge is given the target; nothing waits in a cycle.
 */
import { eq, sql } from 'drizzle-orm';
import type { Transaction } from '../../db/connection.js';
import { claimants, claimEvents, claims, factChecks, scheduledPublications, type ClaimantRow } from '../../db/schema.js';
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
 * The claims' update and their events are one statement whatever their number (no parameter per
 * claim: a speaker may have tens of thousands). Returns how many claims changed.
 */
export async function touchClaimsOf(
  tx: Transaction,
  actor: Viewer,
  claimantId: string,
  note: string,
  { moveTo, announce = true }: { moveTo?: string; announce?: boolean } = {},
): Promise<number> {
  const result = await tx.execute(sql`
    with moved as (
      update ${claims} set version = version + 1, updated_at = ${new Date().toISOString()}::timestamptz
        ${moveTo ? sql`, speaker_id = ${moveTo}::uuid` : sql``}
      where speaker_id = ${claimantId}::uuid
      returning id, version, status
    ),
    recorded as (
      insert into ${claimEvents} (claim_id, actor_id, type, from_status, to_status, note, version)
      select id, ${actor.id}::uuid, 'UPDATED', status, status, ${note}, version from moved
      returning 1
    )
    select moved.id, moved.version,
      exists (select 1 from ${factChecks} where ${factChecks.claimId} = moved.id and ${publicFactCheckCondition(factChecks)}) as published,
      exists (select 1 from ${scheduledPublications} where ${scheduledPublications.claimId} = moved.id) as scheduled
    from moved`);
  // postgres.js answers the rows as an array, PGlite as { rows }.
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
    id: string;
    version: number;
    published: boolean;
    scheduled: boolean;
  }[];
  if (announce) {
    for (const claim of rows.filter((r) => r.published || r.scheduled)) {
      const events = await factCheckUpdatedEvents(tx, claim.id, claim.scheduled);
      await tx.execute(withPartnerEvents(sql`select 1`, events, Number(claim.version)));
    }
  }
  return rows.length;
}
