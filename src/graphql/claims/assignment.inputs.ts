import { Field, ID, InputType } from 'type-graphql';
import { DateTimeScalar } from '../core/scalars.js';

type Maybe<T> = T | null | undefined;

@InputType({ description: 'Input of assignClaim.' })
export class AssignClaimInput {
  @Field(() => ID, { description: 'The claim.' }) claimId!: string;
  @Field(() => [ID], { description: 'Reviewers to assign; already active ones are left as they are.' }) reviewerIds!: string[];
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the verdicts are due.' }) dueAt?: Maybe<Date>;
}

@InputType({ description: 'Input of withdrawAssignment.' })
export class WithdrawAssignmentInput {
  @Field(() => ID, { description: 'The assignment.' }) assignmentId!: string;
}
