import { Field, ID, ObjectType } from 'type-graphql';
import { WebhookDelivery, WebhookEndpoint } from './webhook.type.js';

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
