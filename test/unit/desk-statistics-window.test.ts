import { describe, expect, test } from 'vitest';
import { DomainError } from '../../src/domain/coded-errors.js';
import { DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS, statisticsWindow } from '../../src/domain/desk-statistics/window.js';

const DAY = 86_400_000;
const now = new Date('2026-06-15T12:00:00.000Z');
const refusal = (input: Parameters<typeof statisticsWindow>[0]) => {
  try {
    statisticsWindow(input, now);
  } catch (error) {
    return error instanceof DomainError ? { code: error.code, field: error.field } : error;
  }
  return null;
};

describe('statisticsWindow', () => {
  test('defaults: to is now, from 30 days before to', () => {
    expect(DEFAULT_WINDOW_DAYS).toBe(30);
    expect(statisticsWindow({}, now)).toEqual({ from: new Date(now.getTime() - 30 * DAY), to: now });
    const to = new Date('2021-03-31T00:00:00Z');
    expect(statisticsWindow({ to }, now)).toEqual({ from: new Date('2021-03-01T00:00:00Z'), to });
    const from = new Date('2026-06-01T00:00:00Z');
    expect(statisticsWindow({ from, to: null }, now)).toEqual({ from, to: now });
  });

  test('five years, leap days included, and not a millisecond more', () => {
    expect(MAX_WINDOW_DAYS).toBe(1_827); // 2024-01-01 to 2029-01-01 holds two leap days
    const from = new Date('2024-01-01T00:00:00Z');
    expect(statisticsWindow({ from, to: new Date('2029-01-01T00:00:00Z') }, now).from).toEqual(from);
    expect(refusal({ from, to: new Date(Date.parse('2029-01-01T00:00:00Z') + 1) })).toEqual({ code: 'BAD_USER_INPUT', field: 'from' });
  });

  test('from must come before to', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    expect(refusal({ from: at, to: at })).toEqual({ code: 'BAD_USER_INPUT', field: 'from' });
    expect(refusal({ from: new Date(at.getTime() + 1), to: at })).toEqual({ code: 'BAD_USER_INPUT', field: 'from' });
    expect(refusal({ from: new Date(now.getTime() + 1) })).toEqual({ code: 'BAD_USER_INPUT', field: 'from' });
    expect(statisticsWindow({ from: new Date(at.getTime() - 1), to: at }, now).to).toEqual(at);
  });

  test('dates Postgres cannot store are refused, naming their field', () => {
    expect(refusal({ from: new Date(Number.NaN) })).toEqual({ code: 'BAD_USER_INPUT', field: 'from' });
    expect(refusal({ to: new Date('+010000-01-01T00:00:00Z') })).toEqual({ code: 'BAD_USER_INPUT', field: 'to' });
    // 30 days before 0001-01-15 is in the year 0, which Postgres does not have.
    expect(refusal({ to: new Date('0001-01-15T00:00:00Z') })).toEqual({ code: 'BAD_USER_INPUT', field: 'to' });
  });
});
