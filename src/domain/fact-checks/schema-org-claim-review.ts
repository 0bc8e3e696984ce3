/** schema.org ClaimReview JSON-LD, with the fields Google's fact-check markup requires and recommends. */
import { isoTime } from '../../model/time.js';
import { organizationThing, type OrganizationProfile } from '../organization/profile.js';
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
  /** A Date, or an ISO string from a page's JSON. */
  publishedAt: Date | string;
  updatedAt: Date | string;
  article: { url: string; title: string; publisher: string | null; publishedAt: Date | null };
  /** Other places the claim appeared, in their order (first appearance first); none if left out. */
  appearances?: readonly ClaimReviewAppearance[];
  /** The claimant entity the claim is linked to; without one, `claimant` (the name as written) is the author. */
  speaker?: ClaimReviewSpeaker | null;
  /** The claim's topics, by name; ClaimReview `about`. */
  topics?: readonly ClaimReviewTopic[];
  /** Its corrections, oldest first; ClaimReview `correction` (none if left out). */
  corrections?: readonly ClaimReviewCorrection[];
}

/** A correction as ClaimReview shows it: schema.org CorrectionComment, its note and when it was published. */
export interface ClaimReviewCorrection {
  note: string;
  at: Date | string;
}

export interface ClaimReviewSpeaker {
  name: string;
  kind: 'PERSON' | 'ORGANIZATION';
  wikidataId: string | null;
  website: string | null;
}

export interface ClaimReviewTopic {
  name: string;
  wikidataId: string | null;
}

export const wikidataUrl = (id: string) => `https://www.wikidata.org/wiki/${id}`;

/** A claimant as schema.org Person or Organization: its name, and sameAs its Wikidata item and its site. */
export function claimantThing(speaker: ClaimReviewSpeaker): Record<string, unknown> {
  const sameAs = [...(speaker.wikidataId ? [wikidataUrl(speaker.wikidataId)] : []), ...(speaker.website ? [speaker.website] : [])];
  return {
    '@type': speaker.kind === 'PERSON' ? 'Person' : 'Organization',
    name: speaker.name,
    ...(sameAs.length ? { sameAs } : {}),
  };
}

function author(fc: PublishedFactCheck): Record<string, unknown> {
  if (fc.speaker) return claimantThing(fc.speaker);
  return fc.claimant ? { '@type': 'Person', name: fc.claimant } : { '@type': 'Organization', name: fc.article.publisher ?? new URL(fc.article.url).hostname };
}

export interface ClaimReviewAppearance {
  url: string;
  appearedAt: Date | null;
  archivedUrl: string | null;
  firstAppearance: boolean;
}

/** An appearance as schema.org CreativeWork: its url, and datePublished and archivedAt where known. */
function creativeWork(a: ClaimReviewAppearance): Record<string, unknown> {
  return {
    '@type': 'CreativeWork',
    url: a.url,
    ...(a.appearedAt ? { datePublished: a.appearedAt.toISOString() } : {}),
    ...(a.archivedUrl ? { archivedAt: a.archivedUrl } : {}),
  };
}

export const factCheckUrl = (settings: ClaimReviewSettings, publicId: string) => `${settings.publicBaseUrl}/fact-checks/${publicId}`;
export const claimantUrl = (settings: ClaimReviewSettings, publicId: string) => `${settings.publicBaseUrl}/claimants/${publicId}`;

/**
 * `publisher` is the organisation's profile in force (src/domain/organization/): ClaimReview's
 * `author`, with its logo and policies.
 */
export function buildClaimReview(settings: ClaimReviewSettings, publisher: OrganizationProfile, fc: PublishedFactCheck): Record<string, unknown> {
  const itemReviewed: Record<string, unknown> = {
    '@type': 'Claim',
    author: author(fc),
  };
  // The source article, then the recorded appearances. With none recorded, the article alone, as it always was.
  const appearances = fc.appearances ?? [];
  const source = { '@type': 'CreativeWork', url: fc.article.url, headline: fc.article.title };
  itemReviewed.appearance = appearances.length
    ? [{ ...source, ...(fc.article.publishedAt ? { datePublished: fc.article.publishedAt.toISOString() } : {}) }, ...appearances.map(creativeWork)]
    : source;
  const first = appearances.find((a) => a.firstAppearance);
  if (first) itemReviewed.firstAppearance = creativeWork(first);
  if (fc.article.publishedAt) itemReviewed.datePublished = fc.article.publishedAt.toISOString();
  const about = (fc.topics ?? []).map((t) => ({ '@type': 'Thing', name: t.name, ...(t.wikidataId ? { sameAs: wikidataUrl(t.wikidataId) } : {}) }));
  const correction = (fc.corrections ?? []).map((c) => ({ '@type': 'CorrectionComment', text: c.note, datePublished: isoTime(c.at) }));
  return {
    '@context': 'https://schema.org',
    '@type': 'ClaimReview',
    url: factCheckUrl(settings, fc.publicId),
    claimReviewed: fc.claimReviewed,
    datePublished: isoTime(fc.publishedAt),
    dateModified: isoTime(fc.updatedAt),
    author: organizationThing(publisher),
    reviewRating: reviewRating(fc),
    reviewBody: fc.summary,
    itemReviewed,
    ...(about.length ? { about } : {}),
    ...(correction.length ? { correction } : {}),
  };
}
