import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { FactCheckRecord } from '../../domain/records.js';
import { publishFactCheck } from '../../domain/claims/editorial.js';
import { getFactCheck, listFactChecks } from '../../domain/fact-checks/queries.js';
import { claimReviewOf, speakerOfClaim } from '../../domain/fact-checks/claim-review-of.js';
import { factCheckUrl } from '../../domain/fact-checks/schema-org-claim-review.js';
import { fromGlobalId, fromGlobalIds, toGlobalId } from '../../domain/global-ids.js';
import { currentLabel } from '../../domain/rating-scale/store.js';
import { Article } from '../articles/article.type.js';
import { ClaimAppearance } from '../claims/claim.type.js';
import { toConnection } from '../core/connection.type.js';
import { loaded } from '../core/loaded.js';
import { PageArgs } from '../core/page.args.js';
import type { Context } from '../core/resolver-context.js';
import { JSONObjectScalar, URLScalar } from '../core/scalars.js';
import { Claimant } from '../claimants/claimant.type.js';
import { RatingLabel } from '../rating-scale/rating-scale.type.js';
import { FactCheckFilter, PublishFactCheckInput } from './fact-check.inputs.js';
import { PublishFactCheckPayload } from './fact-check.payloads.js';
import { Correction, FactCheck, FactCheckConnection } from './fact-check.type.js';

@Resolver(() => FactCheck)
export class FactCheckResolver {
  @FieldResolver(() => ID, { description: 'Globally unique, opaque identifier (a Node ID).' })
  id(@Root() factCheck: FactCheckRecord) {
    return toGlobalId('FactCheck', factCheck.id);
  }

  @Query(() => FactCheck, { nullable: true, description: 'One published fact check.' })
  async factCheck(@Arg('id', () => ID, { description: "The fact check's global ID." }) id: string, @Ctx() ctx: Context) {
    return getFactCheck(ctx.db, ctx.loaders, ctx.viewer, fromGlobalId(id, 'FactCheck', 'id'));
  }

  @Query(() => FactCheckConnection, { description: 'Published fact checks; newest first, or by relevance when searching.' })
  async factChecks(
    @Ctx() ctx: Context,
    @Arg('filter', () => FactCheckFilter, { nullable: true, description: 'Narrows the list (all conditions hold); with `search`, ranked by relevance.' })
    filter: FactCheckFilter | null | undefined,
    @Args() page: PageArgs,
  ) {
    const speakerId = filter?.speakerId == null ? filter?.speakerId : fromGlobalId(filter.speakerId, 'Claimant', 'filter.speakerId');
    const topicIds = filter?.topicIds && fromGlobalIds(filter.topicIds, 'Topic', 'filter.topicIds');
    return toConnection(await listFactChecks(ctx.db, ctx.viewer, { ...page, filter: filter && { ...filter, speakerId, topicIds } }));
  }

  @FieldResolver(() => Article, { description: 'The source the claim appeared in.' })
  async article(@Root() factCheck: FactCheckRecord, @Ctx() ctx: Context) {
    return loaded(await ctx.loaders.article.load(factCheck.articleId), 'article');
  }

  @FieldResolver(() => [Correction], { description: 'Corrections, oldest first.' })
  corrections(@Root() factCheck: FactCheckRecord, @Ctx() ctx: Context) {
    return ctx.loaders.correctionsByFactCheck.load(factCheck.id);
  }

  @FieldResolver(() => RatingLabel, {
    nullable: true,
    description: "The label of the desk's rating scale it was published with; null if published with a plain rating.",
  })
  async ratingLabel(@Root() factCheck: FactCheckRecord, @Ctx() ctx: Context) {
    // As the scale has it now (its names may have changed since); textualRating is what was published.
    // A plain rating took the scale's first label for it, but no label was chosen: null.
    return factCheck.ratingLabelChosen ? currentLabel(ctx.loaders, factCheck.ratingLabelKey) : null;
  }

  @FieldResolver(() => [ClaimAppearance], { description: 'Other places where the claim was made or repeated, in the order of Claim.appearances.' })
  appearances(@Root() factCheck: FactCheckRecord, @Ctx() ctx: Context) {
    return ctx.loaders.appearancesByClaim.load(factCheck.claimId);
  }

  @FieldResolver(() => JSONObjectScalar, { description: 'The fact check as schema.org ClaimReview JSON-LD.' })
  async claimReview(@Root() factCheck: FactCheckRecord, @Ctx() ctx: Context) {
    const article = loaded(await ctx.loaders.article.load(factCheck.articleId), 'article');
    return claimReviewOf(ctx.loaders, ctx.site, factCheck, toGlobalId('FactCheck', factCheck.id), article);
  }

  @FieldResolver(() => Claimant, { nullable: true, description: 'The claimant as an entity, if the desk linked one.' })
  speaker(@Root() factCheck: FactCheckRecord, @Ctx() ctx: Context) {
    return speakerOfClaim(ctx.loaders, factCheck.claimId);
  }

  @FieldResolver(() => URLScalar, { description: 'Public page: PUBLIC_BASE_URL/fact-checks/<id>.' })
  url(@Root() factCheck: FactCheckRecord, @Ctx() ctx: Context) {
    return factCheckUrl(ctx.site, toGlobalId('FactCheck', factCheck.id));
  }

  @Mutation(() => PublishFactCheckPayload, { description: 'Publish, or republish with a correction, the fact check of a claim (editors).' })
  async publishFactCheck(@Arg('input', { description: 'What to do; see PublishFactCheckInput.' }) input: PublishFactCheckInput, @Ctx() ctx: Context) {
    return publishFactCheck(ctx.db, ctx.viewer, { ...input, claimId: fromGlobalId(input.claimId, 'Claim', 'claimId') });
  }
}
