import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { UserRow } from '../db/schema.js';
import { requireViewer } from '../domain/viewer.js';
import { createUser, listUsers } from '../domain/users.js';
import type { Context } from './context.js';
import { toConnection } from './connection.js';
import { Role } from './enums.js';
import { toGlobalId } from './ids.js';
import { CreateUserInput } from './inputs.js';
import { CreateUserPayload } from './payloads.js';
import { User, UserConnection } from './types.js';

@Resolver(() => User)
export class UserResolver {
  @FieldResolver(() => ID)
  id(@Root() user: UserRow) {
    return toGlobalId('User', user.id);
  }

  @Query(() => User, { nullable: true, description: 'The authenticated principal.' })
  async viewer(@Ctx() ctx: Context) {
    return ctx.loaders.user.load(requireViewer(ctx.viewer).id);
  }

  @Query(() => UserConnection, { description: 'Users, by name; e.g. the reviewers an editor can assign (editors and admins).' })
  async users(
    @Ctx() ctx: Context,
    @Arg('role', () => Role, { nullable: true }) role?: keyof typeof Role | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return toConnection(await listUsers(ctx.db, ctx.viewer, { role, first, after }));
  }

  @Mutation(() => CreateUserPayload, { description: 'Create a user (admins).' })
  async createUser(@Arg('input') input: CreateUserInput, @Ctx() ctx: Context) {
    return { user: await createUser(ctx.db, ctx.viewer, input) };
  }
}
