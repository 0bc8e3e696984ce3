import { Field, ObjectType } from 'type-graphql';
import { Rating } from '../core/enums.js';
import { DateTimeScalar } from '../core/scalars.js';

@ObjectType({ simpleResolvers: true, description: 'A publication waiting for its time (staff only).' })
export class ScheduledPublication {
  @Field(() => DateTimeScalar, { description: 'When it becomes public.' }) publishAt!: Date;
  @Field(() => Rating, { description: 'The rating it will carry.' }) rating!: Rating;
  @Field({ description: "The desk's name for it." }) textualRating!: string;
  @Field({ description: 'The explanation it will carry.' }) summary!: string;
}
