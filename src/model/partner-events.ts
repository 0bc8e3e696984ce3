/**
 * What a claim action tells partners, as it is written in the action's own transaction: the
 * webhooks' outbox renders it for endpoints (src/domain/webhooks/), the change feed records it for
 * polling partners (src/domain/change-feed/). Both read it here, so neither imports the other.
 */
import type { ClaimStatus, Rating } from './enums.js';

export type Iso = string;
export interface AppearanceSnapshot {
  url: string;
  appearedAt: Iso | null;
  archivedUrl: string | null;
  firstAppearance: boolean;
}
/** The claim's speaker as ClaimReview and the payload show it (src/domain/claimants/). */
export interface SpeakerSnapshot {
  id: string;
  name: string;
  kind: 'PERSON' | 'ORGANIZATION';
  wikidataId: string | null;
  website: string | null;
}
/** A topic the claim is filed under (src/domain/topics/). */
export interface TopicSnapshot {
  id: string;
  name: string;
  wikidataId: string | null;
}
/** A correction of the fact check, as ClaimReview's `correction` shows it (oldest first). */
export interface CorrectionSnapshot {
  note: string;
  at: Iso;
}
export interface PublishedSnapshot {
  claimVersion: number;
  factCheck: {
    id: string;
    rating: Rating;
    summary: string;
    claimReviewed: string;
    claimant: string | null;
    publishedAt: Iso;
    updatedAt: Iso;
    /** The desk's label as published; absent from events written before the rating scale (read as the default scale's). */
    textualRating?: string;
    ratingValue?: number | null;
    bestRating?: number;
    worstRating?: number;
  };
  article: { url: string; title: string; publisher: string | null; publishedAt: Iso | null };
  /** The claim's appearances, in their order (absent in events written before appearances existed). */
  appearances?: AppearanceSnapshot[];
  /** The claim's speaker (absent in events written before claimants existed: none). */
  speaker?: SpeakerSnapshot | null;
  /** The claim's topics by name (absent in events written before topics existed: none). */
  topics?: TopicSnapshot[];
  /** The fact check's corrections, oldest first, this one included (absent in events written before structured corrections: none). */
  corrections?: CorrectionSnapshot[];
  /** setClaimTopics: the topic IDs before the change (endpoints following topics hear of a claim leaving theirs; not in the payload). */
  topicIdsBefore?: string[];
}

/** fact_check.scheduled: what fact_check.published will carry, and when (src/domain/scheduling/). */
export interface ScheduledSnapshot extends PublishedSnapshot {
  embargoUntil: Iso;
}
export interface RetractedSnapshot {
  claimVersion: number;
  factCheck: { id: string };
}
export interface StatusSnapshot {
  claimVersion: number;
  claim: { id: string; status: ClaimStatus; previousStatus: ClaimStatus; version: number };
}
export interface AssignmentSnapshot {
  claimVersion: number;
  assignment: { id: string; claimId: string; reviewerId: string; dueAt: Iso | null };
}

/** A correction request as its resolution's event stores it (not a claim change: no claimVersion). */
export interface ResolvedRequestSnapshot {
  correctionRequest: {
    id: string;
    factCheckId: string;
    state: 'ACCEPTED' | 'DECLINED';
    requesterName: string | null;
    resolutionNote: string;
    resolvedAt: Iso;
  };
}
/** An event as an action reports it to the outbox (claimVersion is added by withLockedClaim). */
export type OutboxEvent =
  | { type: 'FACT_CHECK_PUBLISHED' | 'FACT_CHECK_CORRECTED' | 'FACT_CHECK_UPDATED'; data: Omit<PublishedSnapshot, 'claimVersion'> }
  | { type: 'FACT_CHECK_RETRACTED' | 'FACT_CHECK_SCHEDULE_CANCELLED'; data: Omit<RetractedSnapshot, 'claimVersion'> }
  | { type: 'FACT_CHECK_SCHEDULED'; data: Omit<ScheduledSnapshot, 'claimVersion'> }
  | { type: 'CLAIM_STATUS_CHANGED'; data: Omit<StatusSnapshot, 'claimVersion'> }
  | { type: 'ASSIGNMENT_CREATED'; data: Omit<AssignmentSnapshot, 'claimVersion'> };
