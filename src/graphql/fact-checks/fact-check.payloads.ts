import { Field, ObjectType } from 'type-graphql';
import { Claim } from '../claims/claim.type.js';
import { FactCheck } from './fact-check.type.js';

@ObjectType({ simpleResolvers: true, description: 'Result of publishFactCheck.' })
export class PublishFactCheckPayload {
  @Field(() => Claim, { description: 'The claim after the change.' }) claim!: Claim;
  @Field(() => FactCheck, { description: 'The fact check as partners now see it; when scheduled (publishAt), as it will be published.' }) factCheck!: FactCheck;
}
