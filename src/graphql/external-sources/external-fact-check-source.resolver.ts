/** ExternalFactCheck.source: the feed a review came through (editors and admins; FORBIDDEN for others, as Claimant.claims). */
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { sourceOfExternalFactCheck } from '../../domain/external-sources/queries.js';
import type { ExternalFactCheckRecord } from '../../domain/records.js';
import type { Context } from '../core/resolver-context.js';
import { ExternalFactCheck } from '../external-fact-checks/external-fact-check.type.js';
import { ExternalSource } from './external-source.type.js';

@Resolver(() => ExternalFactCheck)
export class ExternalFactCheckSourceResolver {
  @FieldResolver(() => ExternalSource, {
    nullable: true,
    description: 'The feed it came through; null when imported by hand or the feed was removed (editors and admins; FORBIDDEN for others).',
  })
  source(@Root() review: ExternalFactCheckRecord, @Ctx() ctx: Context) {
    return sourceOfExternalFactCheck(ctx.loaders, ctx.viewer, review.sourceId);
  }
}
