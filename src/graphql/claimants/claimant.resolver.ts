import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { createClaimant, updateClaimant, WikidataConflictError } from '../../domain/claimants/claimants.js';
import { mergeClaimants } from '../../domain/claimants/merge.js';
import { claimantClaims, claimantFactChecks, getClaimant, listClaimants } from '../../domain/claimants/queries.js';
import { claimantRecord } from '../../domain/claimants/record.js';
import { claimantUrl } from '../../domain/fact-checks/schema-org-claim-review.js';
import { fromGlobalId, toGlobalId } from '../../domain/global-ids.js';
import type { ClaimantRow } from '../../domain/records.js';
import { ClaimConnection } from '../claims/claim.type.js';
import { toConnection } from '../core/connection.type.js';
import { PageArgs } from '../core/page.args.js';
import type { Context } from '../core/resolver-context.js';
import { URLScalar } from '../core/scalars.js';
import { FactCheckConnection } from '../fact-checks/fact-check.type.js';
import { CreateClaimantInput, MergeClaimantsInput, UpdateClaimantInput } from './claimant.inputs.js';
import { CreateClaimantPayload, MergeClaimantsPayload, UpdateClaimantPayload } from './claimant.payloads.js';
import { Claimant, ClaimantConnection, ClaimantRecord } from './claimant.type.js';

/** The claimant holding a Wikidata ID, named by its global ID. */
const namePublicly = (error: unknown): never => {
  throw error instanceof WikidataConflictError ? error.withPublicId(toGlobalId('Claimant', error.claimantId)) : error;
};

@Resolver(() => Claimant)
export class ClaimantResolver {
  @FieldResolver(() => ID, { description: 'Globally unique, opaque identifier.' })
  id(@Root() claimant: ClaimantRow) {
    return toGlobalId('Claimant', claimant.id);
  }

  @FieldResolver(() => URLScalar, { description: 'Public page: PUBLIC_BASE_URL/claimants/<id>.' })
  url(@Root() claimant: ClaimantRow, @Ctx() ctx: Context) {
    return claimantUrl(ctx.site, toGlobalId('Claimant', claimant.id));
  }

  @FieldResolver(() => FactCheckConnection, { description: 'Published fact checks of its claims, newest first (retracted ones never).' })
  async factChecks(@Root() claimant: ClaimantRow, @Ctx() ctx: Context, @Args() page: PageArgs) {
    return toConnection(await claimantFactChecks(ctx.db, ctx.viewer, claimant.id, page));
  }

  @FieldResolver(() => ClaimantRecord, { description: 'Its record of published fact checks by rating.' })
  record(@Root() claimant: ClaimantRow, @Ctx() ctx: Context) {
    return claimantRecord(ctx.loaders, claimant.id);
  }

  @FieldResolver(() => ClaimConnection, { description: 'Claims attributed to it, newest first (staff only; FORBIDDEN for others).' })
  async claims(@Root() claimant: ClaimantRow, @Ctx() ctx: Context, @Args() page: PageArgs) {
    return toConnection(await claimantClaims(ctx.db, ctx.viewer, claimant.id, page));
  }

  @Query(() => Claimant, { nullable: true, description: "One claimant (every role); a merged claimant's ID gives the claimant it was merged into." })
  async claimant(@Arg('id', () => ID, { description: "The claimant's global ID." }) id: string, @Ctx() ctx: Context) {
    return getClaimant(ctx.loaders, ctx.viewer, fromGlobalId(id, 'Claimant', 'id'));
  }

  @Query(() => ClaimantConnection, {
    description:
      'Claimants by name (every role): with `search`, names and aliases that match it, case and accents\nignored, best match first (a Wikidata ID such as "Q22686" finds its claimant); without, by name.',
  })
  async claimants(
    @Ctx() ctx: Context,
    @Args() page: PageArgs,
    @Arg('search', () => String, { nullable: true, description: 'Part of a name or alias, or a Wikidata ID.' }) search?: string | null,
  ) {
    return toConnection(await listClaimants(ctx.db, ctx.viewer, { ...page, search }));
  }

  @Mutation(() => CreateClaimantPayload, { description: 'Add a claimant (editors).' })
  async createClaimant(@Arg('input', { description: 'What to do; see CreateClaimantInput.' }) input: CreateClaimantInput, @Ctx() ctx: Context) {
    return { claimant: await createClaimant(ctx.db, ctx.viewer, input).catch(namePublicly) };
  }

  @Mutation(() => UpdateClaimantPayload, { description: 'Edit a claimant (editors).' })
  async updateClaimant(@Arg('input', { description: 'What to do; see UpdateClaimantInput.' }) input: UpdateClaimantInput, @Ctx() ctx: Context) {
    const claimantId = fromGlobalId(input.claimantId, 'Claimant', 'claimantId');
    return { claimant: await updateClaimant(ctx.db, ctx.viewer, { ...input, claimantId }).catch(namePublicly) };
  }

  @Mutation(() => MergeClaimantsPayload, {
    description: 'Merge a duplicate claimant into another: its claims move, its ID leads to the target from then on (editors).',
  })
  async mergeClaimants(@Arg('input', { description: 'What to do; see MergeClaimantsInput.' }) input: MergeClaimantsInput, @Ctx() ctx: Context) {
    return mergeClaimants(ctx.db, ctx.viewer, {
      sourceId: fromGlobalId(input.sourceId, 'Claimant', 'sourceId'),
      targetId: fromGlobalId(input.targetId, 'Claimant', 'targetId'),
    });
  }
}
