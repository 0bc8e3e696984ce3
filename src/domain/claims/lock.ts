import { eq, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/connection.js';
import { assignments, claimEvents, claims, scheduledPublications, verdicts, type ClaimRow } from '../../db/schema.js';
import { notFound } from '../coded-errors.js';
import { withPartnerEvents } from '../webhooks/outbox.js';
import type { OutboxEvent } from '../webhooks/payloads.js';
import type { Viewer } from '../viewer.js';
import type { ClaimStatus, Rating } from '../../model/enums.js';
import { assertExpectedVersion, deriveStatus } from '../workflow.js';

type EventType = (typeof claimEvents.$inferInsert)['type'];

/** What an action did, for the audit trail; `null` when it changed nothing (no event, same version). */
export interface ActionOutcome<T> {
  result: T;
  /** `partnerEvents`: what partners and endpoints hear (claim.status_changed is added here, from the status). */
  event: {
    type: EventType;
    note?: string | null;
    partnerEvents?: OutboxEvent[];
    /** Whose action the ClaimEvent records, when not the actor's (a scheduled release: the editor who scheduled it). */
    actorId?: string;
  } | null;
  /**
   * Columns of the claim row the action changes, written by the same update as status and version
   * (one statement less than an update of its own). Only columns that the status reads as they are
   * (not `round`: the status's facts are those of the stored round).
   */
  claimChanges?: ClaimChanges;
}

type ClaimChanges = Pick<Partial<ClaimRow>, 'publishedRound' | 'dismissed'>;

/** The claim row as locked, with when its scheduled publication is due (null: none), read in the same statement. */
export type LockedClaim = ClaimRow & { scheduledFor: Date | null };

/**
 * Runs one workflow action on one claim: a transaction that locks the claim row (so concurrent
 * actions on it serialize, across processes), checks expectedVersion, lets `act` change things,
 * then re-derives the status and writes version + 1 (one update) and exactly one ClaimEvent, with
 * the partners' change-feed rows and webhook outbox rows in the same statement.
 */
export async function withLockedClaim<T>(
  db: Database,
  actor: Viewer,
  claimId: string,
  options: {
    expectedVersion?: number | null;
    field?: string;
    /** Locks the action needs on rows that come before claims in the lock order (claimants: src/domain/claimants/speakers.ts). */
    lockFirst?: (tx: Transaction) => Promise<void>;
  },
  act: (tx: Transaction, claim: LockedClaim) => Promise<ActionOutcome<T>>,
): Promise<{ result: T; claim: ClaimRow }> {
  return db.transaction(async (tx) => {
    await options.lockFirst?.(tx);
    // The schedule changes only under this lock, so reading it beside the claim row is enough.
    const [locked] = await tx
      .select({ claim: claims, scheduledFor: scheduledPublications.publishAt })
      .from(claims)
      .leftJoin(scheduledPublications, eq(scheduledPublications.claimId, claims.id))
      .where(eq(claims.id, claimId))
      .for('update', { of: claims });
    if (!locked) throw notFound('Claim', options.field ?? 'claimId');
    const claim: LockedClaim = { ...locked.claim, scheduledFor: locked.scheduledFor };
    assertExpectedVersion(options.expectedVersion, claim.version);
    const { result, event, claimChanges = {} } = await act(tx, claim);
    if (!event) return { result, claim: locked.claim };
    const status = await deriveStoredStatus(tx, claimId, claimChanges);
    const version = claim.version + 1;
    const [updated] = await tx
      .update(claims)
      .set({ ...claimChanges, status, version, updatedAt: new Date() })
      .where(eq(claims.id, claimId))
      .returning();
    const events = [...(event.partnerEvents ?? [])];
    if (status !== claim.status) events.push({ type: 'CLAIM_STATUS_CHANGED', data: { claim: { id: claimId, status, previousStatus: claim.status, version } } });
    const record = tx.insert(claimEvents).values({
      claimId,
      actorId: event.actorId ?? actor.id,
      type: event.type,
      fromStatus: claim.status,
      toStatus: status,
      note: event.note ?? null,
      version,
    });
    await tx.execute(withPartnerEvents(record.getSQL(), events, version));
    return { result, claim: updated! };
  });
}

/**
 * Reads the claim as the action left it (with the changes it has yet to write), with the facts of
 * its current round, in one statement, and derives its status. (Ratings come as text: array and
 * enum row shapes differ between postgres.js and PGlite.)
 */
async function deriveStoredStatus(tx: Transaction, claimId: string, changes: ClaimChanges): Promise<ClaimStatus> {
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
  const claim = { ...row!, ...changes };
  return deriveStatus({
    dismissed: claim.dismissed,
    publishedThisRound: claim.publishedRound === claim.round,
    requiredVerdicts: claim.requiredVerdicts,
    activeAssignments: claim.activeAssignments,
    ratings: claim.ratings ? (claim.ratings.split(',') as Rating[]) : [],
  });
}
