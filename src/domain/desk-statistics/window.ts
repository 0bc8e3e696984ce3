/** The window deskStatistics reports on: validated, with its defaults. Pure: no I/O. */
import { badInput } from '../coded-errors.js';
import { isStorableDate } from '../validation.js';

const DAY_MS = 86_400_000;
export const DEFAULT_WINDOW_DAYS = 30;
/** Five years of 365 days plus the leap days they can hold at most. */
export const MAX_WINDOW_DAYS = 5 * 365 + 2;

/** A half-open window of time: from (inclusive) to `to` (exclusive). */
export interface StatisticsWindow {
  from: Date;
  to: Date;
}

/**
 * `to` defaults to `now`, `from` to DEFAULT_WINDOW_DAYS before `to`. `from` must come before `to`,
 * at most MAX_WINDOW_DAYS earlier; both must be storable dates (years 1 to 9999).
 */
export function statisticsWindow(input: { from?: Date | null; to?: Date | null }, now: Date): StatisticsWindow {
  for (const field of ['from', 'to'] as const) {
    const value = input[field];
    if (value != null && !isStorableDate(value)) throw badInput(field, `${field} must be a valid date-time between the years 1 and 9999`);
  }
  const to = input.to ?? now;
  const from = input.from ?? new Date(to.getTime() - DEFAULT_WINDOW_DAYS * DAY_MS);
  if (!isStorableDate(from)) throw badInput('to', `to must be at least ${DEFAULT_WINDOW_DAYS} days after the start of the year 1 when from is omitted`);
  if (from.getTime() >= to.getTime()) throw badInput('from', `from must be before to (${to.toISOString()})`);
  if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY_MS) throw badInput('from', `from must be at most ${MAX_WINDOW_DAYS} days (5 years) before to`);
  return { from, to };
}
