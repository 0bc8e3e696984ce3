import { Field, Float, ObjectType } from 'type-graphql';
import { RANK_WINDOW } from '../../domain/full-text-search.js';
import { Connection } from '../core/connection.type.js';
import { Rating } from '../core/enums.js';
import { Node } from '../core/node.type.js';
import { DateTimeScalar, JSONObjectScalar } from '../core/scalars.js';

@ObjectType({ simpleResolvers: true, description: 'A change to a published fact check.' })
export class Correction {
  @Field(() => DateTimeScalar, { description: 'When the correction was published.' }) at!: Date;
  @Field({ description: 'What changed and why.' }) note!: string;
  @Field(() => Rating, { description: 'The rating before the correction.' }) previousRating!: Rating;
  @Field({ description: "The desk's name for the rating before the correction." }) previousTextualRating!: string;
  @Field(() => Rating, { description: 'The rating after the correction.' }) rating!: Rating;
  @Field({ description: "The desk's name for the rating after the correction." }) textualRating!: string;
  @Field({ description: 'Whether the correction changed the rating or its label.' }) ratingChanged!: boolean;
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

@ObjectType({ simpleResolvers: true, description: 'A published fact check and how similar its claim is to another.' })
export class SimilarFactCheck {
  @Field(() => FactCheck, { description: 'The fact check.' }) factCheck!: FactCheck;
  @Field(() => Float, { description: 'Similarity from 0 to 1.' }) similarity!: number;
}
export const FactCheckConnection = Connection(
  'FactCheck',
  FactCheck,
  `How many match, over all pages. A search ranks the newest ${RANK_WINDOW.toLocaleString('en')} matches, so with \`search\` this counts at most that many.`,
);
