import { Field, Int, ObjectType } from 'type-graphql';
import { Claimant } from './claimant.type.js';

@ObjectType({ simpleResolvers: true, description: 'The result of createClaimant.' })
export class CreateClaimantPayload {
  @Field(() => Claimant, { description: 'The new claimant.' }) claimant!: Claimant;
}

@ObjectType({ simpleResolvers: true, description: 'The result of updateClaimant.' })
export class UpdateClaimantPayload {
  @Field(() => Claimant, { description: 'The claimant after the change.' }) claimant!: Claimant;
}

@ObjectType({ simpleResolvers: true, description: 'The result of mergeClaimants.' })
export class MergeClaimantsPayload {
  @Field(() => Claimant, { description: 'The claimant kept.' }) claimant!: Claimant;
  @Field(() => Int, { description: 'How many claims moved to it.' }) movedClaims!: number;
}
