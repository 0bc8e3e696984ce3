/** Fuzzed operations on desk statistics (src/domain/desk-statistics/): the statistics over a window, with hostile and out-of-range bounds. */
import fc from 'fast-check';
import { EDITORS, EDITORS_MOSTLY, type Families } from '../fuzz/family.js';
import { dateTime } from '../hostile-input.js';

/** Desk-statistics families, keyed by root field. */
export const deskStatisticsFamilies = {
  deskStatistics: {
    weight: 1,
    document: `query($from: DateTime, $to: DateTime) { deskStatistics(from: $from, to: $to) { from to claimsCreated factChecksPublished correctionsPublished
      claimsByStatus { status count } factChecksByRating { rating count } timeToPublish { count medianSeconds p90Seconds }
      timeToVerdict { count medianSeconds p90Seconds } disagreementRate overdueAssignments
      reviewers { reviewer { id name } activeAssignments overdueAssignments verdictsSubmitted medianSecondsToVerdict }
      openCorrectionRequests medianSecondsToResolveCorrectionRequests } }`,
    roles: EDITORS,
    principal: EDITORS_MOSTLY,
    variables: fc.record({
      from: fc.oneof(
        fc.constant(undefined),
        dateTime,
        fc.integer({ min: 1, max: 400 }).map((days) => new Date(Date.now() - days * 86_400_000).toISOString()),
      ),
      to: fc.oneof(fc.constant(undefined), dateTime),
    }),
  },
} satisfies Families;
