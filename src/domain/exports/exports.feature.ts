import { READ_METHODS, type Feature } from '../feature.js';

/** Streamed CSV exports of claims (staff) and fact checks (everyone). */
export const exportsFeature = {
  name: 'exports',
  routes: [{ path: /^\/exports\/(claims|fact-checks)\.csv$/, pattern: '/exports/:table.csv', methods: READ_METHODS, envelope: 'plain' }],
} as const satisfies Feature;
