/** What partners hear of a claim's fact check (webhooks and the change feed), as the change left it. */
import { eq } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import { APPEARANCE_ORDER } from '../../db/loaders.js';
import { claimAppearances, type ArticleRow, type FactCheckRow } from '../../db/schema.js';
import type { AppearanceSnapshot, OutboxEvent } from '../webhooks/payloads.js';

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

/** The fact check as published, with what its ClaimReview needs. */
export function factCheckEvent(
  type: 'FACT_CHECK_PUBLISHED' | 'FACT_CHECK_CORRECTED' | 'FACT_CHECK_UPDATED',
  fc: FactCheckRow,
  article: Pick<ArticleRow, 'url' | 'title' | 'publisher' | 'publishedAt'>,
  appearances: AppearanceSnapshot[],
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
      appearances,
    },
  };
}
