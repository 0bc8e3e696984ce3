import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { FactCheckRow } from '../db/schema.js';
import { buildClaimReview } from '../domain/fact-checks/schema-org-claim-review.js';
import { publishFactCheck } from '../domain/claims/editorial.js';
import { getFactCheck, listFactChecks } from '../domain/fact-checks/queries.js';
import type { Context } from './context.js';
import { toConnection } from './connection.js';
import { fromGlobalId, toGlobalId } from '../domain/global-ids.js';
import { FactCheckFilter, PublishFactCheckInput } from './inputs.js';
import { loaded } from './loaded.js';
import { PageArgs } from './page-args.js';
import { PublishFactCheckPayload } from './payloads.js';
import { JSONObjectScalar } from './scalars.js';
import { Article, Correction, FactCheck, FactCheckConnection } from './types.js';

@Resolver(() => FactCheck)
export class FactCheckResolver {
  @FieldResolver(() => ID, { description: 'Globally unique, opaque identifier (a Node ID).' })
  id(@Root() factCheck: FactCheckRow) {
    return toGlobalId('FactCheck', factCheck.id);
  }

  @Query(() => FactCheck, { nullable: true, description: 'One published fact check.' })
  async factCheck(@Arg('id', () => ID, { description: 'The fact check\'s global ID.' }) id: string, @Ctx() ctx: Context) {
    return getFactCheck(ctx.db, ctx.loaders, ctx.viewer, fromGlobalId(id, 'FactCheck', 'id'));
  }

  @Query(() => FactCheckConnection, { description: 'Published fact checks; newest first, or by relevance when searching.' })
  async factChecks(
    @Ctx() ctx: Context,
    @Arg('filter', () => FactCheckFilter, { nullable: true, description: 'Narrows the list (all conditions hold); with `search`, ranked by relevance.' }) filter: FactCheckFilter | null | undefined,
    @Args() page: PageArgs,
  ) {
    return toConnection(await listFactChecks(ctx.db, ctx.viewer, { ...page, filter }));
  }

  @FieldResolver(() => Article, { description: 'The source the claim appeared in.' })
  async article(@Root() factCheck: FactCheckRow, @Ctx() ctx: Context) {
    return loaded(await ctx.loaders.article.load(factCheck.articleId), 'article');
  }

  @FieldResolver(() => [Correction], { description: 'Corrections, oldest first.' })
  corrections(@Root() factCheck: FactCheckRow, @Ctx() ctx: Context) {
    return ctx.loaders.correctionsByFactCheck.load(factCheck.id);
  }

  @FieldResolver(() => JSONObjectScalar, { description: 'The fact check as schema.org ClaimReview JSON-LD.' })
  async claimReview(@Root() factCheck: FactCheckRow, @Ctx() ctx: Context) {
    const article = loaded(await ctx.loaders.article.load(factCheck.articleId), 'article');
    return buildClaimReview(ctx.site, { ...factCheck, rating: factCheck.rating, publicId: toGlobalId('FactCheck', factCheck.id), article });
  }

  @Mutation(() => PublishFactCheckPayload, { description: 'Publish, or republish with a correction, the fact check of a claim (editors).' })
  async publishFactCheck(@Arg('input', { description: 'What to do; see PublishFactCheckInput.' }) input: PublishFactCheckInput, @Ctx() ctx: Context) {
    return publishFactCheck(ctx.db, ctx.viewer, { ...input, claimId: fromGlobalId(input.claimId, 'Claim', 'claimId') });
  }
}
