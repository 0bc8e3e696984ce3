import { Field, ID, InputType } from 'type-graphql';
import { DateTimeScalar } from '../core/scalars.js';

type Maybe<T> = T | null | undefined;

@InputType({ description: 'Claims and the reviewers to assign to each.' })
export class BulkAssignClaimsInput {
  @Field(() => [ID], { description: '1..100 claims.' }) claimIds!: string[];
  @Field(() => [ID], { description: 'The reviewers to assign to each.' }) reviewerIds!: string[];
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the verdicts are due.' }) dueAt?: Maybe<Date>;
}

@InputType({ description: 'Claims to dismiss, with one reason.' })
export class BulkDismissClaimsInput {
  @Field(() => [ID], { description: '1..100 claims.' }) claimIds!: string[];
  @Field({ description: 'Why they are not checked.' }) reason!: string;
}
