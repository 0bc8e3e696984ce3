/** Fuzzed operations on webhooks (src/domain/webhooks/): endpoints (create, update, rotate the secret, delete, list) and redelivering a delivery. */
import fc from 'fast-check';
import { LIMITS } from '../../../src/domain/validation.js';
import { WEBHOOK_EVENT_TYPES, type Role } from '../../../src/model/enums.js';
import { cursor, first, id, input } from '../fuzz/arbitraries.js';
import { from, type Families, type Principal } from '../fuzz/family.js';
import { remember } from '../fuzz/world.js';
import { enumOf, mostly, optionalText, url, wrongType } from '../hostile-input.js';

const ENDPOINT_OWNERS: Role[] = ['ADMIN', 'EDITOR', 'PARTNER'];
const ENDPOINT_OWNERS_MOSTLY = from({ partner: 4, editor: 3, admin: 2 });
const webhookEvents = mostly(fc.array(enumOf(WEBHOOK_EVENT_TYPES), { maxLength: 6 }), fc.oneof(fc.constant([]), wrongType));
const ENDPOINT_FIELDS = 'id url events enabled description owner { id } deliveries(first: 5) { totalCount edges { node { id state attempts payload } } }';
const harvestEndpoint = (endpoint: any) => {
  remember('endpoint', endpoint?.id);
  for (const edge of endpoint?.deliveries?.edges ?? []) remember('delivery', edge.node.id);
};
/** A partner's endpoint never hears staff events, whoever set them: fact-check events and the answers to its own correction requests only. */
const partnerHearsFactChecksOnly = (principal: Principal, endpoint: any) =>
  principal === 'partner' && endpoint?.events?.some((e: string) => !e.startsWith('FACT_CHECK_') && e !== 'CORRECTION_REQUEST_RESOLVED')
    ? [`a partner endpoint receives ${endpoint.events.join(', ')}`]
    : [];

/** Webhook families, keyed by root field. */
export const webhookFamilies = {
  createWebhookEndpoint: {
    weight: 2,
    document: `mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret endpoint { ${ENDPOINT_FIELDS} } } }`,
    roles: ENDPOINT_OWNERS,
    principal: ENDPOINT_OWNERS_MOSTLY,
    variables: input({ url, events: webhookEvents, description: optionalText(LIMITS.short) }),
    harvest: (payload) => harvestEndpoint(payload.endpoint),
    check: (principal, data) => partnerHearsFactChecksOnly(principal, data.createWebhookEndpoint?.endpoint),
  },
  updateWebhookEndpoint: {
    weight: 1,
    document: `mutation($i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $i) { endpoint { ${ENDPOINT_FIELDS} } } }`,
    roles: ENDPOINT_OWNERS,
    principal: ENDPOINT_OWNERS_MOSTLY,
    variables: input({
      endpointId: id('endpoint'),
      url: fc.oneof(fc.constant(undefined), url),
      events: fc.oneof(fc.constant(undefined), webhookEvents),
      description: optionalText(LIMITS.short),
      enabled: fc.oneof(fc.constantFrom(undefined, null, true, false), wrongType),
    }),
    harvest: (payload) => harvestEndpoint(payload.endpoint),
    check: (principal, data) => partnerHearsFactChecksOnly(principal, data.updateWebhookEndpoint?.endpoint),
  },
  rotateWebhookSecret: {
    weight: 1,
    document: 'mutation($i: RotateWebhookSecretInput!) { rotateWebhookSecret(input: $i) { secret endpoint { id } } }',
    roles: ENDPOINT_OWNERS,
    principal: ENDPOINT_OWNERS_MOSTLY,
    variables: input({ endpointId: id('endpoint') }),
  },
  deleteWebhookEndpoint: {
    weight: 1,
    document: 'mutation($i: DeleteWebhookEndpointInput!) { deleteWebhookEndpoint(input: $i) { deletedId } }',
    roles: ENDPOINT_OWNERS,
    principal: ENDPOINT_OWNERS_MOSTLY,
    variables: input({ endpointId: id('endpoint') }),
  },
  redeliverWebhook: {
    weight: 1,
    document: 'mutation($i: RedeliverWebhookInput!) { redeliverWebhook(input: $i) { delivery { id eventId event state attempts payload nextAttemptAt } } }',
    roles: ENDPOINT_OWNERS,
    principal: ENDPOINT_OWNERS_MOSTLY,
    variables: input({ deliveryId: id('delivery') }),
  },
  webhookEndpoints: {
    weight: 1,
    document: `query($first: Int, $after: String) { webhookEndpoints(first: $first, after: $after) { totalCount pageInfo { endCursor } edges { node { ${ENDPOINT_FIELDS} } } } }`,
    roles: ENDPOINT_OWNERS,
    principal: ENDPOINT_OWNERS_MOSTLY,
    variables: fc.record({ first, after: cursor }),
    harvest: (connection) => {
      remember('cursor', connection.pageInfo.endCursor);
      for (const edge of connection.edges) harvestEndpoint(edge.node);
    },
  },
} satisfies Families;
