import { Field, ObjectType } from 'type-graphql';
import { EvidenceKind, Stance } from '../core/enums.js';
import { Node } from '../core/node.type.js';
import { DateTimeScalar, URLScalar } from '../core/scalars.js';

@ObjectType({ implements: Node, simpleResolvers: true, description: 'A piece of evidence about a claim.' })
export class Evidence extends Node {
  @Field(() => EvidenceKind, { description: 'What kind of evidence it is.' }) kind!: EvidenceKind;
  @Field(() => URLScalar, { nullable: true, description: 'Where it can be found.' }) url!: string | null;
  @Field({ description: 'Short title.' }) title!: string;
  @Field(() => String, { nullable: true, description: 'The relevant passage.' }) excerpt!: string | null;
  @Field(() => Stance, { description: 'How it bears on the claim.' }) stance!: Stance;
  @Field(() => DateTimeScalar, { description: 'When it was added.' }) addedAt!: Date;
}
