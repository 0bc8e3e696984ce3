/** What partners hear of a claim's fact check (webhooks and the change feed), as the change left it. */
import { and, asc, eq } from 'drizzle-orm';
import type { Queryable, Transaction } from '../../db/connection.js';
import { APPEARANCE_ORDER } from '../../db/loaders.js';
import { articles, claimAppearances, claimants, claims, claimTopics, factChecks, topics, type ArticleRow, type FactCheckRow } from '../../db/schema.js';
import { publicFactCheckCondition } from '../../model/public-fact-checks.js';
import type { AppearanceSnapshot, OutboxEvent, SpeakerSnapshot, TopicSnapshot } from '../webhooks/payloads.js';

/** What a fact check's ClaimReview shows beside the fact check's own row. */
export interface ClaimReviewContext {
  appearances: AppearanceSnapshot[];
  speaker: SpeakerSnapshot | null;
  topics: TopicSnapshot[];
}

/** The claim's appearances in their order (APPEARANCE_ORDER), as an event stores them. */
export async function appearanceSnapshots(tx: Queryable, claimId: string): Promise<AppearanceSnapshot[]> {
  const rows = await tx
    .select({
      url: claimAppearances.url,
      appearedAt: claimAppearances.appearedAt,
      archivedUrl: claimAppearances.archivedUrl,
      firstAppearance: claimAppearances.firstAppearance,
    })
    .from(claimAppearances)
    .where(eq(claimAppearances.claimId, claimId))
    .orderBy(...APPEARANCE_ORDER);
  return rows.map((r) => ({ ...r, appearedAt: r.appearedAt?.toISOString() ?? null }));
}

export async function speakerSnapshot(tx: Queryable, claimId: string): Promise<SpeakerSnapshot | null> {
  const [row] = await tx
    .select({ id: claimants.id, name: claimants.name, kind: claimants.kind, wikidataId: claimants.wikidataId, website: claimants.website })
    .from(claims)
    .innerJoin(claimants, eq(claimants.id, claims.speakerId))
    .where(eq(claims.id, claimId));
  return row ?? null;
}

/** The claim's topics by name (the order of Claim.topics). */
export function topicSnapshots(tx: Queryable, claimId: string): Promise<TopicSnapshot[]> {
  return tx
    .select({ id: topics.id, name: topics.name, wikidataId: topics.wikidataId })
    .from(claimTopics)
    .innerJoin(topics, eq(topics.id, claimTopics.topicId))
    .where(eq(claimTopics.claimId, claimId))
    .orderBy(asc(topics.nameKey), asc(topics.id));
}

export async function claimReviewContext(tx: Queryable, claimId: string): Promise<ClaimReviewContext> {
  const [appearances, speaker, topicList] = await Promise.all([appearanceSnapshots(tx, claimId), speakerSnapshot(tx, claimId), topicSnapshots(tx, claimId)]);
  return { appearances, speaker, topics: topicList };
}

/** The fact check as published, with what its ClaimReview needs. */
export function factCheckEvent(
  type: 'FACT_CHECK_PUBLISHED' | 'FACT_CHECK_CORRECTED' | 'FACT_CHECK_UPDATED',
  fc: FactCheckRow,
  article: Pick<ArticleRow, 'url' | 'title' | 'publisher' | 'publishedAt'>,
  context: ClaimReviewContext,
): OutboxEvent {
  return {
    type,
    data: {
      factCheck: {
        id: fc.id,
        rating: fc.rating,
        summary: fc.summary,
        claimReviewed: fc.claimReviewed,
        claimant: fc.claimant,
        textualRating: fc.textualRating,
        ratingValue: fc.ratingValue,
        bestRating: fc.bestRating,
        worstRating: fc.worstRating,
        publishedAt: fc.publishedAt.toISOString(),
        updatedAt: fc.updatedAt.toISOString(),
      },
      article: { url: article.url, title: article.title, publisher: article.publisher, publishedAt: article.publishedAt?.toISOString() ?? null },
      ...context,
    },
  };
}

/**
 * The claim's ClaimReview changed without a correction (an appearance, its speaker, its topics):
 * while partners see its fact check, the fact check's `updatedAt` (ClaimReview `dateModified`)
 * becomes now and partners hear FACT_CHECK_UPDATED (change feed: UPDATED), rendered from the
 * claim as `tx` has it now. No fact check partners see: no event. Call it after the change.
 */
export async function factCheckUpdatedEvents(tx: Transaction, claimId: string): Promise<OutboxEvent[]> {
  const [updated] = await tx
    .update(factChecks)
    .set({ updatedAt: new Date() })
    .where(and(eq(factChecks.claimId, claimId), publicFactCheckCondition(factChecks)))
    .returning();
  if (!updated) return [];
  const [article] = await tx
    .select({ url: articles.url, title: articles.title, publisher: articles.publisher, publishedAt: articles.publishedAt })
    .from(articles)
    .where(eq(articles.id, updated.articleId));
  return [factCheckEvent('FACT_CHECK_UPDATED', updated, article!, await claimReviewContext(tx, claimId))];
}
