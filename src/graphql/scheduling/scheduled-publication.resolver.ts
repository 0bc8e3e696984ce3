import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { ClaimRecord, ScheduledPublicationRow } from '../../domain/records.js';
import { factCheckUrl } from '../../domain/fact-checks/schema-org-claim-review.js';
import { fromGlobalId, toGlobalId } from '../../domain/global-ids.js';
import { cancelScheduledPublication } from '../../domain/scheduling/schedule.js';
import { User } from '../access/user.type.js';
import { Claim } from '../claims/claim.type.js';
import { loaded } from '../core/loaded.js';
import type { Context } from '../core/resolver-context.js';
import { URLScalar } from '../core/scalars.js';
import { CancelScheduledPublicationInput } from './scheduled-publication.inputs.js';
import { CancelScheduledPublicationPayload } from './scheduled-publication.payloads.js';
import { ScheduledPublication } from './scheduled-publication.type.js';

@Resolver(() => ScheduledPublication)
export class ScheduledPublicationResolver {
  @FieldResolver(() => ID, {
    description: "The fact check's ID, fixed when scheduled (factCheck(id:) and node(id:) answer null, for every role, until publishAt).",
  })
  factCheckId(@Root() schedule: ScheduledPublicationRow) {
    return toGlobalId('FactCheck', schedule.factCheckId);
  }

  @FieldResolver(() => URLScalar, { description: 'Its public page, fixed when scheduled (404 until publishAt).' })
  url(@Root() schedule: ScheduledPublicationRow, @Ctx() ctx: Context) {
    return factCheckUrl(ctx.site, toGlobalId('FactCheck', schedule.factCheckId));
  }

  @FieldResolver(() => User, { description: 'Who scheduled it.' })
  async scheduledBy(@Root() schedule: ScheduledPublicationRow, @Ctx() ctx: Context) {
    return loaded(await ctx.loaders.user.load(schedule.scheduledBy), 'scheduler');
  }

  @Mutation(() => CancelScheduledPublicationPayload, { description: 'Cancel a scheduled publication (editors).' })
  async cancelScheduledPublication(
    @Arg('input', { description: 'What to do; see CancelScheduledPublicationInput.' }) input: CancelScheduledPublicationInput,
    @Ctx() ctx: Context,
  ) {
    const claim = await cancelScheduledPublication(ctx.db, ctx.viewer, { ...input, claimId: fromGlobalId(input.claimId, 'Claim', 'claimId') });
    return { claim };
  }
}

/** Claim.scheduledPublication: staff read claims only, so nothing narrows it further. */
@Resolver(() => Claim)
export class ClaimScheduledPublicationResolver {
  @FieldResolver(() => ScheduledPublication, { nullable: true, description: 'The publication waiting for its time, if one is scheduled.' })
  scheduledPublication(@Root() claim: ClaimRecord, @Ctx() ctx: Context) {
    return ctx.loaders.scheduledPublicationByClaim.load(claim.id);
  }
}
