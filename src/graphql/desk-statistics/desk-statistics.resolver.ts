import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { deskStatistics } from '../../domain/desk-statistics/index.js';
import type { ReviewerFigures } from '../../domain/desk-statistics/statement.js';
import { loaded } from '../core/loaded.js';
import type { Context } from '../core/resolver-context.js';
import { DateTimeScalar } from '../core/scalars.js';
import { User } from '../access/user.type.js';
import { DeskStatistics, ReviewerStatistics } from './desk-statistics.type.js';

@Resolver(() => DeskStatistics)
export class DeskStatisticsResolver {
  @Query(() => DeskStatistics, {
    description:
      'How the desk is doing over a window, by default the last 30 days (editors and admins). `to` defaults to now and `from` to 30 days before `to`; `from` must be before `to`, and at most 1,827 days (5 years) earlier.',
  })
  deskStatistics(
    @Ctx() ctx: Context,
    @Arg('from', () => DateTimeScalar, { nullable: true, description: 'Start of the window, inclusive (default: 30 days before `to`).' }) from?: Date | null,
    @Arg('to', () => DateTimeScalar, { nullable: true, description: 'End of the window, exclusive (default: now).' }) to?: Date | null,
  ) {
    return deskStatistics(ctx.db, ctx.viewer, { from, to });
  }
}

@Resolver(() => ReviewerStatistics)
export class ReviewerStatisticsResolver {
  @FieldResolver(() => User, { description: 'The reviewer.' })
  async reviewer(@Root() figures: ReviewerFigures, @Ctx() ctx: Context) {
    return loaded(await ctx.loaders.user.load(figures.reviewerId), 'reviewer');
  }
}
