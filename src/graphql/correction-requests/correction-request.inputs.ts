import { Field, ID, InputType } from 'type-graphql';
import { CorrectionRequestState } from '../core/enums.js';

type Maybe<T> = T | null | undefined;

@InputType({ description: 'A request to correct a published fact check.' })
export class RequestCorrectionInput {
  @Field(() => ID, { description: 'The fact check (published, not retracted).' }) factCheckId!: string;
  @Field({ description: 'What is asked, and why; 1..5,000 characters.' }) message!: string;
  @Field(() => String, { nullable: true, description: 'On whose behalf, at most 200 characters.' }) requesterName?: Maybe<string>;
}

@InputType({ description: 'How the desk answers a request.' })
export class ResolveCorrectionRequestInput {
  @Field(() => ID, { description: 'The request (OPEN; another state is CONFLICT).' }) requestId!: string;
  @Field(() => CorrectionRequestState, { description: 'ACCEPTED or DECLINED.' }) state!: CorrectionRequestState;
  @Field({ description: 'The answer, shown to the requester; 1..5,000 characters.' }) note!: string;
}
