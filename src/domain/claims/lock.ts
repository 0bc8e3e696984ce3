import { eq, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/connection.js';
import { assignments, claimEvents, claims, verdicts, type ClaimRow } from '../../db/schema.js';
import { notFound } from '../errors.js';
import { writePartnerEvents } from '../webhooks/outbox.js';
import type { OutboxEvent } from '../webhooks/payloads.js';
import type { Viewer } from '../viewer.js';
import type { ClaimStatus, Rating } from '../../model/enums.js';
import { assertExpectedVersion, deriveStatus } from '../workflow.js';

type EventType = (typeof claimEvents.$inferInsert)['type'];

/** What an action did, for the audit trail; `null` when it changed nothing (no event, same version). */
export interface ActionOutcome<T> {
  result: T;
  /** `partnerEvents`: what partners and endpoints hear (claim.status_changed is added here, from the status). */
  event: { type: EventType; note?: string | null; partnerEvents?: OutboxEvent[] } | null;
}

/**
 * Runs one workflow action on one claim: a transaction that locks the claim row (so concurrent
 * actions on it serialize, across processes), checks expectedVersion, lets `act` change things,
 * then re-derives the status and writes version + 1 and exactly one ClaimEvent, with the partners'
 * change-feed rows and webhook outbox rows beside it.
 */
export async function withLockedClaim<T>(
  db: Database,
  actor: Viewer,
  claimId: string,
  options: { expectedVersion?: number | null; field?: string },
  act: (tx: Transaction, claim: ClaimRow) => Promise<ActionOutcome<T>>,
): Promise<{ result: T; claim: ClaimRow }> {
  return db.transaction(async (tx) => {
    const [claim] = await tx.select().from(claims).where(eq(claims.id, claimId)).for('update');
    if (!claim) throw notFound('Claim', options.field ?? 'claimId');
    assertExpectedVersion(options.expectedVersion, claim.version);
    const { result, event } = await act(tx, claim);
    if (!event) return { result, claim };
    const status = await deriveStoredStatus(tx, claimId);
    const version = claim.version + 1;
    const [updated] = await tx.update(claims).set({ status, version, updatedAt: new Date() }).where(eq(claims.id, claimId)).returning();
    await tx.insert(claimEvents).values({
      claimId,
      actorId: actor.id,
      type: event.type,
      fromStatus: claim.status,
      toStatus: status,
      note: event.note ?? null,
      version,
    });
    const events = [...(event.partnerEvents ?? [])];
    if (status !== claim.status) events.push({ type: 'CLAIM_STATUS_CHANGED', data: { claim: { id: claimId, status, previousStatus: claim.status, version } } });
    await writePartnerEvents(tx, events, version);
    return { result, claim: updated! };
  });
}

/**
 * Reads the claim as the action left it, with the facts of its current round, in one statement,
 * and derives its status. (Ratings come as text: array and enum row shapes differ between
 * postgres.js and PGlite.)
 */
async function deriveStoredStatus(tx: Transaction, claimId: string): Promise<ClaimStatus> {
  const [row] = await tx
    .select({
      dismissed: claims.dismissed,
      publishedRound: claims.publishedRound,
      round: claims.round,
      requiredVerdicts: claims.requiredVerdicts,
      activeAssignments: sql<number>`(select count(*) from ${assignments}
        where ${assignments.claimId} = ${claims}.${sql.identifier('id')} and ${assignments.state} = 'ACTIVE')`.mapWith(Number),
      ratings: sql<string | null>`(select string_agg(${verdicts.rating}::text, ',') from ${verdicts}
        where ${verdicts.claimId} = ${claims}.${sql.identifier('id')} and ${verdicts.round} = ${claims}.${sql.identifier('round')})`,
    })
    .from(claims)
    .where(eq(claims.id, claimId));
  const claim = row!;
  return deriveStatus({
    dismissed: claim.dismissed,
    publishedThisRound: claim.publishedRound === claim.round,
    requiredVerdicts: claim.requiredVerdicts,
    activeAssignments: claim.activeAssignments,
    ratings: claim.ratings ? (claim.ratings.split(',') as Rating[]) : [],
  });
}
