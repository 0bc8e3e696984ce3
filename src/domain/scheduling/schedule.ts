/**
 * Scheduled publication (docs/design.md, "Scheduled publication"): publishFactCheck with publishAt
 * ahead writes a row of scheduled_publications, not of fact_checks, so every public read leaves it
 * out by construction until the release (release.ts) writes the fact check with the ID fixed here.
 * Every change happens under the claim's lock (withLockedClaim), as one ClaimEvent.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Transaction } from '../../db/connection.js';
import { scheduledPublications, type ClaimRow, type FactCheckRow } from '../../db/schema.js';
import { FACTS_UNCHANGED, withLockedClaim, type ActionOutcome } from '../claims/lock.js';
import { factCheckScheduledEvent, scheduledFactCheck, type ClaimReviewContext } from '../claims/partner-events.js';
import type { FirstPublication } from '../claims/publication.js';
import { parseInput } from '../validation.js';
import { requireRole, type Viewer } from '../viewer.js';
import type { OutboxEvent } from '../webhooks/payloads.js';
import { allowedRoles, assertActionAllowed } from '../workflow.js';

type Scheduling = Omit<FirstPublication, 'publishedBy' | 'at'> & { publishAt: Date; scheduledBy: string };

/**
 * Schedules the claim's first publication, or replaces its schedule (keeping the fact check's ID,
 * which embargoed partners already hold): one PUBLICATION_SCHEDULED event, the claim keeps its
 * status, and fact_check.scheduled goes to the endpoints that may hear it (outbox.ts).
 */
export async function scheduleFactCheck(tx: Transaction, s: Scheduling, context: ClaimReviewContext): Promise<ActionOutcome<FactCheckRow>> {
  const values = { ...s.label, summary: s.summary, publishAt: s.publishAt, scheduledBy: s.scheduledBy, scheduledAt: new Date() };
  const [schedule] = await tx
    .insert(scheduledPublications)
    .values({ ...values, claimId: s.claim.id, factCheckId: s.id ?? randomUUID() })
    .onConflictDoUpdate({ target: scheduledPublications.claimId, set: values })
    .returning();
  const factCheck = scheduledFactCheck(schedule!, s.claim, s.article.language);
  const event = factCheckScheduledEvent(factCheck, s.article, context);
  return { result: factCheck, facts: FACTS_UNCHANGED, event: { type: 'PUBLICATION_SCHEDULED', note: s.publishAt.toISOString(), partnerEvents: [event] } };
}

/** Deletes the claim's schedule; what embargoed endpoints hear of it (fact_check.schedule_cancelled), none if there was none. */
export async function dropSchedule(tx: Transaction, claimId: string): Promise<OutboxEvent[]> {
  const dropped = await tx
    .delete(scheduledPublications)
    .where(eq(scheduledPublications.claimId, claimId))
    .returning({ factCheckId: scheduledPublications.factCheckId });
  return dropped.map((d) => ({ type: 'FACT_CHECK_SCHEDULE_CANCELLED', data: { factCheck: { id: d.factCheckId } } }));
}

const cancelInput = z.object({ claimId: z.string(), expectedVersion: z.number().int().nullish() });

/** cancelScheduledPublication: one PUBLICATION_CANCELLED event; the claim keeps its status. CONFLICT when nothing is scheduled. */
export async function cancelScheduledPublication(db: Database, viewer: Viewer | null, input: z.input<typeof cancelInput>): Promise<ClaimRow> {
  const actor = requireRole(viewer, allowedRoles.cancelScheduledPublication);
  const data = parseInput(cancelInput, input);
  const { claim } = await withLockedClaim(db, actor, data.claimId, data, async (tx, claim) => {
    assertActionAllowed('cancelScheduledPublication', claim.status, claim.scheduledFor);
    const partnerEvents = await dropSchedule(tx, claim.id);
    return {
      result: null,
      facts: FACTS_UNCHANGED,
      event: { type: 'PUBLICATION_CANCELLED', note: `Was scheduled for ${claim.scheduledFor!.toISOString()}`, partnerEvents },
    };
  });
  return claim;
}
