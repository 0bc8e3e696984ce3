import { Field, ID, InputType, Int } from 'type-graphql';
import { Rating } from '../core/enums.js';
import { DateTimeScalar, URLScalar } from '../core/scalars.js';

type Maybe<T> = T | null | undefined;

@InputType({ description: 'Which fact checks to list. All given conditions must hold.' })
export class FactCheckFilter {
  @Field(() => String, { nullable: true, description: 'Words that the claim, quote or summary must contain (full-text search, ranked).' })
  search?: Maybe<string>;
  @Field(() => [Rating], { nullable: true, description: 'Any of these ratings.' }) rating?: Maybe<Rating[]>;
  @Field(() => URLScalar, { nullable: true, description: 'Taken from the article at this URL.' }) articleUrl?: Maybe<string>;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Published at or after this instant.' }) publishedAfter?: Maybe<Date>;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Published before this instant.' }) publishedBefore?: Maybe<Date>;
  @Field(() => String, { nullable: true, description: 'In this BCP-47 language: a range, so "pt" also holds pt-BR and pt-PT (RFC 4647 basic filtering).' })
  language?: Maybe<string>;
  @Field(() => URLScalar, {
    nullable: true,
    description:
      'Fact checks of claims made at this URL: the source article or a recorded appearance. URLs compare after\nnormalisation (scheme and host case, default port, trailing slash, fragment, utm_* and similar tracking parameters; the remaining query parameters sorted).',
  })
  appearanceUrl?: Maybe<string>;
  @Field(() => ID, { nullable: true, description: "Claims of this claimant (a merged claimant's ID finds its target's)." })
  speakerId?: Maybe<string>;
  @Field(() => [ID], { nullable: true, description: 'Claims filed under any of these topics (at most 100; an empty list filters nothing).' })
  topicIds?: Maybe<string[]>;
}

@InputType({ description: 'Input of publishFactCheck.' })
export class PublishFactCheckInput {
  @Field(() => ID, { description: 'The claim; it must be REVIEWED or DISPUTED, or PUBLISHED to correct it.' }) claimId!: string;
  @Field(() => Int, { nullable: true, description: 'The version the caller last saw; a mismatch fails with CONFLICT.' }) expectedVersion?: Maybe<number>;
  @Field(() => Rating, {
    nullable: true,
    description: "The published rating; may be left out when ratingLabel is given (then it is the label's rating, and if both are given they must agree).",
  })
  rating?: Maybe<Rating>;
  @Field(() => String, { nullable: true, description: "Key of a label of the desk's rating scale to publish with." }) ratingLabel?: Maybe<string>;
  @Field({ description: 'The published explanation.' }) summary!: string;
  @Field(() => String, { nullable: true, description: 'What changed and why; required when the claim was published before.' }) correctionNote?: Maybe<string>;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      "Publish at this instant instead of now (a first publication only, else BAD_USER_INPUT; at most 90 days\nahead). Until then no partner and no public page can read it; staff see Claim.scheduledPublication, and\npartners with embargo access receive it as fact_check.scheduled. The payload's factCheck is then the fact\ncheck as it will be published. Null or past: now.",
  })
  publishAt?: Maybe<Date>;
}
