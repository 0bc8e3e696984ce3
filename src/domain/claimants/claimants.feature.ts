import { READ_METHODS, type Feature } from '../feature.js';
import { EVERYONE } from '../viewer.js';

/** Who said it: the people and organisations that make claims, their record and public page. */
export const claimantsFeature = {
  name: 'claimants',
  nodeTypes: { Claimant: EVERYONE }, // Claimant.claims is staff only (claimant.resolver.ts)
  queries: ['claimant', 'claimants'],
  partnerReads: ['claimant', 'claimants'],
  mutations: ['createClaimant', 'updateClaimant', 'mergeClaimants'],
  routes: [
    { path: /^\/claimants\/[^/]+\.jsonld$/, pattern: '/claimants/:id.jsonld', methods: READ_METHODS, envelope: 'plain' },
    { path: /^\/claimants\/[^/]+$/, pattern: '/claimants/:id', methods: READ_METHODS, envelope: 'page' },
  ],
} as const satisfies Feature;
