/** schema.org ClaimReview JSON-LD, with the fields Google's fact-check markup requires and recommends. */
import type { Rating } from '../../model/enums.js';
import { isoTime } from '../../model/time.js';
import { RATING_LABEL, RATING_VALUE } from './ratings.js';

export interface ClaimReviewSettings {
  publicBaseUrl: string;
  orgName: string;
  orgUrl: string;
}

export interface PublishedFactCheck {
  /** The public (global) ID that the fact-check page is addressed by. */
  publicId: string;
  claimReviewed: string;
  claimant: string | null;
  rating: Rating;
  summary: string;
  /** A Date, or an ISO string from a page's JSON. */
  publishedAt: Date | string;
  updatedAt: Date | string;
  article: { url: string; title: string; publisher: string | null; publishedAt: Date | null };
}

export const factCheckUrl = (settings: ClaimReviewSettings, publicId: string) => `${settings.publicBaseUrl}/fact-checks/${publicId}`;

export function buildClaimReview(settings: ClaimReviewSettings, fc: PublishedFactCheck): Record<string, unknown> {
  const value = RATING_VALUE[fc.rating];
  const reviewRating: Record<string, unknown> = { '@type': 'Rating', alternateName: RATING_LABEL[fc.rating] };
  if (value !== null) Object.assign(reviewRating, { ratingValue: value, bestRating: 5, worstRating: 1 });
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
    datePublished: isoTime(fc.publishedAt),
    dateModified: isoTime(fc.updatedAt),
    author: { '@type': 'Organization', name: settings.orgName, url: settings.orgUrl },
    reviewRating,
    reviewBody: fc.summary,
    itemReviewed,
  };
}
