import { registerEnumType } from 'type-graphql';
import { ASSIGNMENT_STATES, CLAIM_ORDERS, CONFIDENCES, EVIDENCE_KINDS, PRIORITIES, RATINGS, STANCES } from '../model/enums.js';
import { ROLES } from '../domain/viewer.js';
import { CLAIM_STATUSES } from '../domain/workflow.js';
import { claimEventType } from '../db/schema.js';

const asEnum = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const Role = asEnum(ROLES);
export const ClaimStatus = asEnum(CLAIM_STATUSES);
export const Priority = asEnum(PRIORITIES);
export const Rating = asEnum(RATINGS);
export const Stance = asEnum(STANCES);
export const EvidenceKind = asEnum(EVIDENCE_KINDS);
export const AssignmentState = asEnum(ASSIGNMENT_STATES);
export const Confidence = asEnum(CONFIDENCES);
export const ClaimEventType = asEnum(claimEventType.enumValues);
export const ClaimOrder = asEnum(CLAIM_ORDERS);

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
