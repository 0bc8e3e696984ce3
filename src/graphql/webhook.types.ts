/** GraphQL types of webhooks and the change feed (contract: "Webhooks", "Changes for partners that poll"). */
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { FactCheckChangeType, WebhookDeliveryState, WebhookEventType } from './enums.js';
import { Connection, PageInfo } from './connection.js';
import { Node } from './types.js';
import { DateTimeScalar, URLScalar } from './scalars.js';

type Maybe<T> = T | null | undefined;

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

@ObjectType({ simpleResolvers: true, description: 'One change to a published fact check.' })
export class FactCheckChange {
  @Field(() => FactCheckChangeType, { description: 'What happened.' }) type!: string;
  @Field(() => DateTimeScalar, { description: 'When it happened.' }) at!: Date;
}

@ObjectType({ simpleResolvers: true, description: 'A change in the feed.' })
export class FactCheckChangeEdge {
  @Field({ description: 'Opaque position of this change in the feed.' }) cursor!: string;
  @Field(() => FactCheckChange, { description: 'The change.' }) node!: FactCheckChange;
}

@ObjectType({ simpleResolvers: true, description: 'A page of the change feed.' })
export class FactCheckChangeConnection {
  @Field(() => [FactCheckChangeEdge], { description: 'The changes on this page, oldest first.' }) edges!: FactCheckChangeEdge[];
  @Field(() => PageInfo, { description: 'Paging information; endCursor is where to continue next time, also when this page is empty.' }) pageInfo!: PageInfo;
}

@InputType({ description: 'A new webhook endpoint.' })
export class CreateWebhookEndpointInput {
  @Field(() => URLScalar, { description: 'Where to POST events (http or https; private addresses only where the server allows them).' }) url!: string;
  @Field(() => [WebhookEventType], { description: 'The events to receive, at least one.' }) events!: (keyof typeof WebhookEventType)[];
  @Field(() => String, { nullable: true, description: 'What it is for.' }) description?: Maybe<string>;
}

@InputType({ description: 'What updateWebhookEndpoint changes; fields left out stay as they are.' })
export class UpdateWebhookEndpointInput {
  @Field(() => ID, { description: 'The endpoint.' }) endpointId!: string;
  @Field(() => URLScalar, { nullable: true, description: 'New URL.' }) url?: Maybe<string>;
  @Field(() => [WebhookEventType], { nullable: true, description: 'New set of events.' }) events?: Maybe<(keyof typeof WebhookEventType)[]>;
  @Field(() => String, { nullable: true, description: 'New description.' }) description?: Maybe<string>;
  @Field(() => Boolean, { nullable: true, description: 'Enable or disable it; enabling resets its failure count.' }) enabled?: Maybe<boolean>;
}

@InputType({ description: 'The endpoint whose secret to replace.' })
export class RotateWebhookSecretInput {
  @Field(() => ID, { description: 'The endpoint.' }) endpointId!: string;
}

@InputType({ description: 'The endpoint to delete.' })
export class DeleteWebhookEndpointInput {
  @Field(() => ID, { description: 'The endpoint.' }) endpointId!: string;
}

@InputType({ description: 'The delivery to send again.' })
export class RedeliverWebhookInput {
  @Field(() => ID, { description: 'The delivery to send again.' }) deliveryId!: string;
}

@ObjectType({ simpleResolvers: true, description: 'The result of createWebhookEndpoint.' })
export class CreateWebhookEndpointPayload {
  @Field(() => WebhookEndpoint, { description: 'The new endpoint.' }) endpoint!: WebhookEndpoint;
  @Field({ description: 'The signing secret (whsec_ followed by base64), shown only this once.' }) secret!: string;
}

@ObjectType({ simpleResolvers: true, description: 'The result of updateWebhookEndpoint.' })
export class UpdateWebhookEndpointPayload {
  @Field(() => WebhookEndpoint, { description: 'The endpoint after the change.' }) endpoint!: WebhookEndpoint;
}

@ObjectType({ simpleResolvers: true, description: 'The result of rotateWebhookSecret.' })
export class RotateWebhookSecretPayload {
  @Field(() => WebhookEndpoint, { description: 'The endpoint.' }) endpoint!: WebhookEndpoint;
  @Field({ description: 'The new signing secret, shown only this once; deliveries from now on are signed with it.' }) secret!: string;
}

@ObjectType({ simpleResolvers: true, description: 'The result of deleteWebhookEndpoint.' })
export class DeleteWebhookEndpointPayload {
  @Field(() => ID, { description: 'The ID of the endpoint that was deleted.' }) deletedId!: string;
}

@ObjectType({ simpleResolvers: true, description: 'The result of redeliverWebhook.' })
export class RedeliverWebhookPayload {
  @Field(() => WebhookDelivery, { description: 'The delivery, PENDING again.' }) delivery!: WebhookDelivery;
}
