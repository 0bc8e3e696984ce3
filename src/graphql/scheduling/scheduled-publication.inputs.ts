import { Field, ID, InputType, Int } from 'type-graphql';

@InputType({ description: 'The scheduled publication to cancel.' })
export class CancelScheduledPublicationInput {
  @Field(() => ID, { description: 'The claim.' }) claimId!: string;
  @Field(() => Int, { nullable: true, description: 'The version the caller last saw; a mismatch fails with CONFLICT.' }) expectedVersion?: number | null;
}
