/**
 * Google Fact Check Tools `claims:search` (v1alpha1) on our data, so partners can point existing
 * clients at us. Parameters and response fields follow Google's documented names and shapes.
 */
import { z } from 'zod';
import type { ArticleRow } from '../../db/schema.js';
import { factCheckUrl, type ClaimReviewSettings } from './schema-org-claim-review.js';
import type { OrganizationProfile } from '../organization/profile.js';
import { badInput } from '../coded-errors.js';
import type { FactCheckFilter, FactCheckResult } from './queries.js';
import { httpUrl, languageTag, LIMITS, optionalText, parseInput } from '../validation.js';

/** A whole number in [min, max], from its decimal text; one readable message for every way to miss. */
const integerFrom = (min: number, max: number) => {
  const message = `must be an integer from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\s*\d+\s*$/, message)
    .transform(Number)
    .pipe(z.number().int(message).min(min, message).max(max, message))
    .nullish();
};

const params = z.object({
  query: optionalText(LIMITS.short),
  languageCode: languageTag.nullish(),
  reviewPublisherSiteFilter: optionalText(LIMITS.short),
  maxAgeDays: integerFrom(1, 36_500),
  pageSize: integerFrom(1, 100),
  pageToken: optionalText(LIMITS.short),
  // Our extension, not Google's: the fact checks of claims made at this URL (FactCheckFilter.appearanceUrl).
  url: httpUrl.nullish(),
  // Our extension: other publishers' fact checks too (src/domain/external-fact-checks/google-claim-search.ts).
  includeExternal: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .transform((v) => v === 'true')
    .nullish(),
});

export interface GoogleSearchRequest {
  filter: FactCheckFilter;
  first: number;
  after: string | null;
  /** The publisher filter names another site: without includeExternal, the answer is empty. */
  otherPublisher: boolean;
  /** includeExternal=true: other publishers' reviews are ranked with ours. */
  includeExternal: boolean;
  /** reviewPublisherSiteFilter as a host (lower case, no "www."), if given. */
  publisherSite: string | null;
}

/** Validates the query string; BAD_USER_INPUT naming the parameter otherwise. `publisher`: the organisation's profile in force. */
export function parseGoogleSearch(query: Record<string, unknown>, publisher: Pick<OrganizationProfile, 'url'>, now = new Date()): GoogleSearchRequest {
  const p = parseInput(params, Object.fromEntries(Object.entries(query).filter(([, v]) => typeof v === 'string')));
  if (!p.query && !p.reviewPublisherSiteFilter && !p.url) throw badInput('query', 'query is required unless reviewPublisherSiteFilter or url is given');
  const site = siteOf(publisher.url);
  const wanted = p.reviewPublisherSiteFilter?.toLowerCase().replace(/^www\./, '');
  return {
    filter: {
      search: p.query ?? null,
      language: p.languageCode ? p.languageCode.split('-')[0]!.toLowerCase() : null,
      publishedAfter: p.maxAgeDays ? new Date(now.getTime() - p.maxAgeDays * 86_400_000) : null,
      appearanceUrl: p.url ?? null,
    },
    first: p.pageSize ?? 10,
    after: p.pageToken ?? null,
    otherPublisher: wanted !== undefined && wanted !== site && !site.endsWith(`.${wanted}`),
    includeExternal: p.includeExternal ?? false,
    publisherSite: wanted ?? null,
  };
}

export const siteOf = (url: string) => new URL(url).hostname.toLowerCase().replace(/^www\./, '');

/**
 * One published fact check as a Google `Claim` with its single `ClaimReview`; absent values are
 * omitted, as Google does. `claimant` is the speaker's name when the claim has one, else the name as written.
 * The publisher is the organisation's profile in force (its name and its site's host).
 */
export function toGoogleClaim(
  settings: ClaimReviewSettings,
  publisher: Pick<OrganizationProfile, 'name' | 'url'>,
  fc: FactCheckResult & { publicId: string; article: Pick<ArticleRow, 'publishedAt'>; speakerName?: string | null },
) {
  const claimant = fc.speakerName ?? fc.claimant;
  return {
    text: fc.claimReviewed,
    ...(claimant ? { claimant } : {}),
    ...(fc.article.publishedAt ? { claimDate: fc.article.publishedAt.toISOString() } : {}),
    claimReview: [
      {
        publisher: { name: publisher.name, site: siteOf(publisher.url) },
        url: factCheckUrl(settings, fc.publicId),
        title: fc.claimReviewed,
        reviewDate: fc.updatedAt.toISOString(),
        // The desk's own label as published, in the fact check's language (Google's field means the same).
        textualRating: fc.textualRating,
        languageCode: fc.language,
      },
    ],
  };
}
