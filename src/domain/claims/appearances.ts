/**
 * addClaimAppearance: another place where a claim was made or repeated (docs/design.md, Appearances).
 *
 * - A URL already recorded for the claim, compared after normalisation (src/model/lookup-url.ts), or
 *   the claim's source article itself, changes nothing: no event, the same version. The one
 *   exception: `firstAppearance: true` for a recorded appearance not yet marked moves the mark there.
 * - `firstAppearance: true` moves the mark: at most one appearance of a claim is the first (a partial
 *   unique index holds it).
 * - While the claim has a fact check partners see, its `updatedAt` (ClaimReview `dateModified`)
 *   becomes now and partners hear FACT_CHECK_UPDATED (change feed: UPDATED): an update, not a
 *   correction; rating, summary and corrections stay as they are.
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Transaction } from '../../db/connection.js';
import { articles, assignments, claimAppearances, type ClaimRow } from '../../db/schema.js';
import { normalizeLookupUrl } from '../../model/lookup-url.js';
import { forbidden } from '../coded-errors.js';
import { hasNormalizedUrl } from '../fact-checks/filter.js';
import { httpUrl, parseInput, validDate } from '../validation.js';
import { requireRole, type Viewer } from '../viewer.js';
import { allowedRoles, assertActionAllowed, needsActiveAssignment } from '../workflow.js';
import { FACTS_UNCHANGED, withLockedClaim } from './lock.js';
import { factCheckUpdatedEvents } from './partner-events.js';

const appearanceInput = z.object({
  claimId: z.string(),
  url: httpUrl,
  appearedAt: validDate.nullish(),
  archivedUrl: httpUrl.nullish(),
  firstAppearance: z.boolean().nullish(),
  expectedVersion: z.number().int().nullish(),
});
export type AddClaimAppearanceInput = z.input<typeof appearanceInput>;

export const isActivelyAssigned = async (tx: Transaction, claimId: string, reviewerId: string) =>
  (
    await tx
      .select({ id: assignments.id })
      .from(assignments)
      .where(and(eq(assignments.claimId, claimId), eq(assignments.reviewerId, reviewerId), eq(assignments.state, 'ACTIVE')))
  ).length > 0;

export async function addClaimAppearance(db: Database, viewer: Viewer | null, input: AddClaimAppearanceInput): Promise<ClaimRow> {
  const actor = requireRole(viewer, allowedRoles.addClaimAppearance);
  const data = parseInput(appearanceInput, input);
  const urlNormalized = normalizeLookupUrl(data.url);
  const { claim } = await withLockedClaim(db, actor, data.claimId, data, async (tx, claim) => {
    if (needsActiveAssignment('addClaimAppearance', actor.role) && !(await isActivelyAssigned(tx, claim.id, actor.id))) {
      throw forbidden('Only reviewers actively assigned to this claim can record where it appeared');
    }
    assertActionAllowed('addClaimAppearance', claim.status, claim.scheduledFor);
    const [article] = await tx
      .select({
        url: articles.url,
        urlNormalized: articles.urlNormalized,
        title: articles.title,
        publisher: articles.publisher,
        publishedAt: articles.publishedAt,
      })
      .from(articles)
      .where(eq(articles.id, claim.articleId));
    if ((article!.urlNormalized ?? normalizeLookupUrl(article!.url)) === urlNormalized) return { result: null, event: null };
    const [known] = await tx
      .select({ id: claimAppearances.id, firstAppearance: claimAppearances.firstAppearance })
      .from(claimAppearances)
      .where(and(eq(claimAppearances.claimId, claim.id), hasNormalizedUrl(claimAppearances.urlNormalized, urlNormalized)));
    if (known && !(data.firstAppearance && !known.firstAppearance)) return { result: null, event: null };

    if (data.firstAppearance) {
      await tx
        .update(claimAppearances)
        .set({ firstAppearance: false })
        .where(and(eq(claimAppearances.claimId, claim.id), eq(claimAppearances.firstAppearance, true)));
    }
    let note: string;
    if (known) {
      await tx.update(claimAppearances).set({ firstAppearance: true }).where(eq(claimAppearances.id, known.id));
      note = `First appearance: ${data.url}`;
    } else {
      await tx.insert(claimAppearances).values({
        claimId: claim.id,
        url: data.url,
        urlNormalized,
        appearedAt: data.appearedAt ?? null,
        archivedUrl: data.archivedUrl ?? null,
        firstAppearance: data.firstAppearance ?? false,
        addedBy: actor.id,
      });
      note = `${data.firstAppearance ? 'First appeared' : 'Appeared'} at ${data.url}`;
    }

    // A fact check partners see shows the appearances in its ClaimReview: it changed, without a correction.
    const partnerEvents = await factCheckUpdatedEvents(tx, claim.id, claim.scheduledFor !== null);
    return { result: null, facts: FACTS_UNCHANGED, event: { type: 'APPEARANCE_ADDED', note, partnerEvents } };
  });
  return claim;
}
