/**
 * The review workflow of docs/design.md, as data: one line a row of its table. Pure: no I/O.
 */
import { CLAIM_STATUSES, type ClaimStatus, type Role } from '../model/enums.js';
import { conflict } from './coded-errors.js';

export type Action =
  | 'createClaim'
  | 'updateClaim'
  | 'assignClaim'
  | 'withdrawAssignment'
  | 'addEvidence'
  | 'submitVerdict'
  | 'publishFactCheck'
  | 'dismissClaim'
  | 'reopenClaim'
  | 'addClaimAppearance'
  /** updateClaim that changes the speaker alone (the archive's fact checks get their claimants too). */
  | 'changeSpeaker'
  | 'setClaimTopics'
  /** Drops the claim's scheduled publication (publishFactCheck with publishAt scheduled it). */
  | 'cancelScheduledPublication';

const ANY: readonly ClaimStatus[] = CLAIM_STATUSES;
const EDITABLE: readonly ClaimStatus[] = ['OPEN', 'IN_REVIEW', 'DISPUTED', 'REVIEWED'];

/** From which statuses each action may start. */
export const allowedFrom: Record<Action, readonly ClaimStatus[]> = {
  createClaim: [],
  updateClaim: EDITABLE,
  assignClaim: EDITABLE,
  withdrawAssignment: ANY, // guarded by the assignment being ACTIVE instead
  addEvidence: EDITABLE,
  submitVerdict: ['IN_REVIEW', 'DISPUTED', 'REVIEWED'],
  publishFactCheck: ['REVIEWED', 'DISPUTED', 'PUBLISHED'],
  // From PUBLISHED this is the one-step retraction: partners stop seeing the fact check.
  dismissClaim: [...EDITABLE, 'PUBLISHED'],
  reopenClaim: ['DISPUTED', 'REVIEWED', 'PUBLISHED', 'DISMISSED'],
  // A dismissed claim is not being checked (and a retracted fact check shows nothing).
  addClaimAppearance: ['OPEN', 'IN_REVIEW', 'DISPUTED', 'REVIEWED', 'PUBLISHED'],
  changeSpeaker: [...EDITABLE, 'PUBLISHED'],
  // Likewise: a dismissed claim is filed under nothing new.
  setClaimTopics: ['OPEN', 'IN_REVIEW', 'DISPUTED', 'REVIEWED', 'PUBLISHED'],
  cancelScheduledPublication: ANY, // guarded by a publication being scheduled instead
};

/**
 * Which roles may attempt each action. addEvidence, submitVerdict, addClaimAppearance and setClaimTopics additionally
 * need an ACTIVE assignment when the actor is a REVIEWER (see `needsActiveAssignment`).
 */
export const allowedRoles: Record<Action, readonly Role[]> = {
  createClaim: ['EDITOR', 'ADMIN'],
  updateClaim: ['EDITOR', 'ADMIN'],
  assignClaim: ['EDITOR', 'ADMIN'],
  withdrawAssignment: ['EDITOR', 'ADMIN'],
  addEvidence: ['EDITOR', 'ADMIN', 'REVIEWER'],
  submitVerdict: ['REVIEWER'],
  publishFactCheck: ['EDITOR', 'ADMIN'],
  dismissClaim: ['EDITOR', 'ADMIN'],
  reopenClaim: ['EDITOR', 'ADMIN'],
  addClaimAppearance: ['EDITOR', 'ADMIN', 'REVIEWER'],
  changeSpeaker: ['EDITOR', 'ADMIN'],
  setClaimTopics: ['EDITOR', 'ADMIN', 'REVIEWER'],
  cancelScheduledPublication: ['EDITOR', 'ADMIN'],
};

/**
 * What may happen to a claim while a publication of it is scheduled (design.md, "Scheduled
 * publication"): what will be published may change only in what a published fact check's
 * ClaimReview may change by too (appearances, topics, the speaker), and the schedule itself may
 * be replaced, cancelled or dropped by a dismissal. Everything else waits for the release or a cancellation.
 */
export const allowedWhileScheduled: Record<Action, boolean> = {
  createClaim: false,
  updateClaim: false,
  assignClaim: false,
  withdrawAssignment: false,
  addEvidence: false,
  submitVerdict: false,
  publishFactCheck: true, // publishes now, or replaces the schedule
  dismissClaim: true, // drops the schedule within its one DISMISSED event
  reopenClaim: false,
  addClaimAppearance: true,
  changeSpeaker: true,
  setClaimTopics: true,
  cancelScheduledPublication: true,
};

export const needsActiveAssignment = (action: Action, role: Role) =>
  role === 'REVIEWER' && (action === 'addEvidence' || action === 'submitVerdict' || action === 'addClaimAppearance' || action === 'setClaimTopics');

/** What the status is derived from: the claim and its current review round. */
export interface ClaimFacts {
  dismissed: boolean;
  /** A fact check was published in the current round (not reopened since). */
  publishedThisRound: boolean;
  requiredVerdicts: number;
  activeAssignments: number;
  /** Ratings of the current round's verdicts. */
  ratings: readonly string[];
}

export function deriveStatus(facts: ClaimFacts): ClaimStatus {
  if (facts.dismissed) return 'DISMISSED';
  if (facts.publishedThisRound) return 'PUBLISHED';
  if (facts.ratings.length >= facts.requiredVerdicts) {
    return new Set(facts.ratings).size === 1 ? 'REVIEWED' : 'DISPUTED';
  }
  if (facts.activeAssignments > 0 || facts.ratings.length > 0) return 'IN_REVIEW';
  return 'OPEN';
}

/**
 * CONFLICT naming the current status unless `action` may start from it, or naming the schedule
 * when a publication is scheduled (`scheduledFor`, as withLockedClaim read it) and the action must wait.
 */
export function assertActionAllowed(action: Action, status: ClaimStatus, scheduledFor: Date | null): void {
  if (!allowedFrom[action].includes(status)) {
    const allowed = allowedFrom[action].join(', ');
    throw conflict(`${action} is not allowed while the claim is ${status} (allowed from: ${allowed})`);
  }
  if (scheduledFor && !allowedWhileScheduled[action]) {
    throw conflict(`${action} is not allowed while a publication is scheduled for ${scheduledFor.toISOString()} (cancelScheduledPublication first)`);
  }
  if (!scheduledFor && action === 'cancelScheduledPublication') throw conflict('No publication of this claim is scheduled');
}

export function assertExpectedVersion(expected: number | null | undefined, actual: number): void {
  if (expected != null && expected !== actual) {
    throw conflict(`The claim has changed: expected version ${expected}, it is at version ${actual}; reload and retry`);
  }
}
