/**
 * A claim's first publication, the one code path of publishFactCheck (now) and of a scheduled
 * publication's release (src/domain/scheduling/release.ts): the fact_checks row, the claim's
 * published round, one PUBLISHED event with fact_check.published and the change feed's PUBLISHED.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from '../../db/connection.js';
import { send } from '../../db/pipeline.js';
import { factChecks, type ArticleRow, type ClaimRow, type FactCheckRow } from '../../db/schema.js';
import type { PublishedRating } from '../fact-checks/ratings.js';
import { FACTS_UNCHANGED, type ActionOutcome } from './lock.js';
import { factCheckEvent, type ClaimReviewContext } from './partner-events.js';

export type ArticleFacts = Pick<ArticleRow, 'language' | 'url' | 'title' | 'publisher' | 'publishedAt'>;

/** The label as it is published, with whether the publisher named it (fact_checks' label columns). */
export type PublishedLabel = PublishedRating & { ratingLabelKey: string; ratingLabelChosen: boolean };

export interface FirstPublication {
  claim: Pick<ClaimRow, 'id' | 'articleId' | 'statement' | 'quote' | 'claimant' | 'round'>;
  article: ArticleFacts;
  label: PublishedLabel;
  summary: string;
  /** The ID fixed when it was scheduled; left out: a new one. */
  id?: string;
  publishedBy: string;
  /** The moment it becomes visible. */
  at: Date;
}

/**
 * The fact check's row is built here (its ID too, unless fixed at scheduling), so that its event is
 * ready without waiting for the insert: the insert goes out with the claim's update and record in
 * one round trip (withLockedClaim). `context`: what its ClaimReview shows, read under the lock.
 */
export function publishFirst(tx: Transaction, p: FirstPublication, context: ClaimReviewContext): ActionOutcome<FactCheckRow> {
  const created = {
    id: p.id ?? randomUUID(),
    claimReviewed: p.claim.statement,
    quote: p.claim.quote,
    claimant: p.claim.claimant,
    language: p.article.language,
    ...p.label,
    summary: p.summary,
    claimId: p.claim.id,
    articleId: p.claim.articleId,
    publishedBy: p.publishedBy,
    publishedAt: p.at,
    updatedAt: p.at,
    retractedAt: null,
  } satisfies Omit<FactCheckRow, 'searchVector'>;
  return {
    // search_vector is generated from the row, and nobody reads it from an answer.
    result: { ...created, searchVector: null },
    sent: [send(tx.insert(factChecks).values(created))],
    claimChanges: { publishedRound: p.claim.round },
    facts: FACTS_UNCHANGED,
    event: {
      type: 'PUBLISHED',
      note: p.label.rating,
      partnerEvents: [factCheckEvent('FACT_CHECK_PUBLISHED', created, p.article, context)],
      actorId: p.publishedBy,
    },
  };
}
