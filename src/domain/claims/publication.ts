/**
 * A claim's first publication, the one code path of publishFactCheck (now) and of a scheduled
 * publication's release (src/domain/scheduling/release.ts): the fact_checks row, the claim's
 * published round, one PUBLISHED event with fact_check.published and the change feed's PUBLISHED.
 */
import type { Transaction } from '../../db/connection.js';
import { factChecks, type ArticleRow, type ClaimRow, type FactCheckRow } from '../../db/schema.js';
import type { PublishedRating } from '../fact-checks/ratings.js';
import type { ActionOutcome } from './lock.js';
import { claimReviewContext, factCheckEvent } from './partner-events.js';

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

export async function publishFirst(tx: Transaction, p: FirstPublication): Promise<ActionOutcome<FactCheckRow>> {
  const context = await claimReviewContext(tx, p.claim.id);
  const [created] = await tx
    .insert(factChecks)
    .values({
      ...(p.id ? { id: p.id } : {}),
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
    })
    .returning();
  return {
    result: created!,
    claimChanges: { publishedRound: p.claim.round },
    event: {
      type: 'PUBLISHED',
      note: p.label.rating,
      partnerEvents: [factCheckEvent('FACT_CHECK_PUBLISHED', created!, p.article, context)],
      actorId: p.publishedBy,
    },
  };
}
