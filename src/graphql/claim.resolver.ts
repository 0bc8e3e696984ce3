import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { claimRelationColumns, primeClaimRelations } from '../db/claim-relations.js';
import { requestedClaimRelations } from './lookahead.js';
import type { ClaimEventRow, ClaimRow } from '../db/schema.js';
import { createClaim } from '../domain/claims/create.js';
import { DuplicateClaimError } from '../domain/claims/duplicates.js';
import { dismissClaim, reopenClaim, updateClaim } from '../domain/claims/editorial.js';
import { listClaims, visibleVerdicts } from '../domain/claims/queries.js';
import { STAFF, requireRole } from '../domain/viewer.js';
import type { Context } from './context.js';
import { toConnection } from './connection.js';
import { ClaimOrder } from './enums.js';
import { fromGlobalId, toGlobalId } from './ids.js';
import { ClaimFilter, CreateClaimInput, DismissClaimInput, ReopenClaimInput, UpdateClaimInput } from './inputs.js';
import { loaded } from './loaded.js';
import { CreateClaimPayload, DismissClaimPayload, ReopenClaimPayload, UpdateClaimPayload } from './payloads.js';
import { Article, Assignment, Claim, ClaimConnection, ClaimEvent, Evidence, FactCheck, SimilarFactCheck, TextSpan, User, Verdict } from './types.js';
import { parseInput, similarLimit } from '../domain/validation.js';

/** The domain names a duplicate's existing claim by row id; clients know it by its global ID. */
function namePublicly(error: unknown): never {
  throw error instanceof DuplicateClaimError ? error.withPublicId(toGlobalId('Claim', error.existingClaimId)) : error;
}

@Resolver(() => Claim)
export class ClaimResolver {
  @FieldResolver(() => ID)
  id(@Root() claim: ClaimRow) {
    return toGlobalId('Claim', claim.id);
  }

  @Query(() => Claim, { nullable: true, description: 'One claim (staff only).' })
  async claim(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    requireRole(ctx.viewer, STAFF);
    return ctx.loaders.claim.load(fromGlobalId(id, 'Claim', 'id'));
  }

  @Query(() => ClaimConnection, { description: 'Claims matching a filter (staff only).' })
  async claims(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => ClaimFilter, { nullable: true }) filter?: ClaimFilter | null,
    @Arg('orderBy', () => ClaimOrder, { nullable: true, defaultValue: 'CREATED_AT_DESC' }) orderBy?: keyof typeof ClaimOrder | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    requireRole(ctx.viewer, STAFF);
    const domainFilter = filter && {
      ...filter,
      articleId: filter.articleId ? fromGlobalId(filter.articleId, 'Article', 'filter.articleId') : null,
      reviewerId: filter.reviewerId ? fromGlobalId(filter.reviewerId, 'User', 'filter.reviewerId') : null,
    };
    const page = await listClaims(ctx.db, ctx.viewer, { filter: domainFilter, orderBy, first, after }, claimRelationColumns(requestedClaimRelations(info)));
    primeClaimRelations(ctx.loaders, page.nodes);
    return toConnection(page);
  }

  @FieldResolver(() => Article, { description: 'The article the claim was taken from.' })
  async article(@Root() claim: ClaimRow, @Ctx() ctx: Context) {
    return loaded(await ctx.loaders.article.load(claim.articleId), 'article');
  }

  @FieldResolver(() => TextSpan, { description: 'Where the quote stands in the article body.' })
  span(@Root() claim: ClaimRow) {
    return { start: claim.spanStart, end: claim.spanEnd };
  }

  @FieldResolver(() => User, { description: 'Who created the claim.' })
  async createdBy(@Root() claim: ClaimRow, @Ctx() ctx: Context) {
    return loaded(await ctx.loaders.user.load(claim.createdBy), 'creator');
  }

  @FieldResolver(() => [Assignment], { description: 'Reviewer assignments, oldest first.' })
  assignments(@Root() claim: ClaimRow, @Ctx() ctx: Context) {
    return ctx.loaders.assignmentsByClaim.load(claim.id);
  }

  @FieldResolver(() => [Evidence], { description: 'Evidence gathered for the claim, oldest first.' })
  evidence(@Root() claim: ClaimRow, @Ctx() ctx: Context) {
    return ctx.loaders.evidenceByClaim.load(claim.id);
  }

  @FieldResolver(() => [Verdict], {
    description: "Verdicts of the current review round, oldest first. A reviewer sees others' verdicts only after submitting their own.",
  })
  async verdicts(@Root() claim: ClaimRow, @Ctx() ctx: Context) {
    const viewer = requireRole(ctx.viewer, STAFF);
    return visibleVerdicts(viewer, await ctx.loaders.verdictsByRound.load({ claimId: claim.id, round: claim.round }));
  }

  @FieldResolver(() => FactCheck, { nullable: true, description: 'The published fact check, if any.' })
  async factCheck(@Root() claim: ClaimRow, @Ctx() ctx: Context) {
    const factCheck = await ctx.loaders.factCheckByClaim.load(claim.id);
    return factCheck && !factCheck.retractedAt ? factCheck : null;
  }

  @FieldResolver(() => [SimilarFactCheck], { description: 'Published fact checks whose claims read like this one, most similar first.' })
  async similarFactChecks(@Root() claim: ClaimRow, @Ctx() ctx: Context, @Arg('limit', () => Int, { nullable: true, defaultValue: 5 }) limit?: number | null) {
    const matches = await ctx.loaders.similarFactChecks(parseInput(similarLimit, limit ?? 5, 'limit')).load(claim.id);
    const factChecks = await ctx.loaders.factCheck.loadMany(matches.map((m) => m.factCheckId));
    return matches.map((m, i) => ({ factCheck: factChecks[i], similarity: Math.min(1, Math.max(0, m.similarity)) }));
  }

  @FieldResolver(() => [ClaimEvent], { description: 'Every change to the claim, oldest first.' })
  history(@Root() claim: ClaimRow, @Ctx() ctx: Context) {
    return ctx.loaders.eventsByClaim.load(claim.id);
  }

  @Mutation(() => CreateClaimPayload, { description: 'Take a claim from an article (editors). An exact duplicate (same article, span and statement) is CONFLICT with extensions.existingClaimId.' })
  async createClaim(@Arg('input') input: CreateClaimInput, @Ctx() ctx: Context) {
    const articleId = fromGlobalId(input.articleId, 'Article', 'articleId');
    return { claim: await createClaim(ctx.db, ctx.viewer, { ...input, articleId }).catch(namePublicly) };
  }

  @Mutation(() => UpdateClaimPayload, { description: "Edit a claim's details (editors)." })
  async updateClaim(@Arg('input') input: UpdateClaimInput, @Ctx() ctx: Context) {
    return { claim: await updateClaim(ctx.db, ctx.viewer, { ...input, claimId: fromGlobalId(input.claimId, 'Claim', 'claimId') }).catch(namePublicly) };
  }

  @Mutation(() => DismissClaimPayload, { description: 'Decide not to check a claim (editors).' })
  async dismissClaim(@Arg('input') input: DismissClaimInput, @Ctx() ctx: Context) {
    return { claim: await dismissClaim(ctx.db, ctx.viewer, { ...input, claimId: fromGlobalId(input.claimId, 'Claim', 'claimId') }) };
  }

  @Mutation(() => ReopenClaimPayload, { description: 'Start a new review round (editors).' })
  async reopenClaim(@Arg('input') input: ReopenClaimInput, @Ctx() ctx: Context) {
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
