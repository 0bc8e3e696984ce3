/**
 * Event bodies (DESIGN.md, "Partners"). The outbox stores what an event is rendered from, as it
 * was in the changing transaction; the body is rendered from that when sent, the same bytes on
 * every retry. Field names and formats match the GraphQL fields where they overlap (global IDs, ISO dates).
 */
import { buildClaimReview, factCheckUrl, type ClaimReviewSettings } from '../fact-checks/schema-org-claim-review.js';
import type { PublishedRating } from '../fact-checks/ratings.js';
import { profileOf, type OrganizationProfile } from '../organization/profile.js';
import { DEFAULT_RATING_SCALE, bestValue, WORST_VALUE } from '../rating-scale/scale.js';
import type { WebhookEventType } from '../../model/enums.js';
import { WIRE_TYPE } from './events.js';

import type {
  AppearanceSnapshot,
  AssignmentSnapshot,
  Iso,
  OutboxEvent,
  PublishedSnapshot,
  ResolvedRequestSnapshot,
  RetractedSnapshot,
  ScheduledSnapshot,
  SpeakerSnapshot,
  StatusSnapshot,
  TopicSnapshot,
} from '../../model/partner-events.js';

export type { AppearanceSnapshot, AssignmentSnapshot, OutboxEvent, PublishedSnapshot, RetractedSnapshot, SpeakerSnapshot, StatusSnapshot, TopicSnapshot };

export interface PayloadSettings {
  site: ClaimReviewSettings;
  /** Global IDs are the GraphQL layer's encoding; it is handed in so this module stays below that layer. */
  globalId: (type: 'FactCheck' | 'Claim' | 'Assignment' | 'User' | 'Claimant' | 'Topic' | 'CorrectionRequest', id: string) => string;
  /**
   * The organisation's profile as it is when the payload is rendered (ClaimReview's author): the
   * dispatcher reads it with each delivery it claims. Left out: ORG_NAME and ORG_URL (`site`).
   */
  organization?: OrganizationProfile | null;
}

const date = (iso: Iso | null) => (iso === null ? null : new Date(iso));

/** The label stored with the event; an event from before the rating scale gets the default scale's, which it was rendered with then. */
function ratingOf(fc: PublishedSnapshot['factCheck']): PublishedRating {
  if (fc.textualRating !== undefined) {
    return {
      rating: fc.rating,
      textualRating: fc.textualRating,
      ratingValue: fc.ratingValue ?? null,
      bestRating: fc.bestRating ?? 5,
      worstRating: fc.worstRating ?? WORST_VALUE,
    };
  }
  const label = DEFAULT_RATING_SCALE.labels.find((l) => l.rating === fc.rating)!;
  return {
    rating: fc.rating,
    textualRating: label.names[0]!.text,
    ratingValue: label.value,
    bestRating: bestValue(DEFAULT_RATING_SCALE),
    worstRating: WORST_VALUE,
  };
}

export function renderPayload(type: WebhookEventType, data: unknown, at: Date, settings: PayloadSettings): Record<string, unknown> {
  return { type: WIRE_TYPE[type], timestamp: at.toISOString(), data: renderData(type, data, settings) };
}

function renderData(type: WebhookEventType, stored: unknown, { site, globalId, organization }: PayloadSettings): Record<string, unknown> {
  switch (type) {
    case 'FACT_CHECK_SCHEDULED': {
      const { embargoUntil } = stored as ScheduledSnapshot;
      return { ...renderData('FACT_CHECK_PUBLISHED', stored, { site, globalId, organization }), embargoUntil };
    }
    case 'FACT_CHECK_PUBLISHED':
    case 'FACT_CHECK_CORRECTED':
    case 'FACT_CHECK_UPDATED': {
      const { factCheck: fc, article, claimVersion, appearances = [], speaker = null, topics = [], corrections = [] } = stored as PublishedSnapshot;
      const publicId = globalId('FactCheck', fc.id);
      const rating = ratingOf(fc);
      const claimReview = buildClaimReview(site, profileOf(organization, site), {
        publicId,
        claimReviewed: fc.claimReviewed,
        claimant: fc.claimant,
        ...rating,
        summary: fc.summary,
        publishedAt: date(fc.publishedAt)!,
        updatedAt: date(fc.updatedAt)!,
        article: { ...article, publishedAt: date(article.publishedAt) },
        appearances: appearances.map((a) => ({ ...a, appearedAt: date(a.appearedAt) })),
        speaker,
        topics,
        corrections,
      });
      return {
        factCheck: {
          id: publicId,
          url: factCheckUrl(site, publicId),
          rating: fc.rating,
          textualRating: rating.textualRating,
          summary: fc.summary,
          publishedAt: fc.publishedAt,
          updatedAt: fc.updatedAt,
          claimReviewed: fc.claimReviewed,
          claimReview,
          speaker: speaker && { id: globalId('Claimant', speaker.id), name: speaker.name, wikidataId: speaker.wikidataId },
          topics: topics.map((t) => ({ id: globalId('Topic', t.id), name: t.name })),
        },
        claimVersion,
      };
    }
    case 'FACT_CHECK_RETRACTED':
    case 'FACT_CHECK_SCHEDULE_CANCELLED': {
      const { factCheck, claimVersion } = stored as RetractedSnapshot;
      const publicId = globalId('FactCheck', factCheck.id);
      return { factCheck: { id: publicId, url: factCheckUrl(site, publicId) }, claimVersion };
    }
    case 'CLAIM_STATUS_CHANGED': {
      const { claim, claimVersion } = stored as StatusSnapshot;
      return { claim: { ...claim, id: globalId('Claim', claim.id) }, claimVersion };
    }
    case 'CORRECTION_REQUEST_RESOLVED': {
      // Not a claim change: no claimVersion; never who resolved it (docs/design.md, Correction requests).
      const { correctionRequest: r } = stored as ResolvedRequestSnapshot;
      return {
        correctionRequest: {
          id: globalId('CorrectionRequest', r.id),
          factCheckId: globalId('FactCheck', r.factCheckId),
          state: r.state,
          requesterName: r.requesterName,
          resolutionNote: r.resolutionNote,
          resolvedAt: r.resolvedAt,
        },
      };
    }
    case 'ASSIGNMENT_CREATED': {
      const { assignment: a, claimVersion } = stored as AssignmentSnapshot;
      return {
        assignment: { id: globalId('Assignment', a.id), claimId: globalId('Claim', a.claimId), reviewerId: globalId('User', a.reviewerId), dueAt: a.dueAt },
        claimVersion,
      };
    }
  }
}
