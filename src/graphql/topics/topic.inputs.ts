import { Field, ID, InputType, Int } from 'type-graphql';

type Maybe<T> = T | null | undefined;

@InputType({ description: 'A new topic.' })
export class CreateTopicInput {
  @Field({
    description:
      'Its name, 1..100 characters (trimmed), with a letter or a digit; an existing name (regardless of case and accents) is CONFLICT with extensions.topicId.',
  })
  name!: string;
  @Field(() => String, { nullable: true, description: 'Its Wikidata item ID: "Q" and digits, e.g. "Q12147".' }) wikidataId?: Maybe<string>;
}

@InputType({ description: 'The topics of a claim, replacing the ones it has.' })
export class SetClaimTopicsInput {
  @Field(() => ID, { description: 'The claim (not DISMISSED).' }) claimId!: string;
  @Field(() => Int, { nullable: true, description: 'The version the caller last saw; a mismatch fails with CONFLICT.' }) expectedVersion?: Maybe<number>;
  @Field(() => [ID], { description: 'The topics, at most 10; an empty list removes them all.' }) topicIds!: string[];
}
