import { Field, ObjectType } from 'type-graphql';
import { Organization } from './organization.type.js';

@ObjectType({ simpleResolvers: true, description: 'The result of setOrganization.' })
export class SetOrganizationPayload {
  @Field(() => Organization, { description: 'The profile now in force.' }) organization!: Organization;
}
