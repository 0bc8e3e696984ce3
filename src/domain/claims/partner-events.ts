/** What partners hear of a claim's fact check (webhooks and the change feed), as the change left it. */
import { and, eq, sql } from 'drizzle-orm';
import type { Queryable, Transaction } from '../../db/connection.js';
import { APPEARANCE_ORDER } from '../../db/loaders.js';
import {
  articles,
  claimAppearances,
  claimants,
  claims,
  claimTopics,
  factChecks,
  scheduledPublications,
  topics,
  type ArticleRow,
  type ClaimRow,
  type FactCheckRow,
  type ScheduledPublicationRow,
} from '../../db/schema.js';
import { corrections } from '../../db/schema.js';
import { publicFactCheckCondition } from '../../model/public-fact-checks.js';
import type { AppearanceSnapshot, OutboxEvent, PublishedSnapshot, SpeakerSnapshot, TopicSnapshot } from '../webhooks/payloads.js';
import type { CorrectionSnapshot } from '../../model/partner-events.js';

/** What a fact check's ClaimReview shows beside the fact check's own row. */
export interface ClaimReviewContext {
  appearances: AppearanceSnapshot[];
  speaker: SpeakerSnapshot | null;
  topics: TopicSnapshot[];
  /** The corrections of the claim's fact check, oldest first (ClaimReview `correction`). */
  corrections: CorrectionSnapshot[];
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

/**
 * The claim's speaker, its topics by name (the order of Claim.topics) and its fact check's
 * corrections, oldest first, in one statement (lists aggregated as JSON text: both drivers read
 * text alike; a correction's time as epoch milliseconds, which no session setting formats).
 */
export async function speakerAndTopics(tx: Queryable, claimId: string): Promise<Pick<ClaimReviewContext, 'speaker' | 'topics' | 'corrections'>> {
  const topicList = sql<string>`(select coalesce(json_agg(json_build_object('id', t.id, 'name', t.name, 'wikidataId', t.wikidata_id)
      order by t.name_key, t.id)::text, '[]') from ${claimTopics} ct join ${topics} t on t.id = ct.topic_id where ct.claim_id = ${claims}.${sql.identifier('id')})`;
  const correctionList = sql<string>`(select coalesce(json_agg(json_build_object('note', c.note, 'at', round(extract(epoch from c.at) * 1000))
      order by c.at, c.id)::text, '[]') from ${corrections} c join ${factChecks} f on f.id = c.fact_check_id where f.claim_id = ${claims}.${sql.identifier('id')})`;
  const [row] = await tx
    .select({
      speakerId: claimants.id,
      name: claimants.name,
      kind: claimants.kind,
      wikidataId: claimants.wikidataId,
      website: claimants.website,
      topics: topicList.mapWith((text: string) => JSON.parse(text) as TopicSnapshot[]),
      corrections: correctionList.mapWith((text: string) =>
        (JSON.parse(text) as { note: string; at: number }[]).map((c): CorrectionSnapshot => ({ note: c.note, at: new Date(Number(c.at)).toISOString() })),
      ),
    })
    .from(claims)
    .leftJoin(claimants, eq(claimants.id, claims.speakerId))
    .where(eq(claims.id, claimId));
  if (!row) return { speaker: null, topics: [], corrections: [] };
  const { speakerId, name, kind, wikidataId, website } = row;
  return { speaker: speakerId ? { id: speakerId, name: name!, kind: kind!, wikidataId, website } : null, topics: row.topics, corrections: row.corrections };
}

export async function claimReviewContext(tx: Queryable, claimId: string): Promise<ClaimReviewContext> {
  const [appearances, rest] = await Promise.all([appearanceSnapshots(tx, claimId), speakerAndTopics(tx, claimId)]);
  return { appearances, ...rest };
}

/** The fact check as published, with what its ClaimReview needs. */
export function factCheckEvent(
  type: 'FACT_CHECK_PUBLISHED' | 'FACT_CHECK_CORRECTED' | 'FACT_CHECK_UPDATED',
  fc: Omit<FactCheckRow, 'searchVector'>,
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
 * The fact check a scheduled publication will publish, as it will read at `publishAt` (the release
 * copies the claim's words then, and nothing else may change them while it waits): no row of
 * fact_checks yet, so no public read can find it.
 */
export function scheduledFactCheck(
  schedule: ScheduledPublicationRow,
  claim: Pick<ClaimRow, 'id' | 'articleId' | 'statement' | 'quote' | 'claimant'>,
  language: string,
): FactCheckRow {
  return {
    id: schedule.factCheckId,
    claimId: claim.id,
    articleId: claim.articleId,
    claimReviewed: claim.statement,
    quote: claim.quote,
    claimant: claim.claimant,
    language,
    rating: schedule.rating,
    textualRating: schedule.textualRating,
    ratingLabelKey: schedule.ratingLabelKey,
    ratingLabelChosen: schedule.ratingLabelChosen,
    ratingValue: schedule.ratingValue,
    bestRating: schedule.bestRating,
    worstRating: schedule.worstRating,
    summary: schedule.summary,
    publishedBy: schedule.scheduledBy,
    publishedAt: schedule.publishAt,
    updatedAt: schedule.publishAt,
    retractedAt: null,
    searchVector: null,
  };
}

/** The claim's scheduled publication with what its event needs (claim, article), or null. */
export async function readScheduled(tx: Queryable, claimId: string) {
  const [row] = await tx
    .select({
      schedule: scheduledPublications,
      claim: { id: claims.id, articleId: claims.articleId, statement: claims.statement, quote: claims.quote, claimant: claims.claimant },
      article: { language: articles.language, url: articles.url, title: articles.title, publisher: articles.publisher, publishedAt: articles.publishedAt },
    })
    .from(scheduledPublications)
    .innerJoin(claims, eq(claims.id, scheduledPublications.claimId))
    .innerJoin(articles, eq(articles.id, claims.articleId))
    .where(eq(scheduledPublications.claimId, claimId));
  return row ? { ...row, factCheck: scheduledFactCheck(row.schedule, row.claim, row.article.language) } : null;
}

/** fact_check.scheduled: what fact_check.published will carry, rendered from the claim as `tx` has it now, and when. */
export function factCheckScheduledEvent(
  factCheck: FactCheckRow,
  article: Pick<ArticleRow, 'url' | 'title' | 'publisher' | 'publishedAt'>,
  context: ClaimReviewContext,
): OutboxEvent {
  const { data } = factCheckEvent('FACT_CHECK_PUBLISHED', factCheck, article, context) as { data: Omit<PublishedSnapshot, 'claimVersion'> };
  return { type: 'FACT_CHECK_SCHEDULED', data: { ...data, embargoUntil: factCheck.publishedAt.toISOString() } };
}

/**
 * The claim's ClaimReview changed without a correction (an appearance, its speaker, its topics):
 * while partners see its fact check, the fact check's `updatedAt` (ClaimReview `dateModified`)
 * becomes now and partners hear FACT_CHECK_UPDATED (change feed: UPDATED), rendered from the
 * claim as `tx` has it now. While its publication is scheduled (`scheduled`: the locked claim's
 * scheduledFor), embargoed endpoints hear fact_check.scheduled again, with what will now be
 * published. Neither: no event. Call it after the change.
 */
export async function factCheckUpdatedEvents(tx: Transaction, claimId: string, scheduled: boolean): Promise<OutboxEvent[]> {
  // A scheduled claim has no fact check row (a schedule is for a first publication only). The caller
  // may have read "scheduled" before waiting for the claim's lock, while the release committed: then
  // the fact check is published now, and what partners hear is fact_check.updated.
  if (scheduled) {
    const found = await readScheduled(tx, claimId);
    if (found) return [factCheckScheduledEvent(found.factCheck, found.article, await claimReviewContext(tx, claimId))];
  }
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
