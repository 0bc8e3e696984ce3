import { READ_METHODS, type Feature } from '../feature.js';

/** The public corrections log: every correction and retraction, as GraphQL, an HTML page and an Atom feed. */
export const correctionsFeature = {
  name: 'corrections',
  queries: ['corrections'],
  partnerReads: ['corrections'],
  routes: [
    { path: /^\/corrections\.atom$/, pattern: '/corrections.atom', methods: READ_METHODS, envelope: 'plain' },
    { path: /^\/corrections$/, pattern: '/corrections', methods: READ_METHODS, envelope: 'page' },
  ],
} as const satisfies Feature;
