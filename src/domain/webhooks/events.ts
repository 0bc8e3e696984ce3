import { WEBHOOK_EVENT_TYPES, type Role, type WebhookEventType } from '../../model/enums.js';

/** The `type` each event an endpoint can subscribe to (model/enums.ts) is sent as. */

export const WIRE_TYPE: Record<WebhookEventType, string> = {
  FACT_CHECK_PUBLISHED: 'fact_check.published',
  FACT_CHECK_CORRECTED: 'fact_check.corrected',
  FACT_CHECK_RETRACTED: 'fact_check.retracted',
  CLAIM_STATUS_CHANGED: 'claim.status_changed',
  ASSIGNMENT_CREATED: 'assignment.created',
  FACT_CHECK_UPDATED: 'fact_check.updated',
  CORRECTION_REQUEST_RESOLVED: 'correction_request.resolved',
  FACT_CHECK_SCHEDULED: 'fact_check.scheduled',
  FACT_CHECK_SCHEDULE_CANCELLED: 'fact_check.schedule_cancelled',
};

/**
 * What partners may subscribe to: published fact checks, and the answers to correction requests
 * (of which they get their own only: the outbox addresses them, withAddressedEvents). Staff data
 * (claims, assignments) is for staff endpoints.
 */
export const PARTNER_EVENT_TYPES: readonly WebhookEventType[] = [
  'FACT_CHECK_PUBLISHED',
  'FACT_CHECK_CORRECTED',
  'FACT_CHECK_RETRACTED',
  'FACT_CHECK_UPDATED',
  'CORRECTION_REQUEST_RESOLVED',
];

/**
 * What only partners with embargo access (users.embargo_access, set by admins) may subscribe to and
 * receive, besides PARTNER_EVENT_TYPES: fact checks before they are public. Checked when an endpoint
 * subscribes (FORBIDDEN), when the outbox addresses an event, and again when a delivery is sent.
 */
export const EMBARGOED_EVENT_TYPES: readonly WebhookEventType[] = ['FACT_CHECK_SCHEDULED', 'FACT_CHECK_SCHEDULE_CANCELLED'];

/** The fact_check.* events: the ones an endpoint's topics filter (outbox.ts). */
export const FACT_CHECK_EVENT_TYPES: readonly WebhookEventType[] = WEBHOOK_EVENT_TYPES.filter((t) => t.startsWith('FACT_CHECK_'));
/** What an endpoint with topics gets for a fact check it was sent an event of, whatever the claim's topics are then. */
export const RECEIVED_ONCE_EVENT_TYPES: readonly WebhookEventType[] = ['FACT_CHECK_RETRACTED', 'FACT_CHECK_SCHEDULE_CANCELLED'];

/** The roles that may own endpoints (reviewers have nothing to hear about that they would not see on their desk). */
export const ENDPOINT_OWNER_ROLES: readonly Role[] = ['ADMIN', 'EDITOR', 'PARTNER'];
/** Staff endpoints: their owners hear every correction request's answer, whoever filed it. */
export const STAFF_ENDPOINT_ROLES: readonly Role[] = ['ADMIN', 'EDITOR'];

/** Whether an endpoint whose owner is `owner` may hear `type`. */
export const mayReceive = (owner: { role: Role; embargoAccess: boolean }, type: WebhookEventType) =>
  owner.role !== 'PARTNER' || PARTNER_EVENT_TYPES.includes(type) || (owner.embargoAccess && EMBARGOED_EVENT_TYPES.includes(type));
