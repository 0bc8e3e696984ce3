import { Field, ID, InputType } from 'type-graphql';
import { Confidence, Rating } from '../core/enums.js';

type Maybe<T> = T | null | undefined;

@InputType({ description: 'Input of submitVerdict.' })
export class SubmitVerdictInput {
  @Field(() => ID, { description: 'The claim; the viewer must hold an active assignment on it.' }) claimId!: string;
  @Field(() => Rating, { description: 'The rating.' }) rating!: Rating;
  @Field(() => Confidence, { description: 'How sure the reviewer is.' }) confidence!: Confidence;
  @Field({ description: 'The reasoning.' }) rationale!: string;
  @Field(() => [ID], { nullable: true, defaultValue: [], description: 'Evidence of this claim that the verdict relies on.' }) evidenceIds?: Maybe<string[]>;
}
