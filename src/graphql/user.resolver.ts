import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { UserRecord } from '../db/claim-relations.js';
import { createUser, listUsers, viewerRow } from '../domain/users.js';
import type { Context } from './context.js';
import { toConnection } from './connection.js';
import { Role } from './enums.js';
import { toGlobalId } from '../domain/global-ids.js';
import { CreateUserInput } from './inputs.js';
import { PageArgs } from './page-args.js';
import { CreateUserPayload } from './payloads.js';
import { User, UserConnection } from './types.js';

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
