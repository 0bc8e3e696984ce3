import { Field, ObjectType } from 'type-graphql';
import { User } from './user.type.js';

@ObjectType({ simpleResolvers: true, description: 'Result of createUser.' })
export class CreateUserPayload {
  @Field(() => User, { description: 'The new user.' }) user!: User;
}
