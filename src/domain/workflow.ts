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
  | 'setClaimTopics';

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

/** CONFLICT naming the current status unless `action` may start from it. */
export function assertActionAllowed(action: Action, status: ClaimStatus): void {
  if (!allowedFrom[action].includes(status)) {
    const allowed = allowedFrom[action].join(', ');
    throw conflict(`${action} is not allowed while the claim is ${status} (allowed from: ${allowed})`);
  }
}

export function assertExpectedVersion(expected: number | null | undefined, actual: number): void {
  if (expected != null && expected !== actual) {
    throw conflict(`The claim has changed: expected version ${expected}, it is at version ${actual}; reload and retry`);
  }
}
