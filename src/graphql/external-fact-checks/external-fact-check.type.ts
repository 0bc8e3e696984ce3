import { createUnionType, Field, Float, ObjectType } from 'type-graphql';
import { RANK_WINDOW } from '../../domain/full-text-search.js';
import { Connection } from '../core/connection.type.js';
import { Rating } from '../core/enums.js';
import { Node } from '../core/node.type.js';
import { DateTimeScalar, JSONObjectScalar, URLScalar } from '../core/scalars.js';
import { FactCheck } from '../fact-checks/fact-check.type.js';

@ObjectType({ implements: Node, simpleResolvers: true, description: 'A fact check published by another organisation, brought in from its ClaimReview markup.' })
export class ExternalFactCheck extends Node {
  @Field(() => URLScalar, { description: "The review's own page at its publisher; unique, compared after URL normalisation." }) reviewUrl!: string;
  @Field({ description: "Who published it (the ClaimReview's author)." }) publisherName!: string;
  @Field(() => URLScalar, {
    nullable: true,
    description: "The publisher's site, if the markup gives one (a bare domain, as Fact Check Tools gives it, becomes https://<domain>).",
  })
  publisherSite!: string | null;
  @Field({ description: 'The claim as they stated it.' }) claimReviewed!: string;
  @Field(() => String, { nullable: true, description: 'Who made the claim, as they named it.' }) claimant!: string | null;
  @Field({ description: 'Their rating as they wrote it.' }) textualRating!: string;
  @Field(() => Rating, { nullable: true, description: 'Their rating on our scale, by the rating rules; null when no rule decides.' }) rating!: Rating | null;
  @Field(() => String, { nullable: true, description: "The review's BCP 47 language, if given." }) language!: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When they published it, if given.' }) publishedAt!: Date | null;
  @Field(() => [URLScalar], { description: 'Where the claim appeared, as their markup lists it (itemReviewed appearance and firstAppearance).' })
  appearanceUrls!: string[];
  @Field(() => DateTimeScalar, { description: 'When it was first brought in.' }) importedAt!: Date;
  @Field(() => DateTimeScalar, { description: 'When an import last changed it.' }) updatedAt!: Date;
  @Field(() => JSONObjectScalar, { description: 'The ClaimReview as received.' }) claimReview!: object;
}

export const ExternalFactCheckConnection = Connection(
  'ExternalFactCheck',
  ExternalFactCheck,
  `How many match, on every page. A search ranks the newest ${RANK_WINDOW.toLocaleString('en')} matches, so with \`search\` this counts at most that many.`,
);

/** Resolved by the row's __typename (src/domain/external-fact-checks/queries.ts sets it); synchronous for graphql-jit (src/graphql/schema.ts). */
export const AnyFactCheck = createUnionType({
  name: 'AnyFactCheck',
  description: 'A fact check of this desk or of another publisher.',
  types: () => [FactCheck, ExternalFactCheck] as const,
  resolveType: (value) => (value as { __typename?: string }).__typename,
});

@ObjectType({ simpleResolvers: true, description: 'A fact check whose claim reads like another claim.' })
export class RelatedFactCheck {
  @Field(() => AnyFactCheck, { description: 'The fact check.' }) item!: typeof AnyFactCheck;
  @Field(() => Float, { description: 'Similarity from 0 to 1.' }) similarity!: number;
}
