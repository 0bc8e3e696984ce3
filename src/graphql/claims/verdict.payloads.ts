import { Field, ObjectType } from 'type-graphql';
import { Claim } from './claim.type.js';
import { Verdict } from './verdict.type.js';

@ObjectType({ simpleResolvers: true, description: 'Result of submitVerdict.' })
export class SubmitVerdictPayload {
  @Field(() => Verdict, { description: 'The new verdict.' }) verdict!: Verdict;
  @Field(() => Claim, { description: 'The claim after the change.' }) claim!: Claim;
}
