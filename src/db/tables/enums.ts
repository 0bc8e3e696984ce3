/** The Postgres enums, one per value list of src/model/enums.ts: a new value there needs a migration. */
import { pgEnum } from 'drizzle-orm/pg-core';
import {
  ASSIGNMENT_STATES,
  CLAIMANT_KINDS,
  CORRECTION_REQUEST_STATES,
  CLAIM_EVENT_TYPES,
  CLAIM_STATUSES,
  CONFIDENCES,
  EVIDENCE_KINDS,
  FACT_CHECK_CHANGE_TYPES,
  PRIORITIES,
  RATINGS,
  ROLES,
  STANCES,
  WEBHOOK_DELIVERY_STATES,
  WEBHOOK_EVENT_TYPES,
} from '../../model/enums.js';

export const role = pgEnum('role', ROLES);
export const claimStatus = pgEnum('claim_status', CLAIM_STATUSES);
export const priority = pgEnum('priority', PRIORITIES);
export const rating = pgEnum('rating', RATINGS);
export const stance = pgEnum('stance', STANCES);
export const evidenceKind = pgEnum('evidence_kind', EVIDENCE_KINDS);
export const assignmentState = pgEnum('assignment_state', ASSIGNMENT_STATES);
export const confidence = pgEnum('confidence', CONFIDENCES);
export const claimEventType = pgEnum('claim_event_type', CLAIM_EVENT_TYPES);
export const webhookEventType = pgEnum('webhook_event_type', WEBHOOK_EVENT_TYPES);
export const webhookDeliveryState = pgEnum('webhook_delivery_state', WEBHOOK_DELIVERY_STATES);
export const factCheckChangeType = pgEnum('fact_check_change_type', FACT_CHECK_CHANGE_TYPES);
export const claimantKind = pgEnum('claimant_kind', CLAIMANT_KINDS);
export const correctionRequestState = pgEnum('correction_request_state', CORRECTION_REQUEST_STATES);
