import { Field, InputType } from 'type-graphql';
import { URLScalar } from '../core/scalars.js';

type Maybe<T> = T | null | undefined;

@InputType({ description: "The organisation's profile; every field is set as given (null, or left out, clears an optional one)." })
export class SetOrganizationInput {
  @Field({ description: 'Its name, 1..200 characters (trimmed).' }) name!: string;
  @Field(() => URLScalar, { description: 'Its site.' }) url!: string;
  @Field(() => URLScalar, { nullable: true, description: 'Its logo.' }) logo?: Maybe<string>;
  @Field(() => URLScalar, { nullable: true, description: 'Where its corrections policy is published.' }) correctionsPolicy?: Maybe<string>;
  @Field(() => URLScalar, { nullable: true, description: 'Its methodology.' }) verificationFactCheckingPolicy?: Maybe<string>;
  @Field(() => URLScalar, { nullable: true, description: 'Who owns and funds it.' }) ownershipFundingInfo?: Maybe<string>;
  @Field(() => URLScalar, { nullable: true, description: 'Its ethics policy.' }) ethicsPolicy?: Maybe<string>;
  @Field(() => URLScalar, { nullable: true, description: 'The principles it publishes by.' }) publishingPrinciples?: Maybe<string>;
}
