import { Field, ObjectType } from 'type-graphql';
import { RatingScale } from './rating-scale.type.js';

@ObjectType({ simpleResolvers: true, description: 'The result of setRatingScale.' })
export class SetRatingScalePayload {
  @Field(() => RatingScale, { description: 'The scale now in force.' }) ratingScale!: RatingScale;
}
