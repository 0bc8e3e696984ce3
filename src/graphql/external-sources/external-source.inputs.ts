import { Field, ID, InputType, Int } from 'type-graphql';
import { URLScalar } from '../core/scalars.js';

type Maybe<T> = T | null | undefined;

@InputType({ description: 'A new feed.' })
export class CreateExternalSourceInput {
  @Field({ description: 'What the desk calls it.' }) name!: string;
  @Field(() => URLScalar, { description: 'Where to fetch it (http or https; private addresses only where the server allows them).' }) url!: string;
  @Field(() => Int, { nullable: true, defaultValue: 60, description: 'Minutes between fetches, 5..10080.' }) intervalMinutes?: Maybe<number>;
}

@InputType({ description: 'What updateExternalSource changes; fields left out stay as they are.' })
export class UpdateExternalSourceInput {
  @Field(() => ID, { description: 'The feed.' }) sourceId!: string;
  @Field(() => String, { nullable: true, description: 'New name.' }) name?: Maybe<string>;
  @Field(() => URLScalar, { nullable: true, description: 'New URL.' }) url?: Maybe<string>;
  @Field(() => Int, { nullable: true, description: 'New interval, 5..10080 minutes.' }) intervalMinutes?: Maybe<number>;
  @Field(() => Boolean, { nullable: true, description: 'Enable or disable it.' }) enabled?: Maybe<boolean>;
}

@InputType({ description: 'The feed to remove.' })
export class DeleteExternalSourceInput {
  @Field(() => ID, { description: 'The feed.' }) sourceId!: string;
}

@InputType({ description: 'The feed to fetch now.' })
export class FetchExternalSourceInput {
  @Field(() => ID, { description: 'The feed.' }) sourceId!: string;
}
