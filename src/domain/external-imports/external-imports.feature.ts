import type { Feature } from '../feature.js';

/** Other publishers' fact checks brought in from their ClaimReview markup, and the rules that read their ratings. */
export const externalImportsFeature = {
  name: 'external-imports',
  queries: ['externalRatingRules'],
  mutations: ['importExternalFactChecks', 'setExternalRatingRules'],
  routes: [{ path: /^\/imports\/claim-reviews$/, pattern: '/imports/claim-reviews', methods: ['POST'], envelope: 'plain' }],
} as const satisfies Feature;
