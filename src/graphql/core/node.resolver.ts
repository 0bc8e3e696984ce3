import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { readNode } from '../../domain/nodes/nodes.js';
import { Node } from './node.type.js';
import type { Context } from './resolver-context.js';

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Fetch any object by its global ID; null if it does not exist or the viewer may not see it.' })
  async node(@Arg('id', () => ID, { description: 'Any global ID this API issued.' }) id: string, @Ctx() ctx: Context) {
    const node = await readNode(ctx.db, ctx.loaders, ctx.viewer, id);
    // Node's resolveType reads the type name from the row (src/graphql/schema.ts).
    return node && { ...node.row, __typename: node.type };
  }
}
