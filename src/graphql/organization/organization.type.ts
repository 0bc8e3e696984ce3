/** GraphQL types of the organisation's profile (contract v3: "Corrections and transparency"). */
import { Field, ObjectType } from 'type-graphql';
import { URLScalar } from '../core/scalars.js';

@ObjectType({ simpleResolvers: true, description: 'The desk’s organisation as readers and partners see it, also as the ClaimReview author.' })
export class Organization {
  @Field({ description: 'Its name (ORG_NAME until an admin sets it).' }) name!: string;
  @Field(() => URLScalar, { description: 'Its site (ORG_URL until an admin sets it).' }) url!: string;
  @Field(() => URLScalar, { nullable: true, description: 'Its logo.' }) logo!: string | null;
  @Field(() => URLScalar, { nullable: true, description: 'Where its corrections policy is published.' }) correctionsPolicy!: string | null;
  @Field(() => URLScalar, { nullable: true, description: 'How it chooses, checks and rates claims (its methodology).' })
  verificationFactCheckingPolicy!: string | null;
  @Field(() => URLScalar, { nullable: true, description: 'Who owns and funds it.' }) ownershipFundingInfo!: string | null;
  @Field(() => URLScalar, { nullable: true, description: 'Its ethics policy.' }) ethicsPolicy!: string | null;
  @Field(() => URLScalar, { nullable: true, description: 'The principles it publishes by, e.g. a code of principles it signed.' })
  publishingPrinciples!: string | null;
}
