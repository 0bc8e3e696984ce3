import { Field, Int, ObjectType } from 'type-graphql';
import { Connection } from '../core/connection.type.js';
import { ClaimEventType, ClaimStatus, Priority } from '../core/enums.js';
import { Node } from '../core/node.type.js';
import { DateTimeScalar, URLScalar } from '../core/scalars.js';

@ObjectType({ implements: Node, simpleResolvers: true, description: 'A checkable statement taken from an article, and its review.' })
export class Claim extends Node {
  @Field({ description: 'The exact words of the article that make the claim.' }) quote!: string;
  @Field({ description: 'The claim restated as a checkable statement.' }) statement!: string;
  @Field(() => String, { nullable: true, description: 'Who made the claim, if not the article itself.' }) claimant!: string | null;
  @Field(() => ClaimStatus, { description: 'Where the claim stands in the workflow.' }) status!: ClaimStatus;
  @Field(() => Priority, { description: 'How urgent it is.' }) priority!: Priority;
  @Field(() => Int, { description: 'How many verdicts a review round needs.' }) requiredVerdicts!: number;
  @Field(() => Int, { description: 'The current review round, from 1; reopenClaim starts a new one.' }) round!: number;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the review should be done.' }) dueAt!: Date | null;
  @Field(() => Int, { description: 'Increases with every change; pass it as expectedVersion to guard against concurrent edits.' }) version!: number;
  @Field(() => DateTimeScalar, { description: 'When the claim was created.' }) createdAt!: Date;
  @Field(() => DateTimeScalar, { description: 'When the claim last changed.' }) updatedAt!: Date;
}

@ObjectType({ simpleResolvers: true, description: "One entry of a claim's audit trail." })
export class ClaimEvent {
  @Field(() => ClaimEventType, { description: 'What happened.' }) type!: ClaimEventType;
  @Field(() => DateTimeScalar, { description: 'When it happened.' }) at!: Date;
  @Field(() => ClaimStatus, { nullable: true, description: 'Status before.' }) fromStatus!: ClaimStatus | null;
  @Field(() => ClaimStatus, { nullable: true, description: 'Status after.' }) toStatus!: ClaimStatus | null;
  @Field(() => String, { nullable: true, description: 'Free-text note, e.g. a dismissal reason.' }) note!: string | null;
  @Field(() => Int, { description: 'The claim version this change produced.' }) version!: number;
}

@ObjectType({ simpleResolvers: true, description: 'A place where a claim was made or repeated, besides its source article.' })
export class ClaimAppearance {
  @Field(() => URLScalar, { description: 'Where it appeared (as recorded; lookups compare it normalised).' }) url!: string;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When it appeared there, if known.' }) appearedAt!: Date | null;
  @Field(() => URLScalar, { nullable: true, description: 'An archived copy of that page.' }) archivedUrl!: string | null;
  @Field({ description: 'Whether this is where the claim first appeared (at most one appearance of a claim is).' }) firstAppearance!: boolean;
}

export const ClaimConnection = Connection('Claim', Claim);
