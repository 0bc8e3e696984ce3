import type { Feature } from '../feature.js';

/** Every change to a published fact check, in commit order, for partners that poll. */
export const changeFeedFeature = {
  name: 'change-feed',
  queries: ['factCheckChanges'],
  partnerReads: ['factCheckChanges'],
} as const satisfies Feature;
