/** The types of the bulk actions on claims (bulkAssignClaims, bulkDismissClaims). */
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from './scalars.js';

type Maybe<T> = T | null | undefined;

@ObjectType({ simpleResolvers: true, description: 'Why one item of a bulk action failed: the code and message the single action would have given.' })
export class BulkItemError {
  @Field({ description: 'The error code, e.g. CONFLICT.' }) code!: string;
  @Field({ description: 'What went wrong.' }) message!: string;
}

@ObjectType({ description: 'The outcome for one claim of a bulk action.' })
export class BulkClaimResult {
  @Field(() => ID, { description: 'The claim named in the input.' }) claimId!: string;
  // claim: a field resolver (bulk.resolver.ts)
  @Field(() => BulkItemError, { nullable: true, description: 'Why it failed; null when it succeeded.' }) error?: Maybe<BulkItemError>;
}

@ObjectType({ simpleResolvers: true, description: 'The result of a bulk action on claims.' })
export class BulkClaimsPayload {
  @Field(() => [BulkClaimResult], { description: 'One result per claim, in input order.' }) results!: BulkClaimResult[];
  @Field(() => Int, { description: 'How many succeeded.' }) succeeded!: number;
  @Field(() => Int, { description: 'How many failed.' }) failed!: number;
}

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
