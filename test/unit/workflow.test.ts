import { describe, expect, test } from 'vitest';
import { DomainError } from '../../src/domain/coded-errors.js';
import { CLAIM_STATUSES } from '../../src/model/enums.js';
import {
  allowedRoles,
  assertActionAllowed,
  assertExpectedVersion,
  deriveStatus,
  needsActiveAssignment,
  type Action,
  type ClaimFacts,
} from '../../src/domain/workflow.js';

const facts = (patch: Partial<ClaimFacts> = {}): ClaimFacts => ({
  dismissed: false,
  publishedThisRound: false,
  requiredVerdicts: 1,
  activeAssignments: 0,
  ratings: [],
  ...patch,
});

describe('deriveStatus: the five lines of docs/design.md, in their order', () => {
  test.each<[string, Partial<ClaimFacts>, string]>([
    ['nothing yet', {}, 'OPEN'],
    ['an active assignment', { activeAssignments: 1 }, 'IN_REVIEW'],
    ['a verdict, fewer than required', { requiredVerdicts: 2, ratings: ['TRUE'] }, 'IN_REVIEW'],
    ['a verdict after its assignment was withdrawn… still fewer than required', { requiredVerdicts: 3, ratings: ['TRUE', 'TRUE'] }, 'IN_REVIEW'],
    ['required verdicts, all equal', { requiredVerdicts: 2, ratings: ['FALSE', 'FALSE'] }, 'REVIEWED'],
    ['required verdicts, disagreeing', { requiredVerdicts: 2, ratings: ['FALSE', 'MISLEADING'] }, 'DISPUTED'],
    ['more verdicts than required, disagreeing', { requiredVerdicts: 1, ratings: ['TRUE', 'FALSE'], activeAssignments: 1 }, 'DISPUTED'],
    ['enough verdicts beat an active assignment', { requiredVerdicts: 1, ratings: ['TRUE'], activeAssignments: 2 }, 'REVIEWED'],
    ['published this round beats verdicts', { publishedThisRound: true, ratings: ['TRUE', 'FALSE'] }, 'PUBLISHED'],
    ['dismissed beats everything', { dismissed: true, publishedThisRound: true, activeAssignments: 1, ratings: ['TRUE'] }, 'DISMISSED'],
  ])('%s → %s', (_name, patch, expected) => {
    expect(deriveStatus(facts(patch))).toBe(expected);
  });
});

// The workflow table of docs/design.md, transcribed independently of src/domain/workflow.ts.
const TABLE: Record<Exclude<Action, 'createClaim' | 'withdrawAssignment' | 'cancelScheduledPublication'>, string[]> = {
  updateClaim: ['OPEN', 'IN_REVIEW', 'DISPUTED', 'REVIEWED'],
  assignClaim: ['OPEN', 'IN_REVIEW', 'DISPUTED', 'REVIEWED'],
  addEvidence: ['OPEN', 'IN_REVIEW', 'DISPUTED', 'REVIEWED'],
  submitVerdict: ['IN_REVIEW', 'DISPUTED', 'REVIEWED'],
  publishFactCheck: ['REVIEWED', 'DISPUTED', 'PUBLISHED'],
  dismissClaim: ['OPEN', 'IN_REVIEW', 'DISPUTED', 'REVIEWED', 'PUBLISHED'],
  reopenClaim: ['DISPUTED', 'REVIEWED', 'PUBLISHED', 'DISMISSED'],
  addClaimAppearance: ['OPEN', 'IN_REVIEW', 'DISPUTED', 'REVIEWED', 'PUBLISHED'],
  changeSpeaker: ['OPEN', 'IN_REVIEW', 'DISPUTED', 'REVIEWED', 'PUBLISHED'],
  setClaimTopics: ['OPEN', 'IN_REVIEW', 'DISPUTED', 'REVIEWED', 'PUBLISHED'],
};

describe('every row of the workflow table, allowed and refused', () => {
  for (const [action, allowed] of Object.entries(TABLE)) {
    for (const status of CLAIM_STATUSES) {
      const expectAllowed = allowed.includes(status);
      test(`${action} from ${status}: ${expectAllowed ? 'allowed' : 'CONFLICT'}`, () => {
        if (expectAllowed) {
          expect(() => assertActionAllowed(action as Action, status, null)).not.toThrow();
        } else {
          let error: unknown;
          try {
            assertActionAllowed(action as Action, status, null);
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).code).toBe('CONFLICT');
          expect((error as DomainError).message).toContain(status);
        }
      });
    }
  }

  test('withdrawAssignment is guarded by the assignment, not the claim status', () => {
    for (const status of CLAIM_STATUSES) expect(() => assertActionAllowed('withdrawAssignment', status, null)).not.toThrow();
  });

  test('who may act', () => {
    const editors = ['ADMIN', 'EDITOR'];
    for (const action of ['createClaim', 'updateClaim', 'assignClaim', 'withdrawAssignment', 'publishFactCheck', 'dismissClaim', 'reopenClaim'] as const) {
      expect([...allowedRoles[action]].sort()).toEqual(editors);
    }
    expect([...allowedRoles.addEvidence].sort()).toEqual(['ADMIN', 'EDITOR', 'REVIEWER']);
    expect(allowedRoles.submitVerdict).toEqual(['REVIEWER']);
    expect(needsActiveAssignment('addEvidence', 'REVIEWER')).toBe(true);
    expect(needsActiveAssignment('addEvidence', 'EDITOR')).toBe(false);
    expect(needsActiveAssignment('submitVerdict', 'REVIEWER')).toBe(true);
    expect([...allowedRoles.addClaimAppearance].sort()).toEqual(['ADMIN', 'EDITOR', 'REVIEWER']);
    expect(needsActiveAssignment('addClaimAppearance', 'REVIEWER')).toBe(true);
    expect(needsActiveAssignment('addClaimAppearance', 'EDITOR')).toBe(false);
    expect([...allowedRoles.setClaimTopics].sort()).toEqual(['ADMIN', 'EDITOR', 'REVIEWER']);
    expect(needsActiveAssignment('setClaimTopics', 'REVIEWER')).toBe(true);
    expect(needsActiveAssignment('setClaimTopics', 'EDITOR')).toBe(false);
  });
});

test('expectedVersion: absent or equal passes, stale is CONFLICT', () => {
  expect(() => assertExpectedVersion(undefined, 3)).not.toThrow();
  expect(() => assertExpectedVersion(null, 3)).not.toThrow();
  expect(() => assertExpectedVersion(3, 3)).not.toThrow();
  expect(() => assertExpectedVersion(2, 3)).toThrow(/version 2.*version 3/);
});

// docs/design.md, "Scheduled publication": what a claim allows while a publication is scheduled.
const WHILE_SCHEDULED: Record<Exclude<Action, 'createClaim'>, boolean> = {
  publishFactCheck: true,
  cancelScheduledPublication: true,
  dismissClaim: true,
  addClaimAppearance: true,
  setClaimTopics: true,
  changeSpeaker: true,
  updateClaim: false,
  assignClaim: false,
  withdrawAssignment: false,
  addEvidence: false,
  submitVerdict: false,
  reopenClaim: false,
};

describe('while a publication is scheduled', () => {
  const at = new Date('2031-02-03T04:05:06.789Z');
  for (const [action, allowed] of Object.entries(WHILE_SCHEDULED)) {
    test(`${action}: ${allowed ? 'allowed' : 'CONFLICT naming the schedule'}`, () => {
      // A scheduled claim is REVIEWED or DISPUTED (a first publication of a reviewed claim).
      for (const status of ['REVIEWED', 'DISPUTED'] as const) {
        if (allowed) expect(() => assertActionAllowed(action as Action, status, at)).not.toThrow();
        else {
          expect(() => assertActionAllowed(action as Action, status, at)).toThrow(DomainError);
          expect(() => assertActionAllowed(action as Action, status, at)).toThrow(
            `${action} is not allowed while a publication is scheduled for 2031-02-03T04:05:06.789Z (cancelScheduledPublication first)`,
          );
        }
      }
    });
  }
  test('cancelScheduledPublication with nothing scheduled is CONFLICT', () => {
    expect(() => assertActionAllowed('cancelScheduledPublication', 'REVIEWED', null)).toThrow('No publication of this claim is scheduled');
    expect([...allowedRoles.cancelScheduledPublication].sort()).toEqual(['ADMIN', 'EDITOR']);
  });
});
