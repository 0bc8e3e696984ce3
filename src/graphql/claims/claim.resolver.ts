import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ClaimRecord } from '../../domain/records.js';
import type { ClaimEventRow } from '../../domain/records.js';
import { addClaimAppearance } from '../../domain/claims/appearances.js';
import { createClaim } from '../../domain/claims/create.js';
import { DuplicateClaimError } from '../../domain/claims/duplicates.js';
import { dismissClaim, reopenClaim, updateClaim } from '../../domain/claims/editorial.js';
import { claimFactCheck, claimHistory, claimVerdicts, getClaim, listClaims } from '../../domain/claims/queries.js';
import { similarFactChecks } from '../../domain/fact-checks/queries.js';
import { fromGlobalId, fromGlobalIds, toGlobalId } from '../../domain/global-ids.js';
import { requireReader } from '../../domain/visibility.js';
import { Article, TextSpan } from '../articles/article.type.js';
import { Claimant } from '../claimants/claimant.type.js';
import { toConnection } from '../core/connection.type.js';
import { ClaimOrder } from '../core/enums.js';
import { loaded } from '../core/loaded.js';
import { PageArgs } from '../core/page.args.js';
import type { Context } from '../core/resolver-context.js';
import { FactCheck, SimilarFactCheck } from '../fact-checks/fact-check.type.js';
import { User } from '../access/user.type.js';
import { Assignment } from './assignment.type.js';
import { requestedClaimSelection } from './claim-page.lookahead.js';
import { AddClaimAppearanceInput, ClaimFilter, CreateClaimInput, DismissClaimInput, ReopenClaimInput, UpdateClaimInput } from './claim.inputs.js';
import { AddClaimAppearancePayload, CreateClaimPayload, DismissClaimPayload, ReopenClaimPayload, UpdateClaimPayload } from './claim.payloads.js';
import { Claim, ClaimAppearance, ClaimConnection, ClaimEvent } from './claim.type.js';
import { Evidence } from './evidence.type.js';
import { Verdict } from './verdict.type.js';

/** The domain names a duplicate's existing claim by row id; clients know it by its global ID. */
function namePublicly(error: unknown): never {
  throw error instanceof DuplicateClaimError ? error.withPublicId(toGlobalId('Claim', error.existingClaimId)) : error;
}

/** A speaker's row ID; null and undefined as given (updateClaim: null removes it, left out keeps it). */
const speakerIdOf = (speakerId: string | null | undefined) => (speakerId == null ? speakerId : fromGlobalId(speakerId, 'Claimant', 'speakerId'));

@Resolver(() => Claim)
export class ClaimResolver {
  @FieldResolver(() => ID, { description: 'Globally unique, opaque identifier (a Node ID).' })
  id(@Root() claim: ClaimRecord) {
    return toGlobalId('Claim', claim.id);
  }

  @Query(() => Claim, { nullable: true, description: 'One claim (staff only).' })
  async claim(@Arg('id', () => ID, { description: "The claim's global ID." }) id: string, @Ctx() ctx: Context) {
    return getClaim(ctx.loaders, ctx.viewer, fromGlobalId(id, 'Claim', 'id'));
  }

  @Query(() => ClaimConnection, { description: 'Claims matching a filter (staff only).' })
  async claims(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => ClaimFilter, { nullable: true, description: 'Narrows the list (all conditions hold).' }) filter: ClaimFilter | null | undefined,
    @Arg('orderBy', () => ClaimOrder, { nullable: true, defaultValue: 'CREATED_AT_DESC', description: 'Order of the list.' })
    orderBy: ClaimOrder | null | undefined,
    @Args() page: PageArgs,
  ) {
    requireReader(ctx.viewer, 'Claim'); // before the filter's IDs are decoded
    const domainFilter = filter && {
      ...filter,
      articleId: filter.articleId ? fromGlobalId(filter.articleId, 'Article', 'filter.articleId') : null,
      reviewerId: filter.reviewerId ? fromGlobalId(filter.reviewerId, 'User', 'filter.reviewerId') : null,
    };
    return toConnection(await listClaims(ctx.db, ctx.viewer, { ...page, filter: domainFilter, orderBy }, requestedClaimSelection(info)));
  }

  @FieldResolver(() => Article, { description: 'The article the claim was taken from.' })
  article(@Root() claim: ClaimRecord, @Ctx() ctx: Context) {
    return claim.fetched?.article ?? ctx.loaders.article.load(claim.articleId).then((article) => loaded(article, 'article'));
  }

  @FieldResolver(() => TextSpan, { description: 'Where the quote stands in the article body.' })
  span(@Root() claim: ClaimRecord) {
    return { start: claim.spanStart, end: claim.spanEnd };
  }

  @FieldResolver(() => User, { description: 'Who created the claim.' })
  createdBy(@Root() claim: ClaimRecord, @Ctx() ctx: Context) {
    return claim.fetched?.createdBy ?? ctx.loaders.user.load(claim.createdBy).then((user) => loaded(user, 'creator'));
  }

  @FieldResolver(() => [Assignment], { description: 'Reviewer assignments, oldest first.' })
  assignments(@Root() claim: ClaimRecord, @Ctx() ctx: Context) {
    return claim.fetched?.assignments ?? ctx.loaders.assignmentsByClaim.load(claim.id);
  }

  @FieldResolver(() => [Evidence], { description: 'Evidence gathered for the claim, oldest first.' })
  evidence(@Root() claim: ClaimRecord, @Ctx() ctx: Context) {
    return claim.fetched?.evidence ?? ctx.loaders.evidenceByClaim.load(claim.id);
  }

  @FieldResolver(() => [Verdict], {
    description: "Verdicts of the current review round, oldest first. A reviewer sees others' verdicts only after submitting their own.",
  })
  verdicts(@Root() claim: ClaimRecord, @Ctx() ctx: Context) {
    return claimVerdicts(ctx.loaders, ctx.viewer, claim);
  }

  @FieldResolver(() => FactCheck, { nullable: true, description: 'The published fact check, if any.' })
  factCheck(@Root() claim: ClaimRecord, @Ctx() ctx: Context) {
    return claimFactCheck(ctx.loaders, claim);
  }

  @FieldResolver(() => [SimilarFactCheck], { description: 'Published fact checks whose claims read like this one, most similar first.' })
  async similarFactChecks(
    @Root() claim: ClaimRecord,
    @Ctx() ctx: Context,
    @Arg('limit', () => Int, { nullable: true, defaultValue: 5, description: 'How many fact checks to return, most similar first.' }) limit?: number | null,
  ) {
    return similarFactChecks(ctx.loaders, claim.id, limit);
  }

  @FieldResolver(() => [ClaimAppearance], {
    description:
      'Other places where the claim was made or repeated, first appearance first; then by when they appeared, earliest first\n(those with no date after the dated ones); then in the order they were recorded.',
  })
  appearances(@Root() claim: ClaimRecord, @Ctx() ctx: Context) {
    return ctx.loaders.appearancesByClaim.load(claim.id);
  }

  @FieldResolver(() => Claimant, {
    nullable: true,
    description: 'The claimant as an entity, if the desk linked one (`claimant` keeps the name as written).',
  })
  speaker(@Root() claim: ClaimRecord, @Ctx() ctx: Context) {
    return claim.speakerId ? ctx.loaders.liveClaimant.load(claim.speakerId) : null;
  }

  @FieldResolver(() => [ClaimEvent], { description: 'Every change to the claim, oldest first.' })
  history(@Root() claim: ClaimRecord, @Ctx() ctx: Context) {
    return claimHistory(ctx.loaders, ctx.viewer, claim);
  }

  @Mutation(() => CreateClaimPayload, {
    description: 'Take a claim from an article (editors). An exact duplicate (same article, span and statement) is CONFLICT with extensions.existingClaimId.',
  })
  async createClaim(@Arg('input', { description: 'What to do; see CreateClaimInput.' }) input: CreateClaimInput, @Ctx() ctx: Context) {
    const articleId = fromGlobalId(input.articleId, 'Article', 'articleId');
    const topicIds = input.topicIds && fromGlobalIds(input.topicIds, 'Topic', 'topicIds');
    const created = createClaim(ctx.db, ctx.viewer, { ...input, articleId, topicIds, speakerId: speakerIdOf(input.speakerId) });
    return { claim: await created.catch(namePublicly) };
  }

  @Mutation(() => UpdateClaimPayload, { description: "Edit a claim's details (editors)." })
  async updateClaim(@Arg('input', { description: 'What to do; see UpdateClaimInput.' }) input: UpdateClaimInput, @Ctx() ctx: Context) {
    const claimId = fromGlobalId(input.claimId, 'Claim', 'claimId');
    return { claim: await updateClaim(ctx.db, ctx.viewer, { ...input, claimId, speakerId: speakerIdOf(input.speakerId) }).catch(namePublicly) };
  }

  @Mutation(() => DismissClaimPayload, { description: 'Decide not to check a claim (editors).' })
  async dismissClaim(@Arg('input', { description: 'What to do; see DismissClaimInput.' }) input: DismissClaimInput, @Ctx() ctx: Context) {
    return { claim: await dismissClaim(ctx.db, ctx.viewer, { ...input, claimId: fromGlobalId(input.claimId, 'Claim', 'claimId') }) };
  }

  @Mutation(() => AddClaimAppearancePayload, {
    description:
      'Record another place where a claim was made (editors, and reviewers assigned to it); in any status but DISMISSED.\nOn a claim with a published fact check it updates the fact check (updatedAt, ClaimReview) without a correction.',
  })
  async addClaimAppearance(@Arg('input', { description: 'What to do; see AddClaimAppearanceInput.' }) input: AddClaimAppearanceInput, @Ctx() ctx: Context) {
    const claim = await addClaimAppearance(ctx.db, ctx.viewer, { ...input, claimId: fromGlobalId(input.claimId, 'Claim', 'claimId') });
    ctx.loaders.claim.prime(claim.id, claim);
    return { claim };
  }

  @Mutation(() => ReopenClaimPayload, { description: 'Start a new review round (editors).' })
  async reopenClaim(@Arg('input', { description: 'What to do; see ReopenClaimInput.' }) input: ReopenClaimInput, @Ctx() ctx: Context) {
    return { claim: await reopenClaim(ctx.db, ctx.viewer, { ...input, claimId: fromGlobalId(input.claimId, 'Claim', 'claimId') }) };
  }
}

@Resolver(() => ClaimEvent)
export class ClaimEventResolver {
  @FieldResolver(() => User, { description: 'Who did it.' })
  async actor(@Root() event: ClaimEventRow, @Ctx() ctx: Context) {
    return loaded(await ctx.loaders.user.load(event.actorId), 'actor');
  }
}
