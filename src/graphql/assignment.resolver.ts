/** Assignments, evidence and verdicts: the reviewer's side of a claim. */
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { AssignmentRow, EvidenceRow, VerdictRow } from '../db/schema.js';
import { listMyAssignments } from '../domain/claims/queries.js';
import { addEvidence, assignClaim, submitVerdict, withdrawAssignment } from '../domain/claims/reviewer-actions.js';
import type { Context } from './context.js';
import { toConnection } from './connection.js';
import { AssignmentState } from './enums.js';
import { fromGlobalId, fromGlobalIds, toGlobalId } from '../domain/global-ids.js';
import { AddEvidenceInput, AssignClaimInput, SubmitVerdictInput, WithdrawAssignmentInput } from './inputs.js';
import { loaded } from './loaded.js';
import { PageArgs } from './page-args.js';
import { AddEvidencePayload, AssignClaimPayload, SubmitVerdictPayload, WithdrawAssignmentPayload } from './payloads.js';
import { Assignment, AssignmentConnection, Claim, Evidence, User, Verdict } from './types.js';

@Resolver(() => Assignment)
export class AssignmentResolver {
  @FieldResolver(() => ID)
  id(@Root() assignment: AssignmentRow) {
    return toGlobalId('Assignment', assignment.id);
  }

  @FieldResolver(() => Claim, { description: 'The claim to review.' })
  async claim(@Root() assignment: AssignmentRow, @Ctx() ctx: Context) {
    return loaded(await ctx.loaders.claim.load(assignment.claimId), 'claim');
  }

  @FieldResolver(() => User, { description: 'The reviewer.' })
  async reviewer(@Root() assignment: AssignmentRow, @Ctx() ctx: Context) {
    return loaded(await ctx.loaders.user.load(assignment.reviewerId), 'reviewer');
  }

  @FieldResolver(() => User, { description: 'The editor who assigned it.' })
  async assignedBy(@Root() assignment: AssignmentRow, @Ctx() ctx: Context) {
    return loaded(await ctx.loaders.user.load(assignment.assignedBy), 'assigner');
  }

  @Query(() => AssignmentConnection, { description: "The viewer's assignments, soonest due first (reviewers)." })
  async myAssignments(
    @Ctx() ctx: Context,
    @Arg('state', () => AssignmentState, { nullable: true, defaultValue: 'ACTIVE' }) state: AssignmentState | null | undefined,
    @Args() page: PageArgs,
  ) {
    return toConnection(await listMyAssignments(ctx.db, ctx.viewer, { ...page, state }));
  }

  @Mutation(() => AssignClaimPayload, { description: 'Assign reviewers to a claim (editors).' })
  async assignClaim(@Arg('input') input: AssignClaimInput, @Ctx() ctx: Context) {
    return assignClaim(ctx.db, ctx.viewer, {
      claimId: fromGlobalId(input.claimId, 'Claim', 'claimId'),
      reviewerIds: fromGlobalIds(input.reviewerIds, 'User', 'reviewerIds'),
      dueAt: input.dueAt,
    });
  }

  @Mutation(() => WithdrawAssignmentPayload, { description: 'Withdraw an active assignment (editors).' })
  async withdrawAssignment(@Arg('input') input: WithdrawAssignmentInput, @Ctx() ctx: Context) {
    const { assignment, claim } = await withdrawAssignment(ctx.db, ctx.viewer, fromGlobalId(input.assignmentId, 'Assignment', 'assignmentId'));
    ctx.loaders.claim.prime(claim.id, claim); // committed: the payload should not need the database again
    return { assignment };
  }
}

@Resolver(() => Evidence)
export class EvidenceResolver {
  @FieldResolver(() => ID)
  id(@Root() evidence: EvidenceRow) {
    return toGlobalId('Evidence', evidence.id);
  }

  @FieldResolver(() => Claim, { description: 'The claim it bears on.' })
  async claim(@Root() evidence: EvidenceRow, @Ctx() ctx: Context) {
    return loaded(await ctx.loaders.claim.load(evidence.claimId), 'claim');
  }

  @FieldResolver(() => User, { description: 'Who added it.' })
  async addedBy(@Root() evidence: EvidenceRow, @Ctx() ctx: Context) {
    return loaded(await ctx.loaders.user.load(evidence.addedBy), 'author of evidence');
  }

  @Mutation(() => AddEvidencePayload, { description: 'Add evidence to a claim (editors, and reviewers assigned to it).' })
  async addEvidence(@Arg('input') input: AddEvidenceInput, @Ctx() ctx: Context) {
    const { evidence, claim } = await addEvidence(ctx.db, ctx.viewer, { ...input, claimId: fromGlobalId(input.claimId, 'Claim', 'claimId') });
    ctx.loaders.claim.prime(claim.id, claim); // committed: the payload should not need the database again
    return { evidence };
  }
}

@Resolver(() => Verdict)
export class VerdictResolver {
  @FieldResolver(() => ID)
  id(@Root() verdict: VerdictRow) {
    return toGlobalId('Verdict', verdict.id);
  }

  @FieldResolver(() => Claim, { description: 'The claim judged.' })
  async claim(@Root() verdict: VerdictRow, @Ctx() ctx: Context) {
    return loaded(await ctx.loaders.claim.load(verdict.claimId), 'claim');
  }

  @FieldResolver(() => User, { description: 'The reviewer.' })
  async reviewer(@Root() verdict: VerdictRow, @Ctx() ctx: Context) {
    return loaded(await ctx.loaders.user.load(verdict.reviewerId), 'reviewer');
  }

  @FieldResolver(() => [Evidence], { description: 'Evidence the reviewer relied on.' })
  citedEvidence(@Root() verdict: VerdictRow, @Ctx() ctx: Context) {
    return ctx.loaders.citedEvidenceByVerdict.load(verdict.id);
  }

  @Mutation(() => SubmitVerdictPayload, { description: "Submit the viewer's verdict on a claim assigned to them (reviewers)." })
  async submitVerdict(@Arg('input') input: SubmitVerdictInput, @Ctx() ctx: Context) {
    return submitVerdict(ctx.db, ctx.viewer, {
      ...input,
      claimId: fromGlobalId(input.claimId, 'Claim', 'claimId'),
      evidenceIds: fromGlobalIds(input.evidenceIds ?? [], 'Evidence', 'evidenceIds'),
    });
  }
}
