import { Field, ObjectType } from 'type-graphql';
import { Claim } from '../claims/claim.type.js';

@ObjectType({ simpleResolvers: true, description: 'The result of cancelScheduledPublication.' })
export class CancelScheduledPublicationPayload {
  @Field(() => Claim, { description: 'The claim after the change.' }) claim!: Claim;
}
