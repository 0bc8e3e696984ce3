import { Field, ID, InputType, Int } from 'type-graphql';
import { ClaimStatus, Priority } from '../core/enums.js';
import { DateTimeScalar, URLScalar } from '../core/scalars.js';

type Maybe<T> = T | null | undefined;

@InputType({ description: 'A half-open range [start, end) of Unicode code points in an article body.' })
export class TextSpanInput {
  @Field(() => Int, { description: 'Offset of the first code point.' }) start!: number;
  @Field(() => Int, { description: 'Offset one past the last code point.' }) end!: number;
}

@InputType({ description: 'Which claims to list. All given conditions must hold.' })
export class ClaimFilter {
  @Field(() => [ClaimStatus], { nullable: true, description: 'Any of these statuses.' }) status?: Maybe<ClaimStatus[]>;
  @Field(() => ID, { nullable: true, description: 'Taken from this article.' }) articleId?: Maybe<string>;
  @Field(() => ID, { nullable: true, description: 'With an assignment (in any state) for this reviewer.' }) reviewerId?: Maybe<string>;
  @Field(() => [Priority], { nullable: true, description: 'Any of these priorities.' }) priority?: Maybe<Priority[]>;
  @Field(() => String, { nullable: true, description: 'Words that the quote or statement must contain (full-text search).' }) search?: Maybe<string>;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Due before this instant.' }) dueBefore?: Maybe<Date>;
}

@InputType({ description: 'Input of createClaim. Give the quote, and the span when the quote occurs more than once.' })
export class CreateClaimInput {
  @Field(() => ID, { description: 'The article.' }) articleId!: string;
  @Field({ description: 'The exact words of the article that make the claim.' }) quote!: string;
  @Field(() => TextSpanInput, { nullable: true, description: 'Where the quote stands; required when it occurs more than once.' }) span?: Maybe<TextSpanInput>;
  @Field(() => String, { nullable: true, description: 'The claim restated as a checkable statement; defaults to the quote.' }) statement?: Maybe<string>;
  @Field(() => String, { nullable: true, description: 'Who made the claim.' }) claimant?: Maybe<string>;
  @Field(() => Priority, { nullable: true, defaultValue: 'NORMAL', description: 'How urgent it is.' }) priority?: Maybe<Priority>;
  @Field(() => Int, { nullable: true, defaultValue: 1, description: 'How many verdicts a review round needs, 1 to 5.' }) requiredVerdicts?: Maybe<number>;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the review should be done.' }) dueAt?: Maybe<Date>;
  @Field(() => ID, { nullable: true, description: 'The claimant entity; `claimant`, if not given, defaults to its name.' }) speakerId?: Maybe<string>;
  @Field(() => [ID], { nullable: true, description: 'Topics to file the claim under, at most 10.' }) topicIds?: Maybe<string[]>;
}

@InputType({ description: 'Input of updateClaim; omitted fields stay as they are.' })
export class UpdateClaimInput {
  @Field(() => ID, { description: 'The claim.' }) claimId!: string;
  @Field(() => Int, { nullable: true, description: 'The version the caller last saw; a mismatch fails with CONFLICT.' }) expectedVersion?: Maybe<number>;
  @Field(() => String, { nullable: true, description: 'New statement.' }) statement?: Maybe<string>;
  @Field(() => String, { nullable: true, description: 'New claimant.' }) claimant?: Maybe<string>;
  @Field(() => Priority, { nullable: true, description: 'New priority.' }) priority?: Maybe<Priority>;
  @Field(() => Int, { nullable: true, description: 'New number of required verdicts, 1 to 5.' }) requiredVerdicts?: Maybe<number>;
  @Field(() => DateTimeScalar, { nullable: true, description: 'New due date.' }) dueAt?: Maybe<Date>;
  @Field(() => ID, { nullable: true, description: 'New claimant entity; null removes it. `claimant` (the name as written) changes only if given.' })
  speakerId?: Maybe<string>;
}

@InputType({ description: 'Where and when a claim appeared.' })
export class AddClaimAppearanceInput {
  @Field(() => ID, { description: 'The claim.' }) claimId!: string;
  @Field(() => URLScalar, {
    description: "Where it appeared. One already recorded for the claim (after normalisation), or the claim's source article, changes nothing.",
  })
  url!: string;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When it appeared there.' }) appearedAt?: Maybe<Date>;
  @Field(() => URLScalar, { nullable: true, description: 'An archived copy of that page.' }) archivedUrl?: Maybe<string>;
  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'Mark this as the first appearance (any earlier mark moves here, also to an appearance already recorded).',
  })
  firstAppearance?: Maybe<boolean>;
  @Field(() => Int, { nullable: true, description: 'The version the caller last saw; a mismatch fails with CONFLICT.' }) expectedVersion?: Maybe<number>;
}

@InputType({ description: 'Input of dismissClaim.' })
export class DismissClaimInput {
  @Field(() => ID, {
    description: 'The claim; it must be OPEN, IN_REVIEW, DISPUTED, REVIEWED or PUBLISHED. Its fact check, if one was published, is retracted.',
  })
  claimId!: string;
  @Field(() => Int, { nullable: true, description: 'The version the caller last saw; a mismatch fails with CONFLICT.' }) expectedVersion?: Maybe<number>;
  @Field({ description: 'Why it is not checked.' }) reason!: string;
  @Field(() => String, {
    nullable: true,
    description:
      'What the public corrections log says of a retraction (a claim whose fact check partners can see); at most 2,000 characters; default "Retracted".',
  })
  publicNote?: Maybe<string>;
}

@InputType({ description: 'Input of reopenClaim.' })
export class ReopenClaimInput {
  @Field(() => ID, { description: 'The claim; it must be DISPUTED, REVIEWED, PUBLISHED or DISMISSED.' }) claimId!: string;
  @Field(() => Int, { nullable: true, description: 'The version the caller last saw; a mismatch fails with CONFLICT.' }) expectedVersion?: Maybe<number>;
  @Field({ description: 'Why it is reopened.' }) reason!: string;
}
