/**
 * The types of deskStatistics. Each description is the exact definition of its figure; the SQL is
 * src/domain/desk-statistics/statement.ts. The window is half-open: from ≤ t < to.
 */
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { ClaimStatus, Rating } from '../core/enums.js';
import { DateTimeScalar } from '../core/scalars.js';

@ObjectType({ simpleResolvers: true, description: 'Summary statistics of a duration.' })
export class DurationStats {
  @Field(() => Int, { description: 'How many durations were measured.' }) count!: number;
  @Field(() => Float, { description: 'Median, in seconds (percentile_cont(0.5): the mean of the two middle values when their number is even).' })
  medianSeconds!: number;
  @Field(() => Float, { description: '90th percentile, in seconds (percentile_cont(0.9): linear interpolation between the two nearest values).' })
  p90Seconds!: number;
}

@ObjectType({ simpleResolvers: true, description: 'How many claims have a status.' })
export class StatusCount {
  @Field(() => ClaimStatus, { description: 'The status.' }) status!: string;
  @Field(() => Int, { description: 'How many claims have it now.' }) count!: number;
}

@ObjectType({ simpleResolvers: true, description: 'How many fact checks have a rating.' })
export class RatingCount {
  @Field(() => Rating, { description: 'The rating.' }) rating!: string;
  @Field(() => Int, { description: 'How many fact checks first published in the window (including those since retracted) have it now.' }) count!: number;
}

@ObjectType({ simpleResolvers: true, description: "One reviewer's workload." })
export class ReviewerStatistics {
  // `reviewer` is a field resolver (desk-statistics.resolver.ts).
  @Field(() => Int, { description: 'Verdicts they owe now: their ACTIVE assignments, whatever the window.' }) activeAssignments!: number;
  @Field(() => Int, { description: 'Of those, past their due date now (dueAt before now; an assignment without dueAt is never overdue).' })
  overdueAssignments!: number;
  @Field(() => Int, { description: 'Verdicts they submitted in the window (submittedAt in the window).' }) verdictsSubmitted!: number;
  @Field(() => Float, {
    nullable: true,
    description:
      "Median time from assignment to their verdict, in seconds, over the window: percentile_cont(0.5) of (verdict's submittedAt − its assignment's assignedAt) over their verdicts submitted in the window; null without verdicts.",
  })
  medianSecondsToVerdict!: number | null;
}

@ObjectType({
  simpleResolvers: true,
  description: 'How the desk is doing over a window of time. The window is half-open (from ≤ t < to); "now" is when the request ran; durations are in seconds.',
})
export class DeskStatistics {
  @Field(() => DateTimeScalar, { description: 'Start of the window (inclusive).' }) from!: Date;
  @Field(() => DateTimeScalar, { description: 'End of the window (exclusive).' }) to!: Date;
  @Field(() => Int, { description: 'Claims created in the window (createdAt in the window), whatever their status now.' }) claimsCreated!: number;
  @Field(() => Int, {
    description:
      'Fact checks first published in the window, including those since retracted: a fact check counts once, in the window of its first publication; republishing it is a correction, not a publication.',
  })
  factChecksPublished!: number;
  @Field(() => Int, {
    description: 'Corrections published in the window (every republication of a fact check), including those of fact checks since retracted.',
  })
  correctionsPublished!: number;
  @Field(() => [StatusCount], { description: 'Claims by their status now (all claims, whatever the window): every status, in workflow order, zeros included.' })
  claimsByStatus!: StatusCount[];
  @Field(() => [RatingCount], {
    description:
      'Fact checks first published in the window (including those since retracted), by their rating now: every rating, in enum order, zeros included; the counts add up to factChecksPublished.',
  })
  factChecksByRating!: RatingCount[];
  @Field(() => DurationStats, {
    nullable: true,
    description:
      "From a claim's creation to its first publication, for fact checks first published in the window (including those since retracted): the fact check's first publishedAt − the claim's createdAt; null if none.",
  })
  timeToPublish!: DurationStats | null;
  @Field(() => DurationStats, {
    nullable: true,
    description: "From assignment to verdict, for verdicts submitted in the window: the verdict's submittedAt − its assignment's assignedAt; null if none.",
  })
  timeToVerdict!: DurationStats | null;
  @Field(() => Float, {
    nullable: true,
    description:
      "Of the review rounds that reached their required verdicts in the window, the share whose ratings disagreed (0..1); null if none. A round reaches them when its claim goes from IN_REVIEW to REVIEWED (all of the round's ratings equal) or to DISPUTED (not all equal), by the verdict that completes it or by lowering requiredVerdicts; this is read from the claims' history (ClaimEvent), so a window's rate does not change afterwards. A round needing one verdict counts, and agrees. A round reaching them again (after requiredVerdicts was raised) counts again.",
  })
  disagreementRate!: number | null;
  @Field(() => Int, { description: 'ACTIVE assignments past their due date now (dueAt before now), whatever the window.' }) overdueAssignments!: number;
  @Field(() => [ReviewerStatistics], {
    description:
      'Every reviewer with an assignment or verdict in the window (an assignment made in the window, an ACTIVE assignment now, or a verdict submitted in the window), most active assignments first, then most verdicts submitted, then by name.',
  })
  reviewers!: ReviewerStatistics[];
  @Field(() => Int, { description: 'Correction requests OPEN now (not yet accepted or declined), whatever the window.' })
  openCorrectionRequests!: number;
  @Field(() => Float, {
    nullable: true,
    description:
      'Median time to answer a correction request, in seconds, over the requests resolved in the window: percentile_cont(0.5) of (its resolvedAt − its createdAt); null if none was resolved in the window.',
  })
  medianSecondsToResolveCorrectionRequests!: number | null;
}
