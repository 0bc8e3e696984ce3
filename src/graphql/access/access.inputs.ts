import { Field, ID, InputType, Int } from 'type-graphql';
import { Role } from '../core/enums.js';
import { DateTimeScalar } from '../core/scalars.js';

type Maybe<T> = T | null | undefined;

@InputType({ description: 'Input of issueApiToken.' })
export class IssueApiTokenInput {
  @Field(() => ID, { description: 'Whose token it is.' }) userId!: string;
  @Field({ description: "What the token is for, e.g. the partner app's name." }) label!: string;
  @Field(() => DateTimeScalar, { nullable: true, description: 'After this instant the token is refused; it must lie in the future. Null: it never expires.' })
  expiresAt?: Maybe<Date>;
  @Field(() => Int, {
    nullable: true,
    description: "Requests per minute this token may make, across every server process (1..100000). Null: the server's default for its role.",
  })
  rateLimitPerMinute?: Maybe<number>;
}

@InputType({ description: 'Input of revokeApiToken.' })
export class RevokeApiTokenInput {
  @Field(() => ID, { description: 'The token to revoke.' }) tokenId!: string;
}

@InputType({ description: 'What updateUser changes; fields left out stay as they are.' })
export class UpdateUserInput {
  @Field(() => ID, { description: 'The user to change.' }) userId!: string;
  @Field(() => String, { nullable: true, description: 'New display name.' }) name?: Maybe<string>;
  @Field(() => Role, { nullable: true, description: 'New role.' }) role?: Maybe<keyof typeof Role>;
  @Field(() => Boolean, { nullable: true, description: 'False deactivates the user (their tokens are refused at once); true reactivates them.' })
  active?: Maybe<boolean>;
  @Field(() => Boolean, { nullable: true, description: 'Whether the user receives scheduled fact checks before they are public.' })
  embargoAccess?: Maybe<boolean>;
}
