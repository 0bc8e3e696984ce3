/**
 * Every value list of the domain, in one dependency-free module that each layer reads: drizzle's
 * pgEnum (src/db/schema.ts), the zod input schemas (src/domain), type-graphql's registerEnumType
 * (src/graphql/core/enums.ts). A new value is added here once; the pgEnums then need a migration.
 */
export const ROLES = ['ADMIN', 'EDITOR', 'REVIEWER', 'PARTNER'] as const;
export type Role = (typeof ROLES)[number];
export const CLAIM_STATUSES = ['OPEN', 'IN_REVIEW', 'DISPUTED', 'REVIEWED', 'PUBLISHED', 'DISMISSED'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
export const PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'URGENT'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const RATINGS = ['TRUE', 'MOSTLY_TRUE', 'MIXED', 'MISLEADING', 'MOSTLY_FALSE', 'FALSE', 'UNPROVEN'] as const;
export type Rating = (typeof RATINGS)[number];
export const CONFIDENCES = ['LOW', 'MEDIUM', 'HIGH'] as const;
export type Confidence = (typeof CONFIDENCES)[number];
export const STANCES = ['SUPPORTS', 'REFUTES', 'CONTEXT'] as const;
export type Stance = (typeof STANCES)[number];
export const EVIDENCE_KINDS = ['PRIMARY_SOURCE', 'OFFICIAL_STATEMENT', 'DATASET', 'NEWS_REPORT', 'EXPERT', 'OTHER'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
export const ASSIGNMENT_STATES = ['ACTIVE', 'SUBMITTED', 'WITHDRAWN'] as const;
export type AssignmentState = (typeof ASSIGNMENT_STATES)[number];
export const CLAIM_EVENT_TYPES = [
  'CREATED',
  'ASSIGNED',
  'ASSIGNMENT_WITHDRAWN',
  'EVIDENCE_ADDED',
  'VERDICT_SUBMITTED',
  'PUBLISHED',
  'CORRECTED',
  'DISMISSED',
  'REOPENED',
  'UPDATED',
  'APPEARANCE_ADDED',
  'PUBLICATION_SCHEDULED',
  'PUBLICATION_CANCELLED',
] as const;
export type ClaimEventType = (typeof CLAIM_EVENT_TYPES)[number];
/** What a webhook endpoint can subscribe to (the contract's WebhookEventType; FACT_CHECK_UPDATED is ours). */
export const WEBHOOK_EVENT_TYPES = [
  'FACT_CHECK_PUBLISHED',
  'FACT_CHECK_CORRECTED',
  'FACT_CHECK_RETRACTED',
  'CLAIM_STATUS_CHANGED',
  'ASSIGNMENT_CREATED',
  'FACT_CHECK_UPDATED',
  'CORRECTION_REQUEST_RESOLVED',
  'FACT_CHECK_SCHEDULED',
  'FACT_CHECK_SCHEDULE_CANCELLED',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export const WEBHOOK_DELIVERY_STATES = ['PENDING', 'DELIVERED', 'FAILED'] as const;
/** Where a correction request stands. */
export const CORRECTION_REQUEST_STATES = ['OPEN', 'ACCEPTED', 'DECLINED'] as const;
export type CorrectionRequestState = (typeof CORRECTION_REQUEST_STATES)[number];
/** Not stored: what an entry of the public corrections log records (src/domain/corrections/log.ts). */
export const CORRECTION_LOG_KINDS = ['CORRECTED', 'RETRACTED'] as const;
export type CorrectionLogKind = (typeof CORRECTION_LOG_KINDS)[number];
/** Whether a claimant is a person or an organisation (schema.org Person / Organization). */
export const CLAIMANT_KINDS = ['PERSON', 'ORGANIZATION'] as const;
export type ClaimantKind = (typeof CLAIMANT_KINDS)[number];
export const FACT_CHECK_CHANGE_TYPES = ['PUBLISHED', 'CORRECTED', 'RETRACTED', 'UPDATED'] as const;
/** Not stored: the orders of the claims listing (src/domain/claims/queries.ts). */
export const CLAIM_ORDERS = ['CREATED_AT_DESC', 'DUE_AT_ASC', 'PRIORITY_DESC'] as const;
export type ClaimOrder = (typeof CLAIM_ORDERS)[number];
