import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { DEFAULT_CHANGES_PAGE, listFactCheckChanges, type FactCheckChange as Change } from '../../domain/change-feed/feed.js';
import { toGlobalId } from '../../domain/global-ids.js';
import type { Context } from '../core/resolver-context.js';
import { FactCheck } from '../fact-checks/fact-check.type.js';
import { FactCheckChange, FactCheckChangeConnection } from './fact-check-change.type.js';

@Resolver(() => FactCheckChange)
export class FactCheckChangeResolver {
  @Query(() => FactCheckChangeConnection, {
    description:
      'Published, corrected, updated (a newly recorded appearance) and retracted fact checks in the order they became visible. Keep the last endCursor and\npass it as `after` next time: no change is skipped or repeated, even one whose transaction committed late.',
  })
  async factCheckChanges(
    @Ctx() ctx: Context,
    @Arg('after', () => String, { nullable: true, description: "Cursor of the item to continue after: a previous page's `pageInfo.endCursor`." })
    after?: string | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_CHANGES_PAGE, description: 'How many changes to return after `after`.' })
    first?: number | null,
  ) {
    const page = await listFactCheckChanges(ctx.db, ctx.viewer, { after, first });
    return {
      edges: page.nodes.map((node, i) => ({ node, cursor: page.cursors[i]! })),
      pageInfo: { hasNextPage: page.hasNextPage, hasPreviousPage: false, startCursor: page.cursors[0] ?? null, endCursor: page.endCursor },
    };
  }

  @FieldResolver(() => ID, { description: "The fact check's ID, also once it is retracted." })
  factCheckId(@Root() change: Change) {
    return toGlobalId('FactCheck', change.factCheckId);
  }

  @FieldResolver(() => FactCheck, { nullable: true, description: 'The fact check as it is now; null once retracted.' })
  async factCheck(@Root() change: Change, @Ctx() ctx: Context) {
    const factCheck = await ctx.loaders.factCheck.load(change.factCheckId);
    return factCheck && !factCheck.retractedAt ? factCheck : null;
  }
}
