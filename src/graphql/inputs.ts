import { Field, ID, InputType, Int } from 'type-graphql';
import { DateTimeScalar, URLScalar } from './scalars.js';
import { ClaimStatus, Confidence, EvidenceKind, Priority, Rating, Role, Stance } from './enums.js';

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
}

@InputType({ description: 'Input of ingestArticle.' })
export class IngestArticleInput {
  @Field(() => URLScalar, { description: 'Canonical URL; ingesting the same URL and body again returns the existing article.' }) url!: string;
  @Field({ description: 'Headline or title.' }) title!: string;
  @Field({ description: 'Full text.' }) body!: string;
  @Field(() => String, { nullable: true, description: 'Outlet or organisation.' }) publisher?: Maybe<string>;
  @Field(() => String, { nullable: true, description: 'Byline.' }) author?: Maybe<string>;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was published.' }) publishedAt?: Maybe<Date>;
  @Field(() => String, { nullable: true, defaultValue: 'en', description: 'BCP-47 language tag.' }) language?: Maybe<string>;
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
}

@InputType({ description: 'Input of assignClaim.' })
export class AssignClaimInput {
  @Field(() => ID, { description: 'The claim.' }) claimId!: string;
  @Field(() => [ID], { description: 'Reviewers to assign; already active ones are left as they are.' }) reviewerIds!: string[];
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the verdicts are due.' }) dueAt?: Maybe<Date>;
}

@InputType({ description: 'Input of withdrawAssignment.' })
export class WithdrawAssignmentInput {
  @Field(() => ID, { description: 'The assignment.' }) assignmentId!: string;
}

@InputType({ description: 'Input of addEvidence.' })
export class AddEvidenceInput {
  @Field(() => ID, { description: 'The claim.' }) claimId!: string;
  @Field(() => EvidenceKind, { description: 'What kind of evidence it is.' }) kind!: EvidenceKind;
  @Field(() => URLScalar, { nullable: true, description: 'Where it can be found.' }) url?: Maybe<string>;
  @Field({ description: 'Short title.' }) title!: string;
  @Field(() => String, { nullable: true, description: 'The relevant passage.' }) excerpt?: Maybe<string>;
  @Field(() => Stance, { description: 'How it bears on the claim.' }) stance!: Stance;
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

@InputType({ description: 'Input of submitVerdict.' })
export class SubmitVerdictInput {
  @Field(() => ID, { description: 'The claim; the viewer must hold an active assignment on it.' }) claimId!: string;
  @Field(() => Rating, { description: 'The rating.' }) rating!: Rating;
  @Field(() => Confidence, { description: 'How sure the reviewer is.' }) confidence!: Confidence;
  @Field({ description: 'The reasoning.' }) rationale!: string;
  @Field(() => [ID], { nullable: true, defaultValue: [], description: 'Evidence of this claim that the verdict relies on.' }) evidenceIds?: Maybe<string[]>;
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
}

@InputType({ description: 'Input of dismissClaim.' })
export class DismissClaimInput {
  @Field(() => ID, {
    description: 'The claim; it must be OPEN, IN_REVIEW, DISPUTED, REVIEWED or PUBLISHED. Its fact check, if one was published, is retracted.',
  })
  claimId!: string;
  @Field(() => Int, { nullable: true, description: 'The version the caller last saw; a mismatch fails with CONFLICT.' }) expectedVersion?: Maybe<number>;
  @Field({ description: 'Why it is not checked.' }) reason!: string;
}

@InputType({ description: 'Input of reopenClaim.' })
export class ReopenClaimInput {
  @Field(() => ID, { description: 'The claim; it must be DISPUTED, REVIEWED, PUBLISHED or DISMISSED.' }) claimId!: string;
  @Field(() => Int, { nullable: true, description: 'The version the caller last saw; a mismatch fails with CONFLICT.' }) expectedVersion?: Maybe<number>;
  @Field({ description: 'Why it is reopened.' }) reason!: string;
}

@InputType({ description: 'Input of createUser.' })
export class CreateUserInput {
  @Field({ description: 'Display name.' }) name!: string;
  @Field({ description: 'Unique e-mail address.' }) email!: string;
  @Field(() => Role, { description: 'What the user may do.' }) role!: Role;
}
