import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { UserRecord } from '../../domain/records.js';
import { toGlobalId } from '../../domain/global-ids.js';
import { createUser, listUsers, viewerRow } from '../../domain/access/users.js';
import { toConnection } from '../core/connection.type.js';
import { Role } from '../core/enums.js';
import { PageArgs } from '../core/page.args.js';
import type { Context } from '../core/resolver-context.js';
import { CreateUserInput } from './user.inputs.js';
import { CreateUserPayload } from './user.payloads.js';
import { User, UserConnection } from './user.type.js';

@Resolver(() => User)
export class UserResolver {
  @FieldResolver(() => ID, { description: 'Globally unique, opaque identifier (a Node ID).' })
  id(@Root() user: UserRecord) {
    return toGlobalId('User', user.id);
  }

  @Query(() => User, { nullable: true, description: 'The authenticated principal.' })
  async viewer(@Ctx() ctx: Context) {
    return viewerRow(ctx.loaders, ctx.viewer);
  }

  @Query(() => UserConnection, { description: 'Users, by name; e.g. the reviewers an editor can assign (editors and admins).' })
  async users(
    @Ctx() ctx: Context,
    @Arg('role', () => Role, { nullable: true, description: 'Only users with this role.' }) role: Role | null | undefined,
    @Args() page: PageArgs,
  ) {
    return toConnection(await listUsers(ctx.db, ctx.viewer, { ...page, role }));
  }

  @Mutation(() => CreateUserPayload, { description: 'Create a user (admins).' })
  async createUser(@Arg('input', { description: 'What to do; see CreateUserInput.' }) input: CreateUserInput, @Ctx() ctx: Context) {
    return { user: await createUser(ctx.db, ctx.viewer, input) };
  }
}
