import { Field, InputType } from 'type-graphql';
import { Role } from '../core/enums.js';

@InputType({ description: 'Input of createUser.' })
export class CreateUserInput {
  @Field({ description: 'Display name.' }) name!: string;
  @Field({ description: 'Unique e-mail address.' }) email!: string;
  @Field(() => Role, { description: 'What the user may do.' }) role!: Role;
}
