import { Field, ObjectType } from 'type-graphql';
import { Evidence } from './evidence.type.js';

@ObjectType({ simpleResolvers: true, description: 'Result of addEvidence.' })
export class AddEvidencePayload {
  @Field(() => Evidence, { description: 'The new evidence.' }) evidence!: Evidence;
}
