import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { listExternalFactChecks, relatedFactChecks } from '../../domain/external-fact-checks/queries.js';
import { toGlobalId } from '../../domain/global-ids.js';
import type { ClaimRecord, ExternalFactCheckRecord } from '../../domain/records.js';
import { Claim } from '../claims/claim.type.js';
import { toConnection } from '../core/connection.type.js';
import { PageArgs } from '../core/page.args.js';
import type { Context } from '../core/resolver-context.js';
import { ExternalFactCheckFilter } from './external-fact-check.inputs.js';
import { ExternalFactCheck, ExternalFactCheckConnection, RelatedFactCheck } from './external-fact-check.type.js';

@Resolver(() => ExternalFactCheck)
export class ExternalFactCheckResolver {
  @FieldResolver(() => ID, { description: 'Globally unique, opaque identifier.' })
  id(@Root() factCheck: ExternalFactCheckRecord) {
    return toGlobalId('ExternalFactCheck', factCheck.id);
  }

  @Query(() => ExternalFactCheckConnection, {
    description: "Other publishers' fact checks brought in by imports and sources (every role); newest first, or by\nrelevance when searching.",
  })
  async externalFactChecks(
    @Ctx() ctx: Context,
    @Arg('filter', () => ExternalFactCheckFilter, {
      nullable: true,
      description: 'Narrows the list (all conditions hold); with `search`, ranked by relevance.',
    })
    filter: ExternalFactCheckFilter | null | undefined,
    @Args() page: PageArgs,
  ) {
    return toConnection(await listExternalFactChecks(ctx.db, ctx.viewer, { ...page, filter }));
  }
}

@Resolver(() => Claim)
export class ClaimRelatedFactChecksResolver {
  @FieldResolver(() => [RelatedFactCheck], {
    description: 'Fact checks of this desk and of other publishers whose claims read like this one, most similar first.',
  })
  relatedFactChecks(
    @Root() claim: ClaimRecord,
    @Ctx() ctx: Context,
    @Arg('limit', () => Int, { nullable: true, defaultValue: 5, description: 'How many fact checks to return (1 to 20), most similar first.' })
    limit?: number | null,
  ) {
    return relatedFactChecks(ctx.loaders, ctx.viewer, claim.id, limit);
  }
}
