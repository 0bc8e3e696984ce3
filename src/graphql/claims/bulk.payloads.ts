/** The types of the bulk actions on claims (bulkAssignClaims, bulkDismissClaims). */
import { Field, ID, Int, ObjectType } from 'type-graphql';

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
