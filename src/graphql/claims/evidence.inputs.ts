import { Field, ID, InputType } from 'type-graphql';
import { EvidenceKind, Stance } from '../core/enums.js';
import { URLScalar } from '../core/scalars.js';

type Maybe<T> = T | null | undefined;

@InputType({ description: 'Input of addEvidence.' })
export class AddEvidenceInput {
  @Field(() => ID, { description: 'The claim.' }) claimId!: string;
  @Field(() => EvidenceKind, { description: 'What kind of evidence it is.' }) kind!: EvidenceKind;
  @Field(() => URLScalar, { nullable: true, description: 'Where it can be found.' }) url?: Maybe<string>;
  @Field({ description: 'Short title.' }) title!: string;
  @Field(() => String, { nullable: true, description: 'The relevant passage.' }) excerpt?: Maybe<string>;
  @Field(() => Stance, { description: 'How it bears on the claim.' }) stance!: Stance;
}
