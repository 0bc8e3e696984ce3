/**
 * The object types of the contract. Only their own scalar fields are declared here; relations and
 * computed fields are field resolvers in the *.resolver.ts files, which keeps these classes free of
 * import cycles. `simpleResolvers` everywhere: we use no type-graphql middleware, so plain fields can
 * resolve by property access instead of through a wrapper per field and row.
 */
import { Field, Float, ID, Int, InterfaceType, ObjectType } from 'type-graphql';
import { DateTimeScalar, JSONObjectScalar, URLScalar } from './scalars.js';
import { AssignmentState, ClaimEventType, ClaimStatus, Confidence, EvidenceKind, Priority, Rating, Role, Stance } from './enums.js';
import { RANK_WINDOW } from '../domain/fact-checks/search.js';
import { Connection } from './connection.js';

@InterfaceType({
  description: 'An object with a globally unique, opaque ID that node(id:) can fetch again.',
  resolveType: (value: { __typename?: string }) => value.__typename,
})
export abstract class Node {
  @Field(() => ID, { description: 'Globally unique, opaque identifier.' }) id!: string;
}

@ObjectType({ implements: Node, simpleResolvers: true, description: 'A person or partner application known to the system.' })
export class User extends Node {
  @Field({ description: 'Display name.' }) name!: string;
  @Field(() => Role, { description: 'What this user may do.' }) role!: Role;
  @Field({ description: "Whether the user may act; a deactivated user's tokens are refused (admins can reactivate)." }) active!: boolean;
}

@ObjectType({ simpleResolvers: true, description: 'A half-open range [start, end) of Unicode code points in an article body.' })
export class TextSpan {
  @Field(() => Int, { description: 'Offset of the first code point.' }) start!: number;
  @Field(() => Int, { description: 'Offset one past the last code point.' }) end!: number;
}

@ObjectType({ implements: Node, simpleResolvers: true, description: 'A published source (news article, statement, transcript) that claims are taken from.' })
export class Article extends Node {
  @Field(() => URLScalar, { description: 'Canonical URL of the source.' }) url!: string;
  @Field({ description: 'Headline or title.' }) title!: string;
  @Field(() => String, { nullable: true, description: 'Outlet or organisation that published it.' }) publisher!: string | null;
  @Field(() => String, { nullable: true, description: 'Byline.' }) author!: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the source was published.' }) publishedAt!: Date | null;
  @Field({ description: 'BCP-47 language tag of the body, e.g. en.' }) language!: string;
  @Field(() => DateTimeScalar, { description: 'When it was ingested.' }) ingestedAt!: Date;
}

@ObjectType({ simpleResolvers: true, description: 'A sentence of an article that looks worth checking.' })
export class ClaimSuggestion {
  @Field({ description: 'The exact text of the span.' }) quote!: string;
  @Field(() => TextSpan, { description: 'Where it stands in the article body.' }) span!: TextSpan;
  @Field(() => Float, { description: 'Check-worthiness from 0 (not worth checking) to 1.' }) score!: number;
  @Field(() => [String], { description: 'Short, human-readable reasons for the score.' }) reasons!: string[];
}

@ObjectType({ implements: Node, simpleResolvers: true, description: 'A checkable statement taken from an article, and its review.' })
export class Claim extends Node {
  @Field({ description: 'The exact words of the article that make the claim.' }) quote!: string;
  @Field({ description: 'The claim restated as a checkable statement.' }) statement!: string;
  @Field(() => String, { nullable: true, description: 'Who made the claim, if not the article itself.' }) claimant!: string | null;
  @Field(() => ClaimStatus, { description: 'Where the claim stands in the workflow.' }) status!: ClaimStatus;
  @Field(() => Priority, { description: 'How urgent it is.' }) priority!: Priority;
  @Field(() => Int, { description: 'How many verdicts a review round needs.' }) requiredVerdicts!: number;
  @Field(() => Int, { description: 'The current review round, from 1; reopenClaim starts a new one.' }) round!: number;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the review should be done.' }) dueAt!: Date | null;
  @Field(() => Int, { description: 'Increases with every change; pass it as expectedVersion to guard against concurrent edits.' }) version!: number;
  @Field(() => DateTimeScalar, { description: 'When the claim was created.' }) createdAt!: Date;
  @Field(() => DateTimeScalar, { description: 'When the claim last changed.' }) updatedAt!: Date;
}

@ObjectType({ implements: Node, simpleResolvers: true, description: "A reviewer's assignment to a claim." })
export class Assignment extends Node {
  @Field(() => DateTimeScalar, { description: 'When it was assigned.' }) assignedAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the verdict is due.' }) dueAt!: Date | null;
  @Field(() => AssignmentState, { description: 'Whether the verdict is still owed.' }) state!: AssignmentState;
}

@ObjectType({ implements: Node, simpleResolvers: true, description: 'A piece of evidence about a claim.' })
export class Evidence extends Node {
  @Field(() => EvidenceKind, { description: 'What kind of evidence it is.' }) kind!: EvidenceKind;
  @Field(() => URLScalar, { nullable: true, description: 'Where it can be found.' }) url!: string | null;
  @Field({ description: 'Short title.' }) title!: string;
  @Field(() => String, { nullable: true, description: 'The relevant passage.' }) excerpt!: string | null;
  @Field(() => Stance, { description: 'How it bears on the claim.' }) stance!: Stance;
  @Field(() => DateTimeScalar, { description: 'When it was added.' }) addedAt!: Date;
}

@ObjectType({ implements: Node, simpleResolvers: true, description: "A reviewer's judgement of a claim." })
export class Verdict extends Node {
  @Field(() => Rating, { description: 'The rating given.' }) rating!: Rating;
  @Field(() => Confidence, { description: 'How sure the reviewer is.' }) confidence!: Confidence;
  @Field({ description: 'Why: the reasoning, citing the evidence.' }) rationale!: string;
  @Field(() => DateTimeScalar, { description: 'When it was submitted.' }) submittedAt!: Date;
}

@ObjectType({ simpleResolvers: true, description: "One entry of a claim's audit trail." })
export class ClaimEvent {
  @Field(() => ClaimEventType, { description: 'What happened.' }) type!: ClaimEventType;
  @Field(() => DateTimeScalar, { description: 'When it happened.' }) at!: Date;
  @Field(() => ClaimStatus, { nullable: true, description: 'Status before.' }) fromStatus!: ClaimStatus | null;
  @Field(() => ClaimStatus, { nullable: true, description: 'Status after.' }) toStatus!: ClaimStatus | null;
  @Field(() => String, { nullable: true, description: 'Free-text note, e.g. a dismissal reason.' }) note!: string | null;
  @Field(() => Int, { description: 'The claim version this change produced.' }) version!: number;
}

@ObjectType({ simpleResolvers: true, description: 'A change to a published fact check.' })
export class Correction {
  @Field(() => DateTimeScalar, { description: 'When the correction was published.' }) at!: Date;
  @Field({ description: 'What changed and why.' }) note!: string;
  @Field(() => Rating, { description: 'The rating before the correction.' }) previousRating!: Rating;
  @Field({ description: "The desk's name for the rating before the correction." }) previousTextualRating!: string;
}

@ObjectType({ implements: Node, simpleResolvers: true, description: 'A published fact check: the public view of a claim that partners may read.' })
export class FactCheck extends Node {
  @Field({ description: 'The claim restated as a checkable statement.' }) claimReviewed!: string;
  @Field({ description: 'The exact words of the source.' }) quote!: string;
  @Field(() => String, { nullable: true, description: 'Who made the claim.' }) claimant!: string | null;
  @Field(() => Rating, { description: 'The published rating.' }) rating!: Rating;
  @Field({ description: 'The published explanation of the rating.' }) summary!: string;
  @Field(() => DateTimeScalar, { description: 'When it was first published.' }) publishedAt!: Date;
  @Field(() => DateTimeScalar, { description: 'When it last changed (a correction, or a newly recorded appearance).' }) updatedAt!: Date;
  @Field(() => JSONObjectScalar, { description: 'The fact check as schema.org ClaimReview JSON-LD.' }) claimReview!: object;
  @Field({ description: 'The desk\'s own name for the rating, in the fact check\'s language, as published (e.g. "Pants on Fire").' }) textualRating!: string;
}

@ObjectType({ simpleResolvers: true, description: 'A place where a claim was made or repeated, besides its source article.' })
export class ClaimAppearance {
  @Field(() => URLScalar, { description: 'Where it appeared (as recorded; lookups compare it normalised).' }) url!: string;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When it appeared there, if known.' }) appearedAt!: Date | null;
  @Field(() => URLScalar, { nullable: true, description: 'An archived copy of that page.' }) archivedUrl!: string | null;
  @Field({ description: 'Whether this is where the claim first appeared (at most one appearance of a claim is).' }) firstAppearance!: boolean;
}

@ObjectType({ simpleResolvers: true, description: 'A published fact check and how similar its claim is to another.' })
export class SimilarFactCheck {
  @Field(() => FactCheck, { description: 'The fact check.' }) factCheck!: FactCheck;
  @Field(() => Float, { description: 'Similarity from 0 to 1.' }) similarity!: number;
}

export const ClaimConnection = Connection('Claim', Claim);
export const ArticleConnection = Connection('Article', Article);
export const AssignmentConnection = Connection('Assignment', Assignment);
export const UserConnection = Connection('User', User);
export const FactCheckConnection = Connection(
  'FactCheck',
  FactCheck,
  `How many match, over all pages. A search ranks the newest ${RANK_WINDOW.toLocaleString('en')} matches, so with \`search\` this counts at most that many.`,
);
