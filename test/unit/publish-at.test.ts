import { describe, expect, test } from 'vitest';
import { DomainError } from '../../src/domain/coded-errors.js';
import { MAX_SCHEDULE_AHEAD_DAYS, publicationTime } from '../../src/domain/scheduling/publish-at.js';

const now = new Date('2030-01-01T00:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('not refused');
};

describe('publishAt (docs/design.md, Scheduled publication), with the clock handed in', () => {
  test('null, now and the past mean now', () => {
    expect(publicationTime(null, now, false)).toBeNull();
    expect(publicationTime(undefined, now, false)).toBeNull();
    expect(publicationTime(now, now, false)).toBeNull();
    expect(publicationTime(new Date(now.getTime() - 1), now, false)).toBeNull();
    expect(publicationTime(new Date('1999-01-01T00:00:00Z'), now, false)).toBeNull();
  });

  test('a moment ahead, and exactly 90 days ahead, schedule', () => {
    expect(publicationTime(new Date(now.getTime() + 1), now, false)).toEqual(new Date(now.getTime() + 1));
    const limit = new Date(now.getTime() + MAX_SCHEDULE_AHEAD_DAYS * DAY);
    expect(publicationTime(limit, now, false)).toEqual(limit);
  });

  test('a millisecond past 90 days is BAD_USER_INPUT on publishAt', () => {
    const error = refusal(() => publicationTime(new Date(now.getTime() + 90 * DAY + 1), now, false));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.field).toBe('publishAt');
    expect(error.message).toContain('90 days');
  });

  test('a claim published before (a fact check row) cannot be scheduled, nor given a publishAt at all', () => {
    for (const at of [new Date(now.getTime() + DAY), new Date(now.getTime() - DAY)]) {
      const error = refusal(() => publicationTime(at, now, true));
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.field).toBe('publishAt');
    }
    expect(publicationTime(null, now, true)).toBeNull();
  });

  test('any offset is the same instant', () => {
    const plusTwo = new Date('2030-01-01T05:00:00+02:00');
    expect(publicationTime(plusTwo, now, false)!.toISOString()).toBe('2030-01-01T03:00:00.000Z');
  });
});
