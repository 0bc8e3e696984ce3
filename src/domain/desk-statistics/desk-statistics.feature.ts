import type { Feature } from '../feature.js';

/** The desk's figures over a window: throughput, durations, workload. */
export const deskStatisticsFeature = {
  name: 'desk-statistics',
  queries: ['deskStatistics'],
} as const satisfies Feature;
