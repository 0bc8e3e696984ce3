import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { WebhookEndpointRow } from '../../domain/records.js';
import { fromGlobalId, fromGlobalIds, toGlobalId } from '../../domain/global-ids.js';
import { listDeliveries, redeliverWebhook, type DeliveryRecord } from '../../domain/webhooks/deliveries.js';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookEndpoints,
  rotateWebhookSecret,
  updateWebhookEndpoint,
} from '../../domain/webhooks/endpoints.js';
import { renderPayload } from '../../domain/webhooks/payloads.js';
import { organizationProfile } from '../../domain/organization/organization.js';
import { toConnection } from '../core/connection.type.js';
import { WebhookEventType } from '../core/enums.js';
import { loaded } from '../core/loaded.js';
import type { Context } from '../core/resolver-context.js';
import { DateTimeScalar, JSONObjectScalar } from '../core/scalars.js';
import { User } from '../access/user.type.js';
import {
  CreateWebhookEndpointInput,
  DeleteWebhookEndpointInput,
  RedeliverWebhookInput,
  RotateWebhookSecretInput,
  UpdateWebhookEndpointInput,
} from './webhook.inputs.js';
import {
  CreateWebhookEndpointPayload,
  DeleteWebhookEndpointPayload,
  RedeliverWebhookPayload,
  RotateWebhookSecretPayload,
  UpdateWebhookEndpointPayload,
} from './webhook.payloads.js';
import { WebhookDelivery, WebhookDeliveryConnection, WebhookEndpoint, WebhookEndpointConnection } from './webhook.type.js';

@Resolver(() => WebhookEndpoint)
export class WebhookEndpointResolver {
  @FieldResolver(() => ID, { description: 'Globally unique, opaque identifier (a Node ID).' })
  id(@Root() endpoint: WebhookEndpointRow) {
    return toGlobalId('WebhookEndpoint', endpoint.id);
  }

  @FieldResolver(() => User, { description: 'Whose endpoint it is; it receives only what its owner may see.' })
  async owner(@Root() endpoint: WebhookEndpointRow, @Ctx() ctx: Context) {
    return loaded(await ctx.loaders.user.load(endpoint.ownerId), 'owner');
  }

  @FieldResolver(() => WebhookDeliveryConnection, { description: 'Deliveries to it, newest first.' })
  async deliveries(
    @Root() endpoint: WebhookEndpointRow,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'How many items to return after `after`.' }) first?: number | null,
    @Arg('after', () => String, { nullable: true, description: "Cursor of the item to continue after: a previous page's `pageInfo.endCursor`." })
    after?: string | null,
  ) {
    return toConnection(await listDeliveries(ctx.db, ctx.viewer, endpoint.id, { first, after }));
  }

  @Query(() => WebhookEndpointConnection, { description: "Webhook endpoints: the viewer's own; every endpoint for admins (admins, editors, partners)." })
  async webhookEndpoints(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'How many items to return after `after`.' }) first?: number | null,
    @Arg('after', () => String, { nullable: true, description: "Cursor of the item to continue after: a previous page's `pageInfo.endCursor`." })
    after?: string | null,
  ) {
    return toConnection(await listWebhookEndpoints(ctx.db, ctx.viewer, { first, after }));
  }

  @Mutation(() => CreateWebhookEndpointPayload, { description: 'Register an endpoint for signed webhook events (admins, editors, partners).' })
  createWebhookEndpoint(@Arg('input', { description: 'What to do; see CreateWebhookEndpointInput.' }) input: CreateWebhookEndpointInput, @Ctx() ctx: Context) {
    const topicIds = input.topicIds && fromGlobalIds(input.topicIds, 'Topic', 'topicIds');
    return createWebhookEndpoint(ctx.db, ctx.viewer, { ...input, topicIds }, ctx.webhooks);
  }

  @Mutation(() => UpdateWebhookEndpointPayload, {
    description: "Change an endpoint's URL, events or description, or enable and disable it (its owner, or admins).",
  })
  async updateWebhookEndpoint(
    @Arg('input', { description: 'What to do; see UpdateWebhookEndpointInput.' }) input: UpdateWebhookEndpointInput,
    @Ctx() ctx: Context,
  ) {
    const endpoint = await updateWebhookEndpoint(
      ctx.db,
      ctx.viewer,
      {
        ...input,
        endpointId: fromGlobalId(input.endpointId, 'WebhookEndpoint', 'endpointId'),
        topicIds: input.topicIds && fromGlobalIds(input.topicIds, 'Topic', 'topicIds'),
      },
      ctx.webhooks,
    );
    return { endpoint };
  }

  @Mutation(() => RotateWebhookSecretPayload, { description: "Replace an endpoint's signing secret (its owner, or admins)." })
  rotateWebhookSecret(@Arg('input', { description: 'What to do; see RotateWebhookSecretInput.' }) input: RotateWebhookSecretInput, @Ctx() ctx: Context) {
    return rotateWebhookSecret(ctx.db, ctx.viewer, fromGlobalId(input.endpointId, 'WebhookEndpoint', 'endpointId'), ctx.webhooks);
  }

  @Mutation(() => DeleteWebhookEndpointPayload, { description: 'Delete an endpoint; its pending deliveries are dropped (its owner, or admins).' })
  async deleteWebhookEndpoint(
    @Arg('input', { description: 'What to do; see DeleteWebhookEndpointInput.' }) input: DeleteWebhookEndpointInput,
    @Ctx() ctx: Context,
  ) {
    const id = await deleteWebhookEndpoint(ctx.db, ctx.viewer, fromGlobalId(input.endpointId, 'WebhookEndpoint', 'endpointId'));
    return { deletedId: toGlobalId('WebhookEndpoint', id) };
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @FieldResolver(() => ID, { description: 'Globally unique, opaque identifier (a Node ID).' })
  id(@Root() delivery: DeliveryRecord) {
    return toGlobalId('WebhookDelivery', delivery.id);
  }

  @FieldResolver(() => String, { description: "The event's own ID, the same for every endpoint and every retry (the webhook-id header)." })
  eventId(@Root() delivery: DeliveryRecord) {
    return delivery.eventId;
  }

  @FieldResolver(() => WebhookEventType, { description: 'What happened.' })
  event(@Root() delivery: DeliveryRecord) {
    return delivery.event.type;
  }

  @FieldResolver(() => JSONObjectScalar, { description: 'The JSON body sent.' })
  async payload(@Root() delivery: DeliveryRecord, @Ctx() ctx: Context) {
    // As it would be sent now: with the organisation's profile in force (ClaimReview's author).
    const organization = await organizationProfile(ctx.loaders, ctx.site);
    return renderPayload(delivery.event.type, delivery.event.data, delivery.event.at, { site: ctx.site, globalId: toGlobalId, organization });
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true, description: 'When it will be tried next, while PENDING.' })
  nextAttemptAt(@Root() delivery: DeliveryRecord) {
    return delivery.state === 'PENDING' ? delivery.nextAttemptAt : null;
  }

  @Mutation(() => RedeliverWebhookPayload, {
    description: "Send a delivery again, whatever its state, with the same event ID (the endpoint's owner, or admins).",
  })
  async redeliverWebhook(@Arg('input', { description: 'What to do; see RedeliverWebhookInput.' }) input: RedeliverWebhookInput, @Ctx() ctx: Context) {
    return { delivery: await redeliverWebhook(ctx.db, ctx.viewer, fromGlobalId(input.deliveryId, 'WebhookDelivery', 'deliveryId')) };
  }
}
