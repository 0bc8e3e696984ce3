/** Review-side actions: assigning reviewers, evidence, verdicts. */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Transaction } from '../../db/connection.js';
import {
  assignments,
  evidence,
  users,
  verdictEvidence,
  verdicts,
  type AssignmentRow,
  type ClaimRow,
  type EvidenceRow,
  type VerdictRow,
} from '../../db/schema.js';
import { badInput, conflict, forbidden, notFound } from '../coded-errors.js';
import type { OutboxEvent } from '../webhooks/payloads.js';
import { httpUrl, LIMITS, optionalText, parseInput, requiredText, validDate } from '../validation.js';
import { requireRole, type Viewer } from '../viewer.js';
import { allowedRoles, assertActionAllowed, needsActiveAssignment } from '../workflow.js';
import { FACTS_UNCHANGED, withLockedClaim } from './lock.js';
import { send } from '../../db/pipeline.js';
import { CONFIDENCES, EVIDENCE_KINDS, RATINGS, STANCES } from '../../model/enums.js';

/** The reviewer's ACTIVE assignment on the claim, if any (sent at once: a `read` of withLockedClaim). */
const activeAssignmentOf = (tx: Transaction, claimId: string, reviewerId: string): Promise<AssignmentRow | undefined> =>
  send(
    tx
      .select()
      .from(assignments)
      .where(and(eq(assignments.claimId, claimId), eq(assignments.reviewerId, reviewerId), eq(assignments.state, 'ACTIVE'))),
  ).then(([row]) => row);

const assignmentCreated = (claimId: string, a: { id: string; reviewerId: string; dueAt: Date | null }): OutboxEvent => ({
  type: 'ASSIGNMENT_CREATED',
  data: { assignment: { id: a.id, claimId, reviewerId: a.reviewerId, dueAt: a.dueAt?.toISOString() ?? null } },
});

export const assignInput = z.object({
  claimId: z.string(),
  reviewerIds: z.array(z.string()).min(1, 'must name at least one reviewer').max(20, 'must name at most 20 reviewers'),
  dueAt: validDate.nullish(),
});

export async function assignClaim(
  db: Database,
  viewer: Viewer | null,
  input: z.input<typeof assignInput>,
): Promise<{ claim: ClaimRow; assignments: AssignmentRow[] }> {
  const actor = requireRole(viewer, allowedRoles.assignClaim);
  const data = parseInput(assignInput, input);
  const reviewerIds = [...new Set(data.reviewerIds)];
  const { result, claim } = await withLockedClaim(db, actor, data.claimId, {}, async (tx, claim) => {
    assertActionAllowed('assignClaim', claim.status, claim.scheduledFor);
    const reviewers = await tx
      .select({ id: users.id, name: users.name, role: users.role, active: users.active })
      .from(users)
      .where(inArray(users.id, reviewerIds));
    if (reviewers.length !== reviewerIds.length) throw notFound('Reviewer', 'reviewerIds');
    const notReviewer = reviewers.find((r) => r.role !== 'REVIEWER');
    if (notReviewer) throw badInput('reviewerIds', `${notReviewer.name} is ${notReviewer.role}, not a REVIEWER`);
    const inactive = reviewers.find((r) => !r.active);
    if (inactive) throw badInput('reviewerIds', `${inactive.name} is deactivated`);
    // One verdict per reviewer and round: someone who has given theirs has nothing left to owe.
    const done = await tx
      .select({ reviewerId: verdicts.reviewerId })
      .from(verdicts)
      .where(and(eq(verdicts.claimId, claim.id), eq(verdicts.round, claim.round), inArray(verdicts.reviewerId, reviewerIds)));
    if (done.length) {
      const names = reviewers.filter((r) => done.some((d) => d.reviewerId === r.id)).map((r) => r.name);
      throw conflict(`${names.join(', ')} already submitted a verdict in this review round; reopen the claim for a new round`);
    }
    const added = await tx
      .insert(assignments)
      .values(reviewerIds.map((reviewerId) => ({ claimId: claim.id, reviewerId, assignedBy: actor.id, round: claim.round, dueAt: data.dueAt ?? claim.dueAt })))
      .onConflictDoNothing() // the partial unique index: an active assignee stays as is
      .returning({ id: assignments.id, reviewerId: assignments.reviewerId, dueAt: assignments.dueAt });
    const active = await tx
      .select()
      .from(assignments)
      .where(and(eq(assignments.claimId, claim.id), eq(assignments.state, 'ACTIVE'), inArray(assignments.reviewerId, reviewerIds)))
      .orderBy(assignments.assignedAt, assignments.id);
    const names = reviewers.filter((r) => added.some((a) => a.reviewerId === r.id)).map((r) => r.name);
    return {
      result: active,
      event: added.length ? { type: 'ASSIGNED', note: `Assigned ${names.join(', ')}`, partnerEvents: added.map((a) => assignmentCreated(claim.id, a)) } : null,
      facts: (f) => ({ ...f, activeAssignments: f.activeAssignments + added.length }),
    };
  });
  return { claim, assignments: result };
}

export async function withdrawAssignment(db: Database, viewer: Viewer | null, assignmentId: string): Promise<{ assignment: AssignmentRow; claim: ClaimRow }> {
  const actor = requireRole(viewer, allowedRoles.withdrawAssignment);
  const [found] = await db.select({ claimId: assignments.claimId }).from(assignments).where(eq(assignments.id, assignmentId));
  if (!found) throw notFound('Assignment', 'assignmentId');
  const { result, claim } = await withLockedClaim(db, actor, found.claimId, { field: 'assignmentId' }, async (tx, claim) => {
    assertActionAllowed('withdrawAssignment', claim.status, claim.scheduledFor);
    const [withdrawn] = await tx
      .update(assignments)
      .set({ state: 'WITHDRAWN', updatedAt: new Date() })
      .where(and(eq(assignments.id, assignmentId), eq(assignments.state, 'ACTIVE')))
      .returning();
    if (!withdrawn) throw conflict('Only an ACTIVE assignment can be withdrawn');
    const [reviewer] = await tx.select({ name: users.name }).from(users).where(eq(users.id, withdrawn.reviewerId));
    return {
      result: withdrawn,
      event: { type: 'ASSIGNMENT_WITHDRAWN', note: `Withdrew ${reviewer?.name ?? 'reviewer'}` },
      facts: (f) => ({ ...f, activeAssignments: f.activeAssignments - 1 }),
    };
  });
  return { assignment: result, claim };
}

const evidenceInput = z.object({
  claimId: z.string(),
  kind: z.enum(EVIDENCE_KINDS),
  url: httpUrl.nullish(),
  title: requiredText(LIMITS.title),
  excerpt: optionalText(LIMITS.excerpt),
  stance: z.enum(STANCES),
});

export async function addEvidence(
  db: Database,
  viewer: Viewer | null,
  input: z.input<typeof evidenceInput>,
): Promise<{ evidence: EvidenceRow; claim: ClaimRow }> {
  const actor = requireRole(viewer, allowedRoles.addEvidence);
  const data = parseInput(evidenceInput, input);
  // A reviewer's assignment is read beside the lock.
  const read = needsActiveAssignment('addEvidence', actor.role) ? (tx: Transaction, claimId: string) => activeAssignmentOf(tx, claimId, actor.id) : undefined;
  const { result, claim } = await withLockedClaim(db, actor, data.claimId, { read }, async (tx, claim, assignment) => {
    if (read && !assignment) throw forbidden('Only reviewers actively assigned to this claim can add evidence to it');
    assertActionAllowed('addEvidence', claim.status, claim.scheduledFor);
    const inserted = send(
      tx
        .insert(evidence)
        .values({
          claimId: claim.id,
          kind: data.kind,
          url: data.url ?? null,
          title: data.title,
          excerpt: data.excerpt ?? null,
          stance: data.stance,
          addedBy: actor.id,
        })
        .returning(),
    );
    return { result: inserted.then(([row]) => row!), sent: [inserted], facts: FACTS_UNCHANGED, event: { type: 'EVIDENCE_ADDED', note: data.title } };
  });
  return { evidence: result, claim };
}

const verdictInput = z.object({
  claimId: z.string(),
  rating: z.enum(RATINGS),
  confidence: z.enum(CONFIDENCES),
  rationale: requiredText(LIMITS.rationale),
  evidenceIds: z.array(z.string()).max(100, 'must cite at most 100 pieces of evidence').nullish(),
});

export async function submitVerdict(
  db: Database,
  viewer: Viewer | null,
  input: z.input<typeof verdictInput>,
): Promise<{ verdict: VerdictRow; claim: ClaimRow }> {
  const actor = requireRole(viewer, allowedRoles.submitVerdict);
  const data = parseInput(verdictInput, input);
  const evidenceIds = [...new Set(data.evidenceIds ?? [])];
  const read = (tx: Transaction, claimId: string) => activeAssignmentOf(tx, claimId, actor.id);
  const { result, claim } = await withLockedClaim(db, actor, data.claimId, { read }, async (tx, claim, assignment) => {
    // An ACTIVE assignment means no verdict yet this round: submitting ends it, and assignClaim refuses
    // whoever already gave one. Only without one can the reason be an earlier verdict.
    if (!assignment) {
      const [own] = await tx
        .select({ id: verdicts.id })
        .from(verdicts)
        .where(and(eq(verdicts.claimId, claim.id), eq(verdicts.round, claim.round), eq(verdicts.reviewerId, actor.id)));
      if (own) throw conflict('You have already submitted your verdict for this review round');
      throw forbidden('Only a reviewer with an ACTIVE assignment on this claim can submit a verdict');
    }
    assertActionAllowed('submitVerdict', claim.status, claim.scheduledFor);
    if (evidenceIds.length) {
      const own = await tx
        .select({ id: evidence.id })
        .from(evidence)
        .where(and(eq(evidence.claimId, claim.id), inArray(evidence.id, evidenceIds)));
      if (own.length !== evidenceIds.length) throw badInput('evidenceIds', "A verdict may cite only its own claim's evidence");
    }
    // The verdict's ID is made here, so that what cites it goes out with it, in one round trip.
    const verdictId = randomUUID();
    const inserted = send(
      tx
        .insert(verdicts)
        .values({
          id: verdictId,
          claimId: claim.id,
          round: claim.round,
          reviewerId: actor.id,
          assignmentId: assignment.id,
          rating: data.rating,
          confidence: data.confidence,
          rationale: data.rationale,
        })
        .returning(),
    );
    const cited = evidenceIds.length
      ? [send(tx.insert(verdictEvidence).values(evidenceIds.map((evidenceId, position) => ({ verdictId, evidenceId, position }))))]
      : [];
    const submitted = send(tx.update(assignments).set({ state: 'SUBMITTED', updatedAt: new Date() }).where(eq(assignments.id, assignment.id)));
    return {
      result: inserted.then(([row]) => row!),
      sent: [inserted, ...cited, submitted],
      // Its assignment is no longer ACTIVE, and the round has its rating.
      facts: (f) => ({ ...f, activeAssignments: f.activeAssignments - 1, ratings: [...f.ratings, data.rating] }),
      // No rating in the note: the history is visible to reviewers who have not submitted yet (blind review).
      event: { type: 'VERDICT_SUBMITTED' },
    };
  });
  return { verdict: result, claim };
}
