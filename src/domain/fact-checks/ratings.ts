/**
 * What ClaimReview and the other partner views say of a fact check's rating. They read the label
 * stored with the fact check when it was published (src/domain/rating-scale/), never the scale in
 * force now, so that a later change to the scale does not rewrite published fact checks.
 */
import type { Rating } from '../../model/enums.js';

/** The label a fact check was published with, as stored on fact_checks (and, as it was before, on corrections). */
export interface PublishedRating {
  rating: Rating;
  textualRating: string;
  /** null: a label that means UNPROVEN, which has no place on the scale. */
  ratingValue: number | null;
  bestRating: number;
  worstRating: number;
}

/** schema.org Rating: the desk's name; its value, best and worst only for labels with a place on the scale. */
export function reviewRating(published: PublishedRating): Record<string, unknown> {
  const rating: Record<string, unknown> = { '@type': 'Rating', alternateName: published.textualRating };
  if (published.ratingValue !== null)
    Object.assign(rating, { ratingValue: published.ratingValue, bestRating: published.bestRating, worstRating: published.worstRating });
  return rating;
}
