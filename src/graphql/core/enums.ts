/**
 * The GraphQL enums, from the value lists of src/model/enums.ts. Each name is both the object
 * type-graphql registers and the TypeScript type of its values, so fields read `status!: ClaimStatus`.
 */
import { registerEnumType } from 'type-graphql';
import * as values from '../../model/enums.js';

/** `values` describes every value (graphql-schema-linter's enum-values-have-descriptions, test/unit/schema-lint.test.ts). */
function graphqlEnum<T extends string>(list: readonly T[], name: string, description: string, values: Record<T, string>) {
  const enumObject = Object.fromEntries(list.map((v) => [v, v])) as { [K in T]: K };
  const valuesConfig = Object.fromEntries(list.map((v) => [v, { description: values[v] }])) as Record<T, { description: string }>;
  registerEnumType(enumObject, { name, description, valuesConfig });
  return enumObject;
}

export const Role = graphqlEnum(values.ROLES, 'Role', 'What a principal may do.', {
  ADMIN: 'Manages users and tokens, and may do everything an editor may.',
  EDITOR: 'Runs the desk: ingests articles, takes claims, assigns reviewers, publishes fact checks.',
  REVIEWER: 'Reviews the claims assigned to them: evidence and verdicts.',
  PARTNER: 'An outside app: reads published fact checks only.',
});
export type Role = values.Role;
export const ClaimStatus = graphqlEnum(values.CLAIM_STATUSES, 'ClaimStatus', 'Where a claim stands in the review workflow.', {
  OPEN: 'Taken from an article; no reviewer is working on this round yet.',
  IN_REVIEW: 'This round has an active assignment or a verdict, but not yet the verdicts it needs.',
  DISPUTED: 'This round has the verdicts it needs, and their ratings differ.',
  REVIEWED: 'This round has the verdicts it needs, all with the same rating: ready to publish.',
  PUBLISHED: 'Its fact check is published (partners see it).',
  DISMISSED: 'Set aside by an editor; a fact check published before is retracted.',
});
export type ClaimStatus = values.ClaimStatus;
export const Priority = graphqlEnum(values.PRIORITIES, 'Priority', 'How urgent a claim is.', {
  LOW: 'Whenever there is time.',
  NORMAL: 'The default.',
  HIGH: 'Before normal claims.',
  URGENT: 'First: spreading now.',
});
export type Priority = values.Priority;
export const Rating = graphqlEnum(values.RATINGS, 'Rating', "A verdict on a claim's accuracy.", {
  TRUE: 'Accurate, nothing significant missing.',
  MOSTLY_TRUE: 'Accurate but needs clarification or additional information.',
  MIXED: 'Partly accurate, partly not.',
  MISLEADING: 'Contains accurate elements but gives a false impression.',
  MOSTLY_FALSE: 'Contains an element of truth but ignores facts that change the impression.',
  FALSE: 'Not accurate.',
  UNPROVEN: 'The evidence available neither proves nor disproves it.',
});
export type Rating = values.Rating;
export const Stance = graphqlEnum(values.STANCES, 'Stance', 'How a piece of evidence bears on a claim.', {
  SUPPORTS: 'The evidence supports the claim.',
  REFUTES: 'The evidence contradicts the claim.',
  CONTEXT: 'The evidence neither supports nor refutes it, but matters for judging it.',
});
export type Stance = values.Stance;
export const EvidenceKind = graphqlEnum(values.EVIDENCE_KINDS, 'EvidenceKind', 'What kind of thing a piece of evidence is.', {
  PRIMARY_SOURCE: 'An original document or record (a law, a transcript, a court filing).',
  OFFICIAL_STATEMENT: 'A statement by an authority or organisation concerned.',
  DATASET: 'Statistics or data.',
  NEWS_REPORT: 'Reporting by a news organisation.',
  EXPERT: 'An expert consulted.',
  OTHER: 'Anything else.',
});
export type EvidenceKind = values.EvidenceKind;
export const AssignmentState = graphqlEnum(values.ASSIGNMENT_STATES, 'AssignmentState', "State of a reviewer's assignment to a claim.", {
  ACTIVE: 'The reviewer is to submit a verdict in this round.',
  SUBMITTED: 'The reviewer submitted their verdict.',
  WITHDRAWN: 'Withdrawn by an editor, or ended by a dismissal or reopening.',
});
export type AssignmentState = values.AssignmentState;
export const Confidence = graphqlEnum(values.CONFIDENCES, 'Confidence', 'How sure a reviewer is of a verdict.', {
  LOW: 'A tentative verdict.',
  MEDIUM: 'Reasonably sure.',
  HIGH: 'Sure: the evidence is conclusive.',
});
export type Confidence = values.Confidence;
export const ClaimEventType = graphqlEnum(values.CLAIM_EVENT_TYPES, 'ClaimEventType', 'What happened to a claim.', {
  CREATED: 'The claim was taken from its article (createClaim).',
  ASSIGNED: 'Reviewers were assigned (assignClaim).',
  ASSIGNMENT_WITHDRAWN: 'An assignment was withdrawn (withdrawAssignment).',
  EVIDENCE_ADDED: 'Evidence was added (addEvidence).',
  VERDICT_SUBMITTED: 'A reviewer submitted a verdict (submitVerdict).',
  PUBLISHED: 'Its fact check was published for the first time (publishFactCheck).',
  CORRECTED: 'Its published fact check was corrected (publishFactCheck again).',
  DISMISSED: 'The claim was dismissed, retracting any fact check (dismissClaim).',
  REOPENED: 'A new review round began (reopenClaim).',
  UPDATED: "The claim's statement, claimant, priority, required verdicts or due date changed (updateClaim).",
  APPEARANCE_ADDED: 'A place where the claim appeared was recorded, or marked as its first appearance (addClaimAppearance).',
  PUBLICATION_SCHEDULED: 'A publication was scheduled, or rescheduled (publishFactCheck with publishAt).',
  PUBLICATION_CANCELLED: 'A scheduled publication was cancelled (cancelScheduledPublication; a dismissal drops it within its DISMISSED event).',
});
export type ClaimEventType = values.ClaimEventType;
export const ClaimOrder = graphqlEnum(values.CLAIM_ORDERS, 'ClaimOrder', 'Order of a claim listing.', {
  CREATED_AT_DESC: 'Newest first.',
  DUE_AT_ASC: 'Soonest due first; claims without a due date last.',
  PRIORITY_DESC: 'Most urgent first; soonest due first within a priority.',
});
export type ClaimOrder = values.ClaimOrder;

export const WebhookEventType = graphqlEnum(values.WEBHOOK_EVENT_TYPES, 'WebhookEventType', 'What a webhook endpoint can receive.', {
  FACT_CHECK_PUBLISHED: 'A fact check was first published (fact_check.published).',
  FACT_CHECK_CORRECTED: 'A published fact check was corrected (fact_check.corrected).',
  FACT_CHECK_RETRACTED: 'A published fact check was retracted (fact_check.retracted).',
  CLAIM_STATUS_CHANGED: 'A claim changed status (claim.status_changed; staff endpoints only).',
  ASSIGNMENT_CREATED: 'A reviewer was assigned a claim (assignment.created; staff endpoints only).',
  FACT_CHECK_UPDATED:
    'A published fact check changed without a correction, e.g. a newly recorded appearance of its claim: updatedAt and ClaimReview changed, rating and summary did not (fact_check.updated; our extension).',
  CORRECTION_REQUEST_RESOLVED:
    "A correction request was resolved (correction_request.resolved): to the requester's endpoints (partners may subscribe; they receive their own requests' only) and to staff endpoints; never who resolved it, and no claimVersion.",
  FACT_CHECK_SCHEDULED:
    'A fact check was scheduled for publication (fact_check.scheduled): only to staff endpoints and endpoints whose owner has embargo access (a partner without it may not subscribe: FORBIDDEN); `data.embargoUntil` is the publication time.',
  FACT_CHECK_SCHEDULE_CANCELLED:
    'A scheduled publication was cancelled or dropped by a dismissal (fact_check.schedule_cancelled): to the endpoints that may receive fact_check.scheduled.',
});
export const WebhookDeliveryState = graphqlEnum(values.WEBHOOK_DELIVERY_STATES, 'WebhookDeliveryState', 'Where a delivery stands.', {
  PENDING: 'Waiting for its first or next attempt.',
  DELIVERED: 'The endpoint answered with a 2xx status.',
  FAILED: 'Every attempt failed; none will follow unless it is redelivered.',
});
export const CorrectionRequestState = graphqlEnum(values.CORRECTION_REQUEST_STATES, 'CorrectionRequestState', 'Where a correction request stands.', {
  OPEN: 'Waiting for the desk.',
  ACCEPTED: 'The desk agreed; it corrects or retracts the fact check with the usual mutations.',
  DECLINED: 'The desk keeps the fact check as it is.',
});
export type CorrectionRequestState = values.CorrectionRequestState;
export const FactCheckChangeType = graphqlEnum(values.FACT_CHECK_CHANGE_TYPES, 'FactCheckChangeType', 'How a published fact check changed.', {
  PUBLISHED: 'First published.',
  CORRECTED: 'Republished with a correction.',
  RETRACTED: 'Retracted: its claim was dismissed, and partners should take it down.',
  UPDATED: 'Changed without a correction (a newly recorded appearance): updatedAt and ClaimReview changed; our extension.',
});
export const ClaimantKind = graphqlEnum(values.CLAIMANT_KINDS, 'ClaimantKind', 'Whether a claimant is a person or an organisation.', {
  PERSON: 'A person.',
  ORGANIZATION: 'An organisation, party, company or institution.',
});
export type ClaimantKind = values.ClaimantKind;
export const CorrectionLogKind = graphqlEnum(values.CORRECTION_LOG_KINDS, 'CorrectionLogKind', 'What an entry of the corrections log records.', {
  CORRECTED: 'A published fact check was corrected.',
  RETRACTED: 'A published fact check was retracted.',
});
export type CorrectionLogKind = values.CorrectionLogKind;
