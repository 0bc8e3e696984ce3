import { Field, ObjectType } from 'type-graphql';
import { Confidence, Rating } from '../core/enums.js';
import { Node } from '../core/node.type.js';
import { DateTimeScalar } from '../core/scalars.js';

@ObjectType({ implements: Node, simpleResolvers: true, description: "A reviewer's judgement of a claim." })
export class Verdict extends Node {
  @Field(() => Rating, { description: 'The rating given.' }) rating!: Rating;
  @Field(() => Confidence, { description: 'How sure the reviewer is.' }) confidence!: Confidence;
  @Field({ description: 'Why: the reasoning, citing the evidence.' }) rationale!: string;
  @Field(() => DateTimeScalar, { description: 'When it was submitted.' }) submittedAt!: Date;
}
