/** GraphQL types of correction requests (contract v3: "Corrections and transparency"). */
import { Field, ObjectType } from 'type-graphql';
import { Connection } from '../core/connection.type.js';
import { CorrectionRequestState } from '../core/enums.js';
import { Node } from '../core/node.type.js';
import { DateTimeScalar } from '../core/scalars.js';

@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description: "A request to correct a published fact check, e.g. a content owner's appeal passed on by a platform.",
})
export class CorrectionRequest extends Node {
  // factCheck, requestedBy and resolvedBy are field resolvers (correction-request.resolver.ts).
  @Field(() => String, { nullable: true, description: "On whose behalf, e.g. the content owner's name." }) requesterName!: string | null;
  @Field({ description: 'What is asked, and why.' }) message!: string;
  @Field(() => CorrectionRequestState, { description: 'Where it stands.' }) state!: CorrectionRequestState;
  @Field(() => DateTimeScalar, { description: 'When it was filed.' }) createdAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was resolved.' }) resolvedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'What the desk answers; shown to the requester.' }) resolutionNote!: string | null;
}

export const CorrectionRequestConnection = Connection('CorrectionRequest', CorrectionRequest, 'How many match, on every page.');
