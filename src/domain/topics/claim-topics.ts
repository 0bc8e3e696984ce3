/**
 * Which topics a claim is filed under (docs/design.md, Topics).
 *
 * - `setClaimTopics` replaces the whole set, through `withLockedClaim` like every claim action (the
 *   workflow's row): editors, admins and reviewers with an ACTIVE assignment on the claim; not on a
 *   DISMISSED claim. At most MAX_TOPICS_PER_CLAIM distinct topics; an unknown one is NOT_FOUND.
 * - The same set again changes nothing: no event, the same version. Otherwise one UPDATED event,
 *   version + 1; and while the claim has a fact check partners see, its ClaimReview (`about`)
 *   changed: FACT_CHECK_UPDATED and a change-feed UPDATED (`factCheckUpdatedEvents`), carrying the
 *   topics before the change (`topicIdsBefore`) for endpoints that follow topics (webhooks/outbox.ts).
 * - `createClaim` takes `topicIds` too, written in its transaction (`fileClaimUnder`).
 */
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Transaction } from '../../db/connection.js';
import { claimTopics, type ClaimRow } from '../../db/schema.js';
import { isActivelyAssigned } from '../claims/appearances.js';
import { FACTS_UNCHANGED, withLockedClaim } from '../claims/lock.js';
import { factCheckUpdatedEvents } from '../claims/partner-events.js';
import { forbidden } from '../coded-errors.js';
import type { OutboxEvent } from '../webhooks/payloads.js';
import { parseInput } from '../validation.js';
import { requireRole, type Viewer } from '../viewer.js';
import { allowedRoles, assertActionAllowed, needsActiveAssignment } from '../workflow.js';
import { existingTopics, topicIdList } from './topics.js';

/** How many topics a claim may be filed under. */
export const MAX_TOPICS_PER_CLAIM = 10;

/** A claim's `topicIds`, as setClaimTopics and createClaim take them. */
export const claimTopicIds = topicIdList(MAX_TOPICS_PER_CLAIM);

const setInput = z.object({
  claimId: z.string(),
  expectedVersion: z.number().int().nullish(),
  topicIds: claimTopicIds,
});
export type SetClaimTopicsInput = z.input<typeof setInput>;

/** Files a new claim under `topicIds` (checked: NOT_FOUND naming `field` if one does not exist), in the claim's own transaction. */
export async function fileClaimUnder(tx: Transaction, claimId: string, topicIds: readonly string[], field = 'topicIds'): Promise<void> {
  await existingTopics(tx, topicIds, field);
  if (topicIds.length) await tx.insert(claimTopics).values(topicIds.map((topicId) => ({ claimId, topicId })));
}

export async function setClaimTopics(db: Database, viewer: Viewer | null, input: SetClaimTopicsInput): Promise<ClaimRow> {
  const actor = requireRole(viewer, allowedRoles.setClaimTopics);
  const data = parseInput(setInput, input);
  const { claim } = await withLockedClaim(db, actor, data.claimId, data, async (tx, claim) => {
    if (needsActiveAssignment('setClaimTopics', actor.role) && !(await isActivelyAssigned(tx, claim.id, actor.id))) {
      throw forbidden('Only reviewers actively assigned to this claim can file it under topics');
    }
    assertActionAllowed('setClaimTopics', claim.status, claim.scheduledFor);
    const wanted = await existingTopics(tx, data.topicIds, 'topicIds');
    const before = (await tx.select({ topicId: claimTopics.topicId }).from(claimTopics).where(eq(claimTopics.claimId, claim.id))).map((r) => r.topicId);
    const removed = before.filter((id) => !data.topicIds.includes(id));
    const added = data.topicIds.filter((id) => !before.includes(id));
    if (removed.length === 0 && added.length === 0) return { result: null, event: null };

    if (removed.length) await tx.delete(claimTopics).where(and(eq(claimTopics.claimId, claim.id), inArray(claimTopics.topicId, removed)));
    if (added.length) await tx.insert(claimTopics).values(added.map((topicId) => ({ claimId: claim.id, topicId })));
    const note = wanted.length ? `Topics: ${wanted.map((t) => t.name).join(', ')}` : 'Topics: none';
    // ClaimReview `about` lists the topics: a fact check partners see changed, without a correction.
    // An endpoint that follows topics hears of it if the claim was under one of them before or is now.
    const partnerEvents = (await factCheckUpdatedEvents(tx, claim.id, claim.scheduledFor !== null)).map((e): OutboxEvent =>
      e.type === 'FACT_CHECK_UPDATED'
        ? { ...e, data: { ...e.data, topicIdsBefore: before } }
        : e.type === 'FACT_CHECK_SCHEDULED'
          ? { ...e, data: { ...e.data, topicIdsBefore: before } }
          : e,
    );
    return { result: null, facts: FACTS_UNCHANGED, event: { type: 'UPDATED', note, partnerEvents } };
  });
  return claim;
}
