import type { Feature } from '../feature.js';

/** node(id): any object by its global ID (each type's rule: visibility.ts and nodes.ts). */
export const nodesFeature = {
  name: 'nodes',
  queries: ['node'],
} as const satisfies Feature;
