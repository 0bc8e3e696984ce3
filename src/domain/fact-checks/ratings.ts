import type { Rating } from '../../model/enums.js';

/**
 * Numeric scale for schema.org Rating (1 = false … 5 = true). UNPROVEN has no place on it, so its
 * ClaimReview carries only the textual rating (Google accepts alternateName alone).
 */
export const RATING_VALUE: Record<Rating, number | null> = {
  TRUE: 5,
  MOSTLY_TRUE: 4,
  MIXED: 3,
  MISLEADING: 2,
  MOSTLY_FALSE: 2,
  FALSE: 1,
  UNPROVEN: null,
};

export const RATING_LABEL: Record<Rating, string> = {
  TRUE: 'True',
  MOSTLY_TRUE: 'Mostly true',
  MIXED: 'Mixed',
  MISLEADING: 'Misleading',
  MOSTLY_FALSE: 'Mostly false',
  FALSE: 'False',
  UNPROVEN: 'Unproven',
};
