/**
 * The GraphQL enums, from the value lists of src/model/enums.ts. Each name is both the object
 * type-graphql registers and the TypeScript type of its values, so fields read `status!: ClaimStatus`.
 */
import { registerEnumType } from 'type-graphql';
import * as values from '../model/enums.js';

function graphqlEnum<T extends string>(list: readonly T[], name: string, description: string, valueDescriptions?: Record<T, string>) {
  const enumObject = Object.fromEntries(list.map((v) => [v, v])) as { [K in T]: K };
  const valuesConfig = valueDescriptions && (Object.fromEntries(list.map((v) => [v, { description: valueDescriptions[v] }])) as Record<T, { description: string }>);
  registerEnumType(enumObject, { name, description, ...(valuesConfig ? { valuesConfig } : {}) });
  return enumObject;
}

export const Role = graphqlEnum(values.ROLES, 'Role', 'What a principal may do.');
export type Role = values.Role;
export const ClaimStatus = graphqlEnum(values.CLAIM_STATUSES, 'ClaimStatus', 'Where a claim stands in the review workflow.');
export type ClaimStatus = values.ClaimStatus;
export const Priority = graphqlEnum(values.PRIORITIES, 'Priority', 'How urgent a claim is.');
export type Priority = values.Priority;
export const Rating = graphqlEnum(values.RATINGS, 'Rating', "A verdict on a claim's accuracy.");
export type Rating = values.Rating;
export const Stance = graphqlEnum(values.STANCES, 'Stance', 'How a piece of evidence bears on a claim.');
export type Stance = values.Stance;
export const EvidenceKind = graphqlEnum(values.EVIDENCE_KINDS, 'EvidenceKind', 'What kind of thing a piece of evidence is.');
export type EvidenceKind = values.EvidenceKind;
export const AssignmentState = graphqlEnum(values.ASSIGNMENT_STATES, 'AssignmentState', "State of a reviewer's assignment to a claim.");
export type AssignmentState = values.AssignmentState;
export const Confidence = graphqlEnum(values.CONFIDENCES, 'Confidence', 'How sure a reviewer is of a verdict.');
export type Confidence = values.Confidence;
export const ClaimEventType = graphqlEnum(values.CLAIM_EVENT_TYPES, 'ClaimEventType', 'What happened to a claim.', {
  CREATED: 'The claim was created.',
  ASSIGNED: 'A reviewer was assigned.',
  ASSIGNMENT_WITHDRAWN: 'An assignment was withdrawn.',
  EVIDENCE_ADDED: 'Evidence was added.',
  VERDICT_SUBMITTED: 'A verdict was submitted.',
  PUBLISHED: 'The fact check was published.',
  CORRECTED: 'A published fact check was corrected.',
  DISMISSED: 'The claim was dismissed.',
  REOPENED: 'The claim was reopened for a new review round.',
  UPDATED: 'Claim details were edited.',
  APPEARANCE_ADDED: 'A place where the claim appeared was recorded (or marked as its first appearance).',
});
export type ClaimEventType = values.ClaimEventType;
export const ClaimOrder = graphqlEnum(values.CLAIM_ORDERS, 'ClaimOrder', 'Order of a claim listing.');
export type ClaimOrder = values.ClaimOrder;
