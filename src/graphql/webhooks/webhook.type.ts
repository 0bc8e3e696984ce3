/** GraphQL types of webhooks and the change feed (contract: "Webhooks", "Changes for partners that poll"). */
import { Field, Int, ObjectType } from 'type-graphql';
import { Connection } from '../core/connection.type.js';
import { WebhookDeliveryState, WebhookEventType } from '../core/enums.js';
import { Node } from '../core/node.type.js';
import { DateTimeScalar, URLScalar } from '../core/scalars.js';

@ObjectType({ implements: Node, simpleResolvers: true, description: 'An HTTP endpoint that receives signed events.' })
export class WebhookEndpoint extends Node {
  @Field(() => URLScalar, { description: 'Where events are POSTed.' }) url!: string;
  @Field(() => [WebhookEventType], { description: 'The events it receives.' }) events!: string[];
  @Field(() => String, { nullable: true, description: 'What it is for.' }) description!: string | null;
  @Field({ description: 'A disabled endpoint receives nothing; the server disables one whose deliveries keep failing.' }) enabled!: boolean;
  @Field(() => DateTimeScalar, { description: 'When it was registered.' }) createdAt!: Date;
}

@ObjectType({ implements: Node, simpleResolvers: true, description: 'One event on its way to one endpoint.' })
export class WebhookDelivery extends Node {
  @Field(() => WebhookDeliveryState, { description: 'Where the delivery stands.' }) state!: string;
  @Field(() => Int, { description: 'Attempts made so far.' }) attempts!: number;
  @Field(() => DateTimeScalar, { description: 'When the event happened.' }) createdAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was last tried.' }) lastAttemptAt!: Date | null;
  @Field(() => Int, { nullable: true, description: 'HTTP status of the last attempt; null if none answered.' }) lastResponseStatus!: number | null;
  @Field(() => String, { nullable: true, description: 'Why the last attempt failed (timeout, refused connection, status), if it did.' }) lastError!:
    string | null;
}

export const WebhookEndpointConnection = Connection('WebhookEndpoint', WebhookEndpoint, 'How many endpoints there are, over all pages.');
export const WebhookDeliveryConnection = Connection('WebhookDelivery', WebhookDelivery, 'How many deliveries there are, over all pages.');
