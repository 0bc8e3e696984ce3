import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { AssignmentRecord } from '../../domain/records.js';
import { listMyAssignments } from '../../domain/claims/queries.js';
import { assignClaim, withdrawAssignment } from '../../domain/claims/reviewer-actions.js';
import { fromGlobalId, fromGlobalIds, toGlobalId } from '../../domain/global-ids.js';
import { toConnection } from '../core/connection.type.js';
import { AssignmentState } from '../core/enums.js';
import { loaded } from '../core/loaded.js';
import { PageArgs } from '../core/page.args.js';
import type { Context } from '../core/resolver-context.js';
import { User } from '../access/user.type.js';
import { AssignClaimInput, WithdrawAssignmentInput } from './assignment.inputs.js';
import { AssignClaimPayload, WithdrawAssignmentPayload } from './assignment.payloads.js';
import { Assignment, AssignmentConnection } from './assignment.type.js';
import { Claim } from './claim.type.js';

@Resolver(() => Assignment)
export class AssignmentResolver {
  @FieldResolver(() => ID, { description: 'Globally unique, opaque identifier (a Node ID).' })
  id(@Root() assignment: AssignmentRecord) {
    return toGlobalId('Assignment', assignment.id);
  }

  @FieldResolver(() => Claim, { description: 'The claim to review.' })
  async claim(@Root() assignment: AssignmentRecord, @Ctx() ctx: Context) {
    return loaded(await ctx.loaders.claim.load(assignment.claimId), 'claim');
  }

  @FieldResolver(() => User, { description: 'The reviewer.' })
  reviewer(@Root() assignment: AssignmentRecord, @Ctx() ctx: Context) {
    return assignment.fetched?.reviewer ?? ctx.loaders.user.load(assignment.reviewerId).then((user) => loaded(user, 'reviewer'));
  }

  @FieldResolver(() => User, { description: 'The editor who assigned it.' })
  assignedBy(@Root() assignment: AssignmentRecord, @Ctx() ctx: Context) {
    return assignment.fetched?.assignedBy ?? ctx.loaders.user.load(assignment.assignedBy).then((user) => loaded(user, 'assigner'));
  }

  @Query(() => AssignmentConnection, { description: "The viewer's assignments, soonest due first (reviewers)." })
  async myAssignments(
    @Ctx() ctx: Context,
    @Arg('state', () => AssignmentState, { nullable: true, defaultValue: 'ACTIVE', description: 'Only assignments in this state (null: every state).' })
    state: AssignmentState | null | undefined,
    @Args() page: PageArgs,
  ) {
    return toConnection(await listMyAssignments(ctx.db, ctx.viewer, { ...page, state }));
  }

  @Mutation(() => AssignClaimPayload, { description: 'Assign reviewers to a claim (editors).' })
  async assignClaim(@Arg('input', { description: 'What to do; see AssignClaimInput.' }) input: AssignClaimInput, @Ctx() ctx: Context) {
    return assignClaim(ctx.db, ctx.viewer, {
      claimId: fromGlobalId(input.claimId, 'Claim', 'claimId'),
      reviewerIds: fromGlobalIds(input.reviewerIds, 'User', 'reviewerIds'),
      dueAt: input.dueAt,
    });
  }

  @Mutation(() => WithdrawAssignmentPayload, { description: 'Withdraw an active assignment (editors).' })
  async withdrawAssignment(@Arg('input', { description: 'What to do; see WithdrawAssignmentInput.' }) input: WithdrawAssignmentInput, @Ctx() ctx: Context) {
    const { assignment, claim } = await withdrawAssignment(ctx.db, ctx.viewer, fromGlobalId(input.assignmentId, 'Assignment', 'assignmentId'));
    ctx.loaders.claim.prime(claim.id, claim); // committed: the payload should not need the database again
    return { assignment };
  }
}
