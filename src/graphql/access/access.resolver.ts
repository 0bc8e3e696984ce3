import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { UserRecord } from '../../domain/records.js';
import { issueApiToken, requireTokenReader, revokeApiToken, type ApiTokenRecord } from '../../domain/access/tokens.js';
import { updateUser } from '../../domain/access/update-user.js';
import { fromGlobalId, toGlobalId } from '../../domain/global-ids.js';
import { loaded } from '../core/loaded.js';
import type { Context } from '../core/resolver-context.js';
import { User } from './user.type.js';
import { IssueApiTokenInput, RevokeApiTokenInput, UpdateUserInput } from './access.inputs.js';
import { IssueApiTokenPayload, RevokeApiTokenPayload, UpdateUserPayload } from './access.payloads.js';
import { ApiToken } from './api-token.type.js';

@Resolver(() => ApiToken)
export class ApiTokenResolver {
  @FieldResolver(() => ID, { description: 'Globally unique, opaque identifier (a Node ID).' })
  id(@Root() token: ApiTokenRecord) {
    return toGlobalId('ApiToken', token.id);
  }

  @FieldResolver(() => User, { description: 'Whose token it is.' })
  async user(@Root() token: ApiTokenRecord, @Ctx() ctx: Context) {
    return loaded(await ctx.loaders.user.load(token.userId), 'user');
  }

  @Mutation(() => IssueApiTokenPayload, { description: 'Issue a bearer token for a user (admins).' })
  async issueApiToken(@Arg('input', { description: 'What to do; see IssueApiTokenInput.' }) input: IssueApiTokenInput, @Ctx() ctx: Context) {
    const userId = fromGlobalId(input.userId, 'User', 'userId');
    const { token, apiToken } = await issueApiToken(ctx.db, ctx.viewer, { ...input, userId });
    return { token, tokenId: toGlobalId('ApiToken', apiToken.id), apiToken };
  }

  @Mutation(() => RevokeApiTokenPayload, { description: 'Revoke a bearer token (admins).' })
  async revokeApiToken(@Arg('input', { description: 'What to do; see RevokeApiTokenInput.' }) input: RevokeApiTokenInput, @Ctx() ctx: Context) {
    return { revoked: await revokeApiToken(ctx.db, ctx.viewer, fromGlobalId(input.tokenId, 'ApiToken', 'tokenId'), ctx.access) };
  }

  @Mutation(() => UpdateUserPayload, {
    description: "Change a user's name, role or active flag (admins). The last active admin cannot be deactivated or demoted (CONFLICT).",
  })
  async updateUser(@Arg('input', { description: 'What to do; see UpdateUserInput.' }) input: UpdateUserInput, @Ctx() ctx: Context) {
    const userId = fromGlobalId(input.userId, 'User', 'userId');
    return { user: await updateUser(ctx.db, ctx.viewer, { ...input, userId }, ctx.access) };
  }
}

@Resolver(() => User)
export class UserAccessResolver {
  @FieldResolver(() => [ApiToken], { description: "The user's API tokens, newest first (admins, or the user themself; others get FORBIDDEN)." })
  async apiTokens(@Root() user: UserRecord, @Ctx() ctx: Context) {
    requireTokenReader(ctx.viewer, user.id);
    return ctx.loaders.apiTokensByUser.load(user.id);
  }
}
