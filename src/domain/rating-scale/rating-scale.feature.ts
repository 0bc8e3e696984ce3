import type { Feature } from '../feature.js';

/** The desk's own rating scale, its labels and their names per language. */
export const ratingScaleFeature = {
  name: 'rating-scale',
  queries: ['ratingScale'],
  mutations: ['setRatingScale'],
} as const satisfies Feature;
