/**
 * deskStatistics as one SQL statement: a cross join of one-row aggregates, so that every figure is
 * computed by Postgres (percentiles with percentile_cont) from one snapshot, in one round trip.
 * Lists come back as JSON text and are parsed here, which reads the same on postgres.js and PGlite.
 * The definitions of the figures are the descriptions in src/graphql/desk-statistics/desk-statistics.type.ts.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import { CLAIM_STATUSES, RATINGS, type ClaimStatus, type Rating } from '../../model/enums.js';
import type { StatisticsWindow } from './window.js';

export interface DurationFigures {
  count: number;
  medianSeconds: number;
  p90Seconds: number;
}

export interface ReviewerFigures {
  reviewerId: string;
  activeAssignments: number;
  overdueAssignments: number;
  verdictsSubmitted: number;
  medianSecondsToVerdict: number | null;
}

export interface DeskFigures {
  claimsCreated: number;
  factChecksPublished: number;
  correctionsPublished: number;
  claimsByStatus: { status: ClaimStatus; count: number }[];
  factChecksByRating: { rating: Rating; count: number }[];
  timeToPublish: DurationFigures | null;
  timeToVerdict: DurationFigures | null;
  disagreementRate: number | null;
  overdueAssignments: number;
  reviewers: ReviewerFigures[];
  openCorrectionRequests: number;
  medianSecondsToResolveCorrectionRequests: number | null;
}

const timestamp = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const literal = (value: string) => sql.raw(`'${value.replace(/'/g, "''")}'`);

/** json_build_object('A', count(*) filter (where column = 'A'), …) over a fixed list of enum values. */
const countsBy = (column: string, values: readonly string[]) =>
  sql`json_build_object(${sql.join(
    values.map((v) => sql`${literal(v)}, count(*) filter (where ${sql.raw(column)} = ${literal(v)})`),
    sql`, `,
  )})::text`;

/** {count, medianSeconds, p90Seconds} of `seconds`, or null when there are none. */
const durationOf = (seconds: SQL) => sql`case when count(*) = 0 then null else json_build_object(
  'count', count(*),
  'medianSeconds', percentile_cont(0.5) within group (order by ${seconds}),
  'p90Seconds', percentile_cont(0.9) within group (order by ${seconds})) end::text`;

export async function queryDeskFigures(db: Queryable, window: StatisticsWindow, now: Date): Promise<DeskFigures> {
  const from = timestamp(window.from);
  const to = timestamp(window.to);
  const inWindow = (column: string) => sql`${sql.raw(column)} >= ${from} and ${sql.raw(column)} < ${to}`;
  const overdue = sql`a.due_at < ${timestamp(now)}`;

  const source = sql`(
    -- Rows of other tables that a figure needs per row of the window are read by primary key in
    -- scalar subqueries: a join would let the planner hash the whole other table, which costs what
    -- the table holds instead of what the window holds.
    with window_verdicts as materialized (
      -- Read once, for timeToVerdict and the reviewers.
      select v.reviewer_id,
             extract(epoch from v.submitted_at - (select a.assigned_at from assignments a where a.id = v.assignment_id)) as seconds
        from verdicts v
       where ${inWindow('v.submitted_at')}
    )
    select * from
    (select count(*)::int as claims_created from claims c where ${inWindow('c.created_at')}) created,
    (select count(*)::int as corrections_published from corrections k where ${inWindow('k.at')}) corrected,
    (select ${countsBy('c.status', CLAIM_STATUSES)} as claims_by_status from claims c) statuses,
    (select count(*)::int as fact_checks_published,
            ${countsBy('f.rating', RATINGS)} as fact_checks_by_rating,
            ${durationOf(sql`f.seconds`)} as time_to_publish
       from (
         select f.rating, extract(epoch from f.published_at - (select c.created_at from claims c where c.id = f.claim_id)) as seconds
           from fact_checks f where ${inWindow('f.published_at')}
         offset 0 -- computed once per row, not once per use
       ) f) published,
    (select ${durationOf(sql`w.seconds`)} as time_to_verdict from window_verdicts w) verdicts_in_window,
    -- A round reaching its required verdicts is the event (a verdict, or lowering requiredVerdicts)
    -- that takes its claim from IN_REVIEW to REVIEWED (the ratings agree) or DISPUTED (they do not).
    (select (count(*) filter (where e.to_status = 'DISPUTED'))::float8 / nullif(count(*), 0) as disagreement_rate
       from claim_events e
      where e.from_status = 'IN_REVIEW' and e.to_status in ('REVIEWED', 'DISPUTED') and ${inWindow('e.at')}) rounds,
    (select coalesce(json_agg(json_build_object(
              'reviewerId', reviewer_id, 'activeAssignments', active, 'overdueAssignments', overdue,
              'verdictsSubmitted', submitted, 'medianSecondsToVerdict', median_seconds)
              order by active desc, submitted desc, name, reviewer_id), '[]')::text as reviewers,
            -- Every ACTIVE assignment's reviewer is in the list, so its overdue counts add up to the desk's.
            coalesce(sum(overdue), 0)::int as overdue_assignments
       from (
         select u.id as reviewer_id, u.name, open.active, open.overdue, coalesce(done.submitted, 0) as submitted, done.median_seconds
           from users u
           cross join lateral (
             select count(*)::int as active, (count(*) filter (where ${overdue}))::int as overdue
               from assignments a where a.reviewer_id = u.id and a.state = 'ACTIVE'
           ) open
           left join (
             select w.reviewer_id, count(*)::int as submitted, percentile_cont(0.5) within group (order by w.seconds) as median_seconds
               from window_verdicts w group by w.reviewer_id
           ) done on done.reviewer_id = u.id
          where open.active > 0 or done.submitted > 0
             or u.id in (select a.reviewer_id from assignments a where ${inWindow('a.assigned_at')})
       ) per_reviewer) workload,
    (select count(*)::int as open_correction_requests from correction_requests r where r.state = 'OPEN') open_requests,
    (select percentile_cont(0.5) within group (order by extract(epoch from r.resolved_at - r.created_at)) as median_seconds_to_resolve_requests
       from correction_requests r where ${inWindow('r.resolved_at')}) resolved_requests
  ) figures`;

  const [row] = await db
    .select({
      claimsCreated: sql<number>`figures.claims_created`.mapWith(Number),
      factChecksPublished: sql<number>`figures.fact_checks_published`.mapWith(Number),
      correctionsPublished: sql<number>`figures.corrections_published`.mapWith(Number),
      claimsByStatus: sql<string>`figures.claims_by_status`.mapWith(String),
      factChecksByRating: sql<string>`figures.fact_checks_by_rating`.mapWith(String),
      timeToPublish: sql<string | null>`figures.time_to_publish`,
      timeToVerdict: sql<string | null>`figures.time_to_verdict`,
      disagreementRate: sql<number | null>`figures.disagreement_rate`,
      overdueAssignments: sql<number>`figures.overdue_assignments`.mapWith(Number),
      reviewers: sql<string>`figures.reviewers`.mapWith(String),
      openCorrectionRequests: sql<number>`figures.open_correction_requests`.mapWith(Number),
      medianSecondsToResolveCorrectionRequests: sql<number | null>`figures.median_seconds_to_resolve_requests`,
    })
    .from(source);
  const figures = row!;
  const byStatus = JSON.parse(figures.claimsByStatus) as Record<ClaimStatus, number>;
  const byRating = JSON.parse(figures.factChecksByRating) as Record<Rating, number>;
  return {
    claimsCreated: figures.claimsCreated,
    factChecksPublished: figures.factChecksPublished,
    correctionsPublished: figures.correctionsPublished,
    claimsByStatus: CLAIM_STATUSES.map((status) => ({ status, count: byStatus[status] })),
    factChecksByRating: RATINGS.map((rating) => ({ rating, count: byRating[rating] })),
    timeToPublish: figures.timeToPublish == null ? null : (JSON.parse(figures.timeToPublish) as DurationFigures),
    timeToVerdict: figures.timeToVerdict == null ? null : (JSON.parse(figures.timeToVerdict) as DurationFigures),
    disagreementRate: figures.disagreementRate == null ? null : Number(figures.disagreementRate),
    overdueAssignments: figures.overdueAssignments,
    reviewers: JSON.parse(figures.reviewers) as ReviewerFigures[],
    openCorrectionRequests: figures.openCorrectionRequests,
    medianSecondsToResolveCorrectionRequests:
      figures.medianSecondsToResolveCorrectionRequests == null ? null : Number(figures.medianSecondsToResolveCorrectionRequests),
  };
}
