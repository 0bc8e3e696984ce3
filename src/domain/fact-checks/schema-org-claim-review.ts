/** schema.org ClaimReview JSON-LD, with the fields Google's fact-check markup requires and recommends. */
import { reviewRating, type PublishedRating } from './ratings.js';

export interface ClaimReviewSettings {
  publicBaseUrl: string;
  orgName: string;
  orgUrl: string;
}

export interface PublishedFactCheck extends PublishedRating {
  /** The public (global) ID that the fact-check page is addressed by. */
  publicId: string;
  claimReviewed: string;
  claimant: string | null;
  summary: string;
  publishedAt: Date;
  updatedAt: Date;
  article: { url: string; title: string; publisher: string | null; publishedAt: Date | null };
}

export const factCheckUrl = (settings: ClaimReviewSettings, publicId: string) => `${settings.publicBaseUrl}/fact-checks/${publicId}`;

export function buildClaimReview(settings: ClaimReviewSettings, fc: PublishedFactCheck): Record<string, unknown> {
  const itemReviewed: Record<string, unknown> = {
    '@type': 'Claim',
    author: fc.claimant
      ? { '@type': 'Person', name: fc.claimant }
      : { '@type': 'Organization', name: fc.article.publisher ?? new URL(fc.article.url).hostname },
    appearance: { '@type': 'CreativeWork', url: fc.article.url, headline: fc.article.title },
  };
  if (fc.article.publishedAt) itemReviewed.datePublished = fc.article.publishedAt.toISOString();
  return {
    '@context': 'https://schema.org',
    '@type': 'ClaimReview',
    url: factCheckUrl(settings, fc.publicId),
    claimReviewed: fc.claimReviewed,
    datePublished: fc.publishedAt.toISOString(),
    dateModified: fc.updatedAt.toISOString(),
    author: { '@type': 'Organization', name: settings.orgName, url: settings.orgUrl },
    reviewRating: reviewRating(fc),
    reviewBody: fc.summary,
    itemReviewed,
  };
}
