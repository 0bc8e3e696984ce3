import { ArgsType, Field, Int } from 'type-graphql';

/** The `first`/`after` pair of every paged field (forward keyset pagination, src/domain/pagination.ts). */
// `after` first: the order type-graphql printed the two separate arguments in, so schema.graphql stays as it was.
@ArgsType()
export class PageArgs {
  @Field(() => String, { nullable: true, description: "Cursor of the item to continue after: a previous page's `pageInfo.endCursor`." }) after?: string | null;
  @Field(() => Int, { nullable: true, defaultValue: 20, description: 'How many items to return after `after`.' }) first?: number | null;
}
