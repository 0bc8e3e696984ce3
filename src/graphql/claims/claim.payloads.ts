import { Field, ObjectType } from 'type-graphql';
import { Claim } from './claim.type.js';

const claimPayload = (name: string) => {
  @ObjectType(name, { simpleResolvers: true, description: `Result of ${name.replace(/Payload$/, '').replace(/^./, (c) => c.toLowerCase())}.` })
  class ClaimPayload {
    @Field(() => Claim, { description: 'The claim after the change.' }) claim!: Claim;
  }
  return ClaimPayload;
};
export const CreateClaimPayload = claimPayload('CreateClaimPayload');
export const UpdateClaimPayload = claimPayload('UpdateClaimPayload');
export const DismissClaimPayload = claimPayload('DismissClaimPayload');
export const ReopenClaimPayload = claimPayload('ReopenClaimPayload');

@ObjectType({ simpleResolvers: true, description: 'The result of addClaimAppearance.' })
export class AddClaimAppearancePayload {
  @Field(() => Claim, { description: 'The claim after the change.' }) claim!: Claim;
}
