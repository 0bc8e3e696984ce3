import { Field, ObjectType } from 'type-graphql';
import { Article, Assignment, Claim, Evidence, FactCheck, User, Verdict } from './types.js';

@ObjectType({ simpleResolvers: true, description: 'Result of ingestArticle.' })
export class IngestArticlePayload {
  @Field(() => Article, { description: 'The article.' }) article!: Article;
  @Field({ description: 'False when an identical article was already there.' }) created!: boolean;
}

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

@ObjectType({ simpleResolvers: true, description: 'Result of assignClaim.' })
export class AssignClaimPayload {
  @Field(() => Claim, { description: 'The claim after the change.' }) claim!: Claim;
  @Field(() => [Assignment], { description: 'The active assignments of the given reviewers.' }) assignments!: Assignment[];
}

@ObjectType({ simpleResolvers: true, description: 'Result of withdrawAssignment.' })
export class WithdrawAssignmentPayload {
  @Field(() => Assignment, { description: 'The assignment after the change.' }) assignment!: Assignment;
}

@ObjectType({ simpleResolvers: true, description: 'Result of addEvidence.' })
export class AddEvidencePayload {
  @Field(() => Evidence, { description: 'The new evidence.' }) evidence!: Evidence;
}

@ObjectType({ simpleResolvers: true, description: 'The result of addClaimAppearance.' })
export class AddClaimAppearancePayload {
  @Field(() => Claim, { description: 'The claim after the change.' }) claim!: Claim;
}

@ObjectType({ simpleResolvers: true, description: 'Result of submitVerdict.' })
export class SubmitVerdictPayload {
  @Field(() => Verdict, { description: 'The new verdict.' }) verdict!: Verdict;
  @Field(() => Claim, { description: 'The claim after the change.' }) claim!: Claim;
}

@ObjectType({ simpleResolvers: true, description: 'Result of publishFactCheck.' })
export class PublishFactCheckPayload {
  @Field(() => Claim, { description: 'The claim after the change.' }) claim!: Claim;
  @Field(() => FactCheck, { description: 'The fact check as partners now see it.' }) factCheck!: FactCheck;
}

@ObjectType({ simpleResolvers: true, description: 'Result of createUser.' })
export class CreateUserPayload {
  @Field(() => User, { description: 'The new user.' }) user!: User;
}
