import { Field, InputType } from 'type-graphql';
import { Rating } from '../core/enums.js';

@InputType({ description: 'A document of ClaimReview markup to import.' })
export class ImportExternalFactChecksInput {
  @Field({
    description:
      "The document's text: JSON (a ClaimReview, a list of them, a schema.org DataFeed, or a Fact Check Tools claims:search answer) or HTML with JSON-LD script blocks.",
  })
  document!: string;
}

@InputType({ description: "A rule of the desk's own." })
export class ExternalRatingRuleInput {
  @Field({ description: 'The textual rating it matches.' }) textualRating!: string;
  @Field(() => String, { nullable: true, description: 'Only for reviews in this language; null: any.' }) language?: string | null;
  @Field(() => Rating, { description: 'The rating it means.' }) rating!: Rating;
}

@InputType({ description: "The desk's rules, replacing the ones it set before (built-in rules stay, after the desk's)." })
export class SetExternalRatingRulesInput {
  @Field(() => [ExternalRatingRuleInput], { description: 'At most 500 rules.' }) rules!: ExternalRatingRuleInput[];
}
