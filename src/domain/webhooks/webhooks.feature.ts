import type { Feature } from '../feature.js';
import { ENDPOINT_OWNER_ROLES } from './events.js';

/** Signed webhooks: endpoints, their deliveries, redelivery. */
export const webhooksFeature = {
  name: 'webhooks',
  nodeTypes: {
    WebhookEndpoint: ENDPOINT_OWNER_ROLES, // and then only their own, admins every one: webhooks/endpoints.ts
    WebhookDelivery: ENDPOINT_OWNER_ROLES, // those of endpoints they may see
  },
  queries: ['webhookEndpoints'],
  mutations: ['createWebhookEndpoint', 'updateWebhookEndpoint', 'rotateWebhookSecret', 'deleteWebhookEndpoint', 'redeliverWebhook'],
} as const satisfies Feature;
