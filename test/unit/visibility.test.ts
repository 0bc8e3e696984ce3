/** The read rules of src/domain/visibility.ts, one viewer and row at a time (the matrix tests them through the API). */
import { describe, expect, test } from 'vitest';
import type { VerdictRow } from '../../src/db/schema.js';
import { DomainError } from '../../src/domain/coded-errors.js';
import type { Viewer } from '../../src/domain/viewer.js';
import { isPublicFactCheck, maySee, requireReader, visibleVerdicts } from '../../src/domain/visibility.js';
import { ROLES, type Role } from '../../src/model/enums.js';

const viewer = (role: Role, id = `${role.toLowerCase()}-id`): Viewer => ({ id, name: role, role });
const verdict = (id: string, reviewerId: string) => ({ id, reviewerId }) as VerdictRow;
const refusal = (run: () => unknown) => {
  try {
    run();
    return null;
  } catch (error) {
    return error instanceof DomainError ? error.code : String(error);
  }
};

describe('requireReader', () => {
  test.each<[string, Role[]]>([
    ['Article', ['ADMIN', 'EDITOR', 'REVIEWER']],
    ['Claim', ['ADMIN', 'EDITOR', 'REVIEWER']],
    ['ClaimEvent', ['ADMIN', 'EDITOR', 'REVIEWER']],
    ['User', ['ADMIN', 'EDITOR']],
    ['FactCheck', ['ADMIN', 'EDITOR', 'REVIEWER', 'PARTNER']],
  ])('%s: read by %j, FORBIDDEN to the others, UNAUTHENTICATED without a viewer', (kind, readers) => {
    for (const role of ROLES) expect(refusal(() => requireReader(viewer(role), kind as never))).toBe(readers.includes(role) ? null : 'FORBIDDEN');
    expect(refusal(() => requireReader(null, kind as never))).toBe('UNAUTHENTICATED');
  });
});

describe('maySee', () => {
  test('a user row: editors and admins see anyone, everyone else only themselves', () => {
    const other = { id: 'someone-else' };
    expect(ROLES.filter((role) => maySee(viewer(role), 'User', other))).toEqual(['ADMIN', 'EDITOR']);
    for (const role of ROLES) expect(maySee(viewer(role), 'User', { id: viewer(role).id })).toBe(true);
  });

  test('a fact check: everyone while it is not retracted, nobody once it is', () => {
    for (const role of ROLES) {
      expect(maySee(viewer(role), 'FactCheck', { retractedAt: null })).toBe(true);
      expect(maySee(viewer(role), 'FactCheck', { retractedAt: new Date() })).toBe(false);
    }
    expect(isPublicFactCheck({ retractedAt: new Date(0) })).toBe(false);
  });

  test('a verdict: blind review for reviewers, none for partners', () => {
    const other = verdict('v-other', 'co-reviewer');
    const round = [other];
    expect(maySee(viewer('EDITOR'), 'Verdict', { verdict: other, round })).toBe(true);
    expect(maySee(viewer('PARTNER'), 'Verdict', { verdict: other, round })).toBe(false);
    const me = viewer('REVIEWER');
    expect(maySee(me, 'Verdict', { verdict: other, round })).toBe(false);
    const own = verdict('v-own', me.id);
    expect(maySee(me, 'Verdict', { verdict: other, round: [other, own] })).toBe(true);
    expect(maySee(me, 'Verdict', { verdict: own, round: [other, own] })).toBe(true);
  });

  test('staff-only kinds by role alone', () => {
    for (const kind of ['Article', 'Claim', 'Assignment', 'Evidence'] as const) {
      expect(ROLES.filter((role) => maySee(viewer(role), kind, null))).toEqual(['ADMIN', 'EDITOR', 'REVIEWER']);
    }
  });
});

test('visibleVerdicts: all for editors, all for a reviewer who has submitted, else none', () => {
  const me = viewer('REVIEWER');
  const round = [verdict('a', 'co-reviewer'), verdict('b', 'another')];
  expect(visibleVerdicts(viewer('ADMIN'), round)).toBe(round);
  expect(visibleVerdicts(me, round)).toEqual([]);
  expect(visibleVerdicts(me, [...round, verdict('c', me.id)])).toHaveLength(3);
  expect(visibleVerdicts(viewer('PARTNER'), round)).toEqual([]);
});
