/** Claimant.record: a count of the desk's published fact checks of a claimant's claims, by rating. */
import type { Loaders } from '../../db/loaders.js';
import { RATINGS, type Rating } from '../../model/enums.js';

export const RECORD_METHOD =
  "Counts this desk's published fact checks of claims attributed to this claimant, by each fact check's current rating " +
  '(a corrected one counts under its rating after the correction; retracted ones are not counted). It reflects which of ' +
  "the claimant's statements the desk chose to check, not everything they said: it is not a measure of their honesty.";

export interface ClaimantRecord {
  factChecks: number;
  byRating: { rating: Rating; count: number }[];
  method: string;
}

export async function claimantRecord(loaders: Loaders, claimantId: string): Promise<ClaimantRecord> {
  const counts = await loaders.ratingCountsByClaimant.load(claimantId);
  const byRating = RATINGS.flatMap((rating) => {
    const count = counts.find((c) => c.rating === rating)?.count ?? 0;
    return count ? [{ rating, count }] : [];
  });
  return { factChecks: byRating.reduce((n, r) => n + r.count, 0), byRating, method: RECORD_METHOD };
}
