import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { bulkAssignClaims, bulkDismissClaims, type BulkItemResult, type BulkResult } from '../../domain/claims/bulk.js';
import { fromGlobalIds } from '../../domain/global-ids.js';
import { loaded } from '../core/loaded.js';
import type { Context } from '../core/resolver-context.js';
import { BulkAssignClaimsInput, BulkDismissClaimsInput } from './bulk.inputs.js';
import { BulkClaimResult, BulkClaimsPayload } from './bulk.payloads.js';
import { Claim } from './claim.type.js';

/** The claims each item left behind are known: the payload's claim fields read no database. */
function primed(ctx: Context, result: BulkResult): BulkResult {
  for (const item of result.results) if (item.claim) ctx.loaders.claim.prime(item.claim.id, item.claim);
  return result;
}

@Resolver(() => BulkClaimResult)
export class BulkClaimResolver {
  @Mutation(() => BulkClaimsPayload, { description: 'Assign the same reviewers to several claims; each claim is its own action (editors).' })
  async bulkAssignClaims(@Arg('input', { description: 'What to do; see BulkAssignClaimsInput.' }) input: BulkAssignClaimsInput, @Ctx() ctx: Context) {
    const reviewerIds = fromGlobalIds(input.reviewerIds, 'User', 'reviewerIds');
    return primed(ctx, await bulkAssignClaims(ctx.db, ctx.viewer, { claimIds: input.claimIds, reviewerIds, dueAt: input.dueAt }, ctx.itemJournal));
  }

  @Mutation(() => BulkClaimsPayload, { description: 'Dismiss several claims with one reason; each claim is its own action (editors).' })
  async bulkDismissClaims(@Arg('input', { description: 'What to do; see BulkDismissClaimsInput.' }) input: BulkDismissClaimsInput, @Ctx() ctx: Context) {
    return primed(ctx, await bulkDismissClaims(ctx.db, ctx.viewer, { claimIds: input.claimIds, reason: input.reason }, ctx.itemJournal));
  }

  @FieldResolver(() => Claim, { nullable: true, description: 'The claim after the action; null when it failed.' })
  async claim(@Root() item: BulkItemResult, @Ctx() ctx: Context) {
    if (item.error || !item.rowId) return null;
    return item.claim ?? loaded(await ctx.loaders.claim.load(item.rowId), 'claim');
  }
}
