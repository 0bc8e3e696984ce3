import { Field, ID, InputType } from 'type-graphql';
import { WebhookEventType } from '../core/enums.js';
import { URLScalar } from '../core/scalars.js';

type Maybe<T> = T | null | undefined;

@InputType({ description: 'A new webhook endpoint.' })
export class CreateWebhookEndpointInput {
  @Field(() => URLScalar, { description: 'Where to POST events (http or https; private addresses only where the server allows them).' }) url!: string;
  @Field(() => [WebhookEventType], { description: 'The events to receive, at least one.' }) events!: (keyof typeof WebhookEventType)[];
  @Field(() => String, { nullable: true, description: 'What it is for.' }) description?: Maybe<string>;
  @Field(() => [ID], {
    nullable: true,
    description: 'Receive fact_check.* events only for fact checks filed under one of these topics (at most 50); left out or empty: all.',
  })
  topicIds?: Maybe<string[]>;
}

@InputType({ description: 'What updateWebhookEndpoint changes; fields left out stay as they are.' })
export class UpdateWebhookEndpointInput {
  @Field(() => ID, { description: 'The endpoint.' }) endpointId!: string;
  @Field(() => URLScalar, { nullable: true, description: 'New URL.' }) url?: Maybe<string>;
  @Field(() => [WebhookEventType], { nullable: true, description: 'New set of events.' }) events?: Maybe<(keyof typeof WebhookEventType)[]>;
  @Field(() => String, { nullable: true, description: 'New description.' }) description?: Maybe<string>;
  @Field(() => Boolean, { nullable: true, description: 'Enable or disable it; enabling resets its failure count.' }) enabled?: Maybe<boolean>;
  @Field(() => [ID], { nullable: true, description: 'New topic filter (at most 50); an empty list receives all.' }) topicIds?: Maybe<string[]>;
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
