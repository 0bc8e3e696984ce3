/**
 * The GraphQL enums, from the value lists of src/model/enums.ts. Each name is both the object
 * type-graphql registers and the TypeScript type of its values, so fields read `status!: ClaimStatus`.
 */
import { registerEnumType } from 'type-graphql';
import * as values from '../model/enums.js';

const asEnum = <T extends string>(list: readonly T[]) => Object.fromEntries(list.map((v) => [v, v])) as { [K in T]: K };

export const Role = asEnum(values.ROLES);
export type Role = values.Role;
export const ClaimStatus = asEnum(values.CLAIM_STATUSES);
export type ClaimStatus = values.ClaimStatus;
export const Priority = asEnum(values.PRIORITIES);
export type Priority = values.Priority;
export const Rating = asEnum(values.RATINGS);
export type Rating = values.Rating;
export const Stance = asEnum(values.STANCES);
export type Stance = values.Stance;
export const EvidenceKind = asEnum(values.EVIDENCE_KINDS);
export type EvidenceKind = values.EvidenceKind;
export const AssignmentState = asEnum(values.ASSIGNMENT_STATES);
export type AssignmentState = values.AssignmentState;
export const Confidence = asEnum(values.CONFIDENCES);
export type Confidence = values.Confidence;
export const ClaimEventType = asEnum(values.CLAIM_EVENT_TYPES);
export type ClaimEventType = values.ClaimEventType;
export const ClaimOrder = asEnum(values.CLAIM_ORDERS);
export type ClaimOrder = values.ClaimOrder;

registerEnumType(Role, { name: 'Role', description: 'What a principal may do.' });
registerEnumType(ClaimStatus, { name: 'ClaimStatus', description: 'Where a claim stands in the review workflow.' });
registerEnumType(Priority, { name: 'Priority', description: 'How urgent a claim is.' });
registerEnumType(Rating, { name: 'Rating', description: "A verdict on a claim's accuracy." });
registerEnumType(Stance, { name: 'Stance', description: 'How a piece of evidence bears on a claim.' });
registerEnumType(EvidenceKind, { name: 'EvidenceKind', description: 'What kind of thing a piece of evidence is.' });
registerEnumType(AssignmentState, { name: 'AssignmentState', description: "State of a reviewer's assignment to a claim." });
registerEnumType(Confidence, { name: 'Confidence', description: 'How sure a reviewer is of a verdict.' });
registerEnumType(ClaimEventType, { name: 'ClaimEventType', description: 'What happened to a claim.' });
registerEnumType(ClaimOrder, { name: 'ClaimOrder', description: 'Order of a claim listing.' });
