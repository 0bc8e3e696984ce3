import type { Feature } from '../feature.js';

/**
 * Scheduled publication: publishFactCheck with publishAt (declared by fact-checks) schedules, the
 * release job publishes, this cancels; Claim.scheduledPublication shows it to staff.
 */
export const schedulingFeature = {
  name: 'scheduling',
  mutations: ['cancelScheduledPublication'],
} as const satisfies Feature;
