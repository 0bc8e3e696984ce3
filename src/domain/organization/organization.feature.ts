import type { Feature } from '../feature.js';

/** The desk's organisation as readers see it: its profile and policies, also ClaimReview's author. */
export const organizationFeature = {
  name: 'organization',
  queries: ['organization'],
  partnerReads: ['organization'],
  mutations: ['setOrganization'],
} as const satisfies Feature;
