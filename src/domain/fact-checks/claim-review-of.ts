/**
 * A fact check's ClaimReview as it reads now, from the request's loaders (FactCheck.claimReview, the
 * public page, its JSON-LD): the fact check's row, its article, and what its claim has beside it
 * (appearances, speaker, topics), its corrections, and the organisation's profile as its author,
 * each relation batched over a page (the profile: one read per request).
 */
import type { Loaders } from '../../db/loaders.js';
import type { ArticleRow, ClaimantRow } from '../../db/schema.js';
import type { FactCheckRecord } from '../records.js';
import { organizationProfile } from '../organization/organization.js';
import { buildClaimReview, type ClaimReviewSettings } from './schema-org-claim-review.js';

/** The claimant a claim is attributed to, if any (FactCheck.speaker, Claim.speaker's fallback). */
export async function speakerOfClaim(loaders: Loaders, claimId: string): Promise<ClaimantRow | null> {
  const claim = await loaders.claim.load(claimId);
  return claim?.speakerId ? loaders.liveClaimant.load(claim.speakerId) : null;
}

export async function claimReviewOf(
  loaders: Loaders,
  site: ClaimReviewSettings,
  factCheck: FactCheckRecord,
  publicId: string,
  article: Pick<ArticleRow, 'url' | 'title' | 'publisher' | 'publishedAt'>,
): Promise<Record<string, unknown>> {
  const [appearances, speaker, topics, corrections, publisher] = await Promise.all([
    loaders.appearancesByClaim.load(factCheck.claimId),
    speakerOfClaim(loaders, factCheck.claimId),
    loaders.topicsByClaim.load(factCheck.claimId),
    loaders.correctionsByFactCheck.load(factCheck.id),
    organizationProfile(loaders, site),
  ]);
  return buildClaimReview(site, publisher, { ...factCheck, publicId, article, appearances, speaker, topics, corrections });
}
