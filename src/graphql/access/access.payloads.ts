import { Field, ID, ObjectType } from 'type-graphql';
import { User } from './user.type.js';
import { ApiToken } from './api-token.type.js';

@ObjectType({ simpleResolvers: true, description: 'Result of issueApiToken.' })
export class IssueApiTokenPayload {
  @Field({ description: 'The bearer token, shown only this once; only its hash is stored.' }) token!: string;
  @Field(() => ID, { description: 'Identifies the token for revokeApiToken.' }) tokenId!: string;
  @Field(() => ApiToken, { description: "The token's record (never the secret)." }) apiToken!: ApiToken;
}

@ObjectType({ simpleResolvers: true, description: 'Result of revokeApiToken.' })
export class RevokeApiTokenPayload {
  @Field({ description: 'Whether the token was active until now.' }) revoked!: boolean;
}

@ObjectType({ simpleResolvers: true, description: 'The result of updateUser.' })
export class UpdateUserPayload {
  @Field(() => User, { description: 'The user after the change.' }) user!: User;
}
