/**
 * What the public claimant page (GET /claimants/:id, its .jsonld) shows: the claimant, its record and
 * its published fact checks. Public, like the fact checks: read without a viewer, as partners read.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import type { Loaders } from '../../db/loaders.js';
import { claims, factChecks, type ClaimantRow } from '../../db/schema.js';
import { publicFactCheckCondition } from '../../model/public-fact-checks.js';
import { claimantThing } from '../fact-checks/schema-org-claim-review.js';
import { claimantRecord, type ClaimantRecord } from './record.js';

/** How many of the newest fact checks the page lists (the API pages through all of them). */
export const PAGE_FACT_CHECKS = 100;

export type PublicClaimant =
  | { kind: 'page'; claimant: ClaimantRow; record: ClaimantRecord; factChecks: PageFactCheck[] }
  /** A merged claimant's ID: the page of the one it was merged into. */
  | { kind: 'moved'; to: string }
  | null;

export interface PageFactCheck {
  id: string;
  claimReviewed: string;
  textualRating: string;
  rating: string;
  publishedAt: Date;
}

export async function publicClaimant(db: Queryable, loaders: Loaders, id: string): Promise<PublicClaimant> {
  const live = await loaders.liveClaimant.load(id);
  if (!live) return null;
  if (live.id !== id) return { kind: 'moved', to: live.id };
  const [record, rows] = await Promise.all([
    claimantRecord(loaders, live.id),
    db
      .select({
        id: factChecks.id,
        claimReviewed: factChecks.claimReviewed,
        textualRating: factChecks.textualRating,
        rating: factChecks.rating,
        publishedAt: factChecks.publishedAt,
      })
      .from(factChecks)
      .innerJoin(claims, eq(claims.id, factChecks.claimId))
      .where(and(eq(claims.speakerId, live.id), publicFactCheckCondition(factChecks)))
      .orderBy(desc(factChecks.publishedAt), desc(factChecks.id))
      .limit(PAGE_FACT_CHECKS),
  ]);
  return { kind: 'page', claimant: live, record, factChecks: rows };
}

/** The claimant as schema.org Person or Organization JSON-LD. */
export function claimantJsonLd(claimant: ClaimantRow, pageUrl: string): Record<string, unknown> {
  return {
    '@context': 'https://schema.org',
    ...claimantThing(claimant),
    url: pageUrl,
    ...(claimant.aliases.length ? { alternateName: claimant.aliases } : {}),
    ...(claimant.description ? { description: claimant.description } : {}),
  };
}
