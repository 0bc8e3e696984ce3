import { Field, ObjectType } from 'type-graphql';
import { Claim } from '../claims/claim.type.js';
import { Topic } from './topic.type.js';

@ObjectType({ simpleResolvers: true, description: 'The result of createTopic.' })
export class CreateTopicPayload {
  @Field(() => Topic, { description: 'The new topic.' }) topic!: Topic;
}

@ObjectType({ simpleResolvers: true, description: 'The result of setClaimTopics.' })
export class SetClaimTopicsPayload {
  @Field(() => Claim, { description: 'The claim after the change.' }) claim!: Claim;
}
