import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { listCorrectionLog, type CorrectionLogEntry as Entry } from '../../domain/corrections/log.js';
import { factCheckUrl } from '../../domain/fact-checks/schema-org-claim-review.js';
import { toGlobalId } from '../../domain/global-ids.js';
import { toConnection } from '../core/connection.type.js';
import { PageArgs } from '../core/page.args.js';
import type { Context } from '../core/resolver-context.js';
import { URLScalar } from '../core/scalars.js';
import { FactCheck } from '../fact-checks/fact-check.type.js';
import { CorrectionLogConnection, CorrectionLogEntry } from './correction-log.type.js';

@Resolver(() => CorrectionLogEntry)
export class CorrectionLogResolver {
  @Query(() => CorrectionLogConnection, { description: 'The public log of corrections and retractions, newest first (every role).' })
  async corrections(@Ctx() ctx: Context, @Args() page: PageArgs) {
    return toConnection(await listCorrectionLog(ctx.db, ctx.viewer, page));
  }

  @FieldResolver(() => String, { description: 'The claim the fact check reviewed.' })
  claimReviewed(@Root() entry: Entry) {
    return entry.factCheck.claimReviewed;
  }

  @FieldResolver(() => URLScalar, { description: "The fact check's public page (it answers 404 once retracted)." })
  factCheckUrl(@Root() entry: Entry, @Ctx() ctx: Context) {
    return factCheckUrl(ctx.site, toGlobalId('FactCheck', entry.factCheck.id));
  }

  @FieldResolver(() => FactCheck, { nullable: true, description: 'The fact check, while it is visible; null once retracted.' })
  factCheck(@Root() entry: Entry) {
    return entry.visible ? entry.factCheck : null;
  }
}
