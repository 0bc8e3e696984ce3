import { Field, ObjectType } from 'type-graphql';
import { CorrectionRequest } from './correction-request.type.js';

@ObjectType({ simpleResolvers: true, description: 'The result of requestCorrection.' })
export class RequestCorrectionPayload {
  @Field(() => CorrectionRequest, { description: 'The new request, OPEN.' }) correctionRequest!: CorrectionRequest;
}

@ObjectType({ simpleResolvers: true, description: 'The result of resolveCorrectionRequest.' })
export class ResolveCorrectionRequestPayload {
  @Field(() => CorrectionRequest, { description: 'The request after the answer.' }) correctionRequest!: CorrectionRequest;
}
