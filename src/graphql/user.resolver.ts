import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { UserRow } from '../db/schema.js';
import { createUser, issueApiToken, listUsers, revokeApiToken, viewerRow } from '../domain/users.js';
import type { Context } from './context.js';
import { toConnection } from './connection.js';
import { Role } from './enums.js';
import { fromGlobalId, toGlobalId } from '../domain/global-ids.js';
import { CreateUserInput, IssueApiTokenInput, RevokeApiTokenInput } from './inputs.js';
import { PageArgs } from './page-args.js';
import { CreateUserPayload, IssueApiTokenPayload, RevokeApiTokenPayload } from './payloads.js';
import { User, UserConnection } from './types.js';

@Resolver(() => User)
export class UserResolver {
  @FieldResolver(() => ID)
  id(@Root() user: UserRow) {
    return toGlobalId('User', user.id);
  }

  @Query(() => User, { nullable: true, description: 'The authenticated principal.' })
  async viewer(@Ctx() ctx: Context) {
    return viewerRow(ctx.loaders, ctx.viewer);
  }

  @Query(() => UserConnection, { description: 'Users, by name; e.g. the reviewers an editor can assign (editors and admins).' })
  async users(
    @Ctx() ctx: Context,
    @Arg('role', () => Role, { nullable: true }) role: Role | null | undefined,
    @Args() page: PageArgs,
  ) {
    return toConnection(await listUsers(ctx.db, ctx.viewer, { ...page, role }));
  }

  @Mutation(() => CreateUserPayload, { description: 'Create a user (admins).' })
  async createUser(@Arg('input') input: CreateUserInput, @Ctx() ctx: Context) {
    return { user: await createUser(ctx.db, ctx.viewer, input) };
  }

  @Mutation(() => IssueApiTokenPayload, { description: 'Issue a bearer token for a user (admins).' })
  async issueApiToken(@Arg('input') input: IssueApiTokenInput, @Ctx() ctx: Context) {
    const userId = fromGlobalId(input.userId, 'User', 'userId');
    const { token, tokenId } = await issueApiToken(ctx.db, ctx.viewer, { userId, label: input.label });
    return { token, tokenId: toGlobalId('ApiToken', tokenId) };
  }

  @Mutation(() => RevokeApiTokenPayload, { description: 'Revoke a bearer token (admins).' })
  async revokeApiToken(@Arg('input') input: RevokeApiTokenInput, @Ctx() ctx: Context) {
    return { revoked: await revokeApiToken(ctx.db, ctx.viewer, fromGlobalId(input.tokenId, 'ApiToken', 'tokenId')) };
  }
}
