/** The desk's rating scale (contract: RatingScale, RatingLabel, LocalizedText and their inputs). */
import { Field, Int, ObjectType } from 'type-graphql';
import { Rating } from '../core/enums.js';

@ObjectType({ simpleResolvers: true, description: 'A text in one language.' })
export class LocalizedText {
  @Field({ description: 'BCP-47 language tag.' }) locale!: string;
  @Field({ description: 'The text.' }) text!: string;
}

/** name(locale) and description(locale) are field resolvers (rating-scale.resolver.ts). */
@ObjectType({ simpleResolvers: true, description: 'One label of the desk\'s rating scale, e.g. "Pants on Fire", which means FALSE.' })
export class RatingLabel {
  @Field({ description: 'Stable key, e.g. pants-on-fire.' }) key!: string;
  @Field(() => Rating, { description: 'The normalized rating it means, comparable across publishers.' }) rating!: Rating;
  @Field(() => Int, { nullable: true, description: 'Its place on the scale, 1 = worst (ClaimReview ratingValue); null for labels that mean UNPROVEN.' })
  value!: number | null;
  @Field(() => [LocalizedText], { description: 'Every translation of its name.' }) names!: LocalizedText[];
}

@ObjectType({ simpleResolvers: true, description: "The desk's rating scale: the labels its fact checks are published with." })
export class RatingScale {
  @Field({ description: "The scale's name." }) name!: string;
  @Field({ description: 'The locale every label has a name in.' }) defaultLocale!: string;
  @Field(() => [RatingLabel], { description: 'Labels from worst to best; labels that mean UNPROVEN last.' }) labels!: RatingLabel[];
  @Field(() => Int, { description: 'ClaimReview bestRating: the highest value.' }) bestValue!: number;
  @Field(() => Int, { description: 'ClaimReview worstRating: 1.' }) worstValue!: number;
}
