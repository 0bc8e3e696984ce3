import { Field, ObjectType } from 'type-graphql';
import { Assignment } from './assignment.type.js';
import { Claim } from './claim.type.js';

@ObjectType({ simpleResolvers: true, description: 'Result of assignClaim.' })
export class AssignClaimPayload {
  @Field(() => Claim, { description: 'The claim after the change.' }) claim!: Claim;
  @Field(() => [Assignment], { description: 'The active assignments of the given reviewers.' }) assignments!: Assignment[];
}

@ObjectType({ simpleResolvers: true, description: 'Result of withdrawAssignment.' })
export class WithdrawAssignmentPayload {
  @Field(() => Assignment, { description: 'The assignment after the change.' }) assignment!: Assignment;
}
