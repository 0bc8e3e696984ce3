import { Field, InputType, Int } from 'type-graphql';
import { Rating } from '../core/enums.js';

type Maybe<T> = T | null | undefined;

@InputType({ description: 'A text in one language.' })
export class LocalizedTextInput {
  @Field({ description: 'BCP-47 language tag.' }) locale!: string;
  @Field({ description: 'The text.' }) text!: string;
}

@InputType({ description: 'One label of a rating scale.' })
export class RatingLabelInput {
  @Field({ description: 'Stable key: lowercase letters, digits and hyphens, 1..40.' }) key!: string;
  @Field(() => Rating, { description: 'The normalized rating it means.' }) rating!: Rating;
  @Field(() => Int, {
    nullable: true,
    description:
      'Its place on the scale, 1 = worst; labels may share a place. By default its position among the labels that do not mean UNPROVEN. Must be null for labels that mean UNPROVEN.',
  })
  value?: Maybe<number>;
  @Field(() => [LocalizedTextInput], { description: "Its names; one must be in the scale's default locale." }) names!: LocalizedTextInput[];
  @Field(() => [LocalizedTextInput], { nullable: true, description: 'What it means, per locale.' }) descriptions?: Maybe<LocalizedTextInput[]>;
}

@InputType({ description: 'The whole rating scale, replacing the one in force.' })
export class SetRatingScaleInput {
  @Field({ description: "The scale's name." }) name!: string;
  @Field({ description: 'The locale every label must have a name in.' }) defaultLocale!: string;
  @Field(() => [RatingLabelInput], {
    description:
      '2..20 labels from worst to best (labels that mean UNPROVEN may stand anywhere). A key that a published fact\ncheck uses may not be removed (CONFLICT).',
  })
  labels!: RatingLabelInput[];
}
