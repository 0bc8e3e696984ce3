/** How other publishers' textual ratings map to ratings (contract v3: "Other publishers' fact checks"). */
import { Field, ObjectType } from 'type-graphql';
import { Rating } from '../core/enums.js';

@ObjectType({ simpleResolvers: true, description: "A rule that maps another publisher's textual rating to a rating." })
export class ExternalRatingRule {
  @Field({ description: 'The textual rating it matches, compared case- and accent-insensitively, whole.' }) textualRating!: string;
  @Field(() => String, { nullable: true, description: 'Only for reviews in this BCP 47 language (and its sub-tags); null: any language.' })
  language!: string | null;
  @Field(() => Rating, { description: 'The rating it means.' }) rating!: Rating;
  @Field({ description: "Whether the desk set it (true) or it is one of the server's built-in rules (false)." }) custom!: boolean;
}
