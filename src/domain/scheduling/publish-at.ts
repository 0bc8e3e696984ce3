/** When a publication happens (publishFactCheck's publishAt; docs/design.md, "Scheduled publication"). Pure: the clock is handed in. */
import { badInput } from '../coded-errors.js';

/** How far ahead a publication may be scheduled. */
export const MAX_SCHEDULE_AHEAD_DAYS = 90;
const MAX_AHEAD_MS = MAX_SCHEDULE_AHEAD_DAYS * 24 * 60 * 60 * 1000;

/**
 * The instant to publish at, or null for now: null, or an instant not after `now`, is now. A
 * schedule is for a first publication only (`published`: the claim has a fact check row, retracted
 * or not) and at most 90 days ahead; otherwise BAD_USER_INPUT on publishAt.
 */
export function publicationTime(publishAt: Date | null | undefined, now: Date, published: boolean): Date | null {
  if (publishAt == null) return null;
  if (published) throw badInput('publishAt', 'publishAt is for a first publication only: a fact check was published for this claim before');
  if (publishAt.getTime() <= now.getTime()) return null;
  if (publishAt.getTime() - now.getTime() > MAX_AHEAD_MS) {
    throw badInput('publishAt', `publishAt must be at most ${MAX_SCHEDULE_AHEAD_DAYS} days ahead (${new Date(now.getTime() + MAX_AHEAD_MS).toISOString()})`);
  }
  return publishAt;
}
