import { READ_METHODS, type Feature } from '../feature.js';
import { EVERYONE } from '../viewer.js';

/** Published fact checks: for partners and the public, as GraphQL, a public page, ClaimReview JSON-LD and Google's claims:search. */
export const factChecksFeature = {
  name: 'fact-checks',
  nodeTypes: { FactCheck: EVERYONE }, // while public: `isPublicFactCheck`
  queries: ['factCheck', 'factChecks'],
  partnerReads: ['factCheck', 'factChecks'],
  mutations: ['publishFactCheck'],
  routes: [
    { path: /^\/fact-checks\/[^/]+\.jsonld$/, pattern: '/fact-checks/:id.jsonld', methods: READ_METHODS, envelope: 'plain' },
    { path: /^\/fact-checks\/[^/]+$/, pattern: '/fact-checks/:id', methods: READ_METHODS, envelope: 'page' },
    { path: /^\/v1alpha1\/claims:search$/, pattern: '/v1alpha1/claims:search', methods: READ_METHODS, envelope: 'google' },
  ],
} as const satisfies Feature;
