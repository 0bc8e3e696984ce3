import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../core/node.type.js';
import { DateTimeScalar } from '../core/scalars.js';

@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description: 'A bearer token of a user. The secret is shown once, when issued; only its hash is stored.',
})
export class ApiToken extends Node {
  @Field({ description: "What the token is for, e.g. the partner app's name." }) label!: string;
  @Field(() => DateTimeScalar, { description: 'When it was issued.' }) createdAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'After this instant the token is refused; null: never.' }) expiresAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When it last authenticated a request (kept to the minute).' }) lastUsedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was revoked, if it was.' }) revokedAt!: Date | null;
  @Field(() => Int, { nullable: true, description: "Requests per minute it may make; null: the server's default for the user's role." }) rateLimitPerMinute!:
    number | null;
}
