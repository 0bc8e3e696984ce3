/** Editor-side actions: editing, publishing (and correcting), dismissing and reopening a claim. */
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Transaction } from '../../db/connection.js';
import {
  articles,
  assignments,
  claims,
  corrections,
  factChecks,
  retractions,
  scheduledPublications,
  type ClaimRow,
  type FactCheckRow,
} from '../../db/schema.js';
import { badInput } from '../coded-errors.js';
import type { OutboxEvent } from '../webhooks/payloads.js';
import { LIMITS, optionalText, parseInput, requiredText, requiredVerdicts, validDate } from '../validation.js';
import { requireRole, type Viewer } from '../viewer.js';
import { allowedRoles, assertActionAllowed } from '../workflow.js';
import { isDuplicateClaimViolation, refuseDuplicateClaim, type ClaimKey } from './duplicates.js';
import { FACTS_UNCHANGED, withLockedClaim } from './lock.js';
import { send } from '../../db/pipeline.js';
import { claimReviewContext, factCheckEvent, factCheckUpdatedEvents } from './partner-events.js';
import { publishFirst, type ArticleFacts } from './publication.js';
import { publicationTime } from '../scheduling/publish-at.js';
import { dropSchedule, scheduleFactCheck } from '../scheduling/schedule.js';
import { lockSpeaker } from '../claimants/speakers.js';
import { PRIORITIES, RATINGS } from '../../model/enums.js';
import { chooseLabel, publishedRating } from '../rating-scale/scale.js';
import { ratingScaleForPublishing } from '../rating-scale/store.js';

const withdrawActiveAssignments = (tx: Transaction, claimId: string) =>
  tx
    .update(assignments)
    .set({ state: 'WITHDRAWN', updatedAt: new Date() })
    .where(and(eq(assignments.claimId, claimId), eq(assignments.state, 'ACTIVE')));

const updateInput = z.object({
  claimId: z.string(),
  expectedVersion: z.number().int().nullish(),
  statement: requiredText(LIMITS.statement).nullish(),
  claimant: optionalText(LIMITS.short),
  priority: z.enum(PRIORITIES).nullish(),
  requiredVerdicts: requiredVerdicts.nullish(),
  dueAt: validDate.nullish(),
  /** A claimant's row ID; null removes the speaker. */
  speakerId: z.string().nullish(),
});

/**
 * Omitted (undefined) fields stay; `claimant: null`, `dueAt: null` and `speakerId: null` clear. The
 * speaker alone may also change on a PUBLISHED claim (workflow.ts, `changeSpeaker`).
 * A new speaker on a claim whose fact check partners see changes its ClaimReview: FACT_CHECK_UPDATED. Nothing changed: no event.
 * A new statement that makes the claim an exact duplicate of another is CONFLICT, as in createClaim.
 */
export async function updateClaim(db: Database, viewer: Viewer | null, input: z.input<typeof updateInput>): Promise<ClaimRow> {
  const actor = requireRole(viewer, allowedRoles.updateClaim);
  const data = parseInput(updateInput, input);
  let restated: ClaimKey | undefined;
  let speakerId: string | null | undefined;
  const lockFirst = async (tx: Transaction) => {
    speakerId = data.speakerId ? (await lockSpeaker(tx, data.speakerId)).id : data.speakerId;
  };
  const changesOnly = (fields: string[]) =>
    Object.entries(data).every(([key, value]) => value === undefined || ['claimId', 'expectedVersion', ...fields].includes(key));
  const { claim } = await withLockedClaim(db, actor, data.claimId, { ...data, lockFirst }, async (tx, claim) => {
    // While a publication is scheduled its ClaimReview is not written yet: the claimant as written may change with the speaker.
    const speakerOnly = changesOnly(claim.scheduledFor ? ['speakerId', 'claimant'] : ['speakerId']);
    assertActionAllowed(speakerOnly ? 'changeSpeaker' : 'updateClaim', claim.status, claim.scheduledFor);
    const changes: Partial<ClaimRow> = {};
    if (data.statement != null && data.statement !== claim.statement) {
      restated = { ...claim, statement: data.statement };
      await refuseDuplicateClaim(tx, restated, claim.id);
      changes.statement = data.statement;
    }
    if (data.claimant !== undefined && data.claimant !== claim.claimant) changes.claimant = data.claimant;
    if (data.priority != null && data.priority !== claim.priority) changes.priority = data.priority;
    if (data.requiredVerdicts != null && data.requiredVerdicts !== claim.requiredVerdicts) changes.requiredVerdicts = data.requiredVerdicts;
    if (data.dueAt !== undefined && data.dueAt?.getTime() !== claim.dueAt?.getTime()) changes.dueAt = data.dueAt;
    if (speakerId !== undefined && speakerId !== claim.speakerId) changes.speakerId = speakerId;
    const changed = Object.keys(changes);
    if (changed.length === 0) return { result: null, event: null };
    await tx.update(claims).set(changes).where(eq(claims.id, claim.id));
    const partnerEvents =
      'speakerId' in changes || (claim.scheduledFor && 'claimant' in changes) ? await factCheckUpdatedEvents(tx, claim.id, claim.scheduledFor !== null) : [];
    return {
      result: null,
      event: { type: 'UPDATED', note: `Changed ${changed.join(', ')}`, partnerEvents },
      facts: (f) => ({ ...f, requiredVerdicts: changes.requiredVerdicts ?? f.requiredVerdicts }),
    };
  }).catch(async (error: unknown) => {
    // The index caught an identical claim committed meanwhile; name it, now that the transaction is over.
    if (restated && isDuplicateClaimViolation(error)) await refuseDuplicateClaim(db, restated, data.claimId);
    throw error;
  });
  return claim;
}

const publishInput = z.object({
  claimId: z.string(),
  expectedVersion: z.number().int().nullish(),
  rating: z.enum(RATINGS).nullish(),
  ratingLabel: z.string().max(100, 'must be at most 100 characters').nullish(),
  summary: requiredText(LIMITS.summary),
  correctionNote: optionalText(LIMITS.note),
  publishAt: validDate.nullish(),
});

/**
 * What publishing reads under the claim's lock, sent behind it in the same round trip: the claim's
 * article with any fact check and schedule of the claim, the rating scale (held FOR SHARE until the
 * commit), and what a ClaimReview shows beside the fact check.
 */
const publishingReads = (tx: Transaction, claimId: string) =>
  Promise.all([
    send(
      tx
        .select({
          article: { language: articles.language, url: articles.url, title: articles.title, publisher: articles.publisher, publishedAt: articles.publishedAt },
          existing: factChecks,
          scheduledId: scheduledPublications.factCheckId,
        })
        .from(claims)
        .innerJoin(articles, eq(articles.id, claims.articleId))
        .leftJoin(factChecks, eq(factChecks.claimId, claims.id))
        .leftJoin(scheduledPublications, eq(scheduledPublications.claimId, claims.id))
        .where(eq(claims.id, claimId)),
    ).then(([row]) => row as { article: ArticleFacts; existing: FactCheckRow | null; scheduledId: string | null }),
    ratingScaleForPublishing(tx),
    claimReviewContext(tx, claimId),
  ]);

/**
 * Publishes the claim's fact check; when one was published before, it is a correction and keeps the
 * old rating and textual rating. The label (`ratingLabel`, or the scale's first label for `rating`)
 * is stored as it reads now in the fact check's language, so later changes to the scale leave it be.
 * With `publishAt` ahead, a first publication is scheduled instead (src/domain/scheduling/): the
 * answer's fact check is then the one that will be published, with its ID fixed now; publishing
 * while one is scheduled replaces the schedule, or (now) publishes it with the ID it was given.
 */
export async function publishFactCheck(
  db: Database,
  viewer: Viewer | null,
  input: z.input<typeof publishInput>,
): Promise<{ claim: ClaimRow; factCheck: FactCheckRow }> {
  const actor = requireRole(viewer, allowedRoles.publishFactCheck);
  const data = parseInput(publishInput, input);
  const { result, claim } = await withLockedClaim(db, actor, data.claimId, { ...data, read: publishingReads }, async (tx, claim, [found, scale, context]) => {
    assertActionAllowed('publishFactCheck', claim.status, claim.scheduledFor);
    const { article, existing, scheduledId } = found;
    const now = new Date();
    const publishAt = publicationTime(data.publishAt, now, existing !== null);
    const label = publishedRating(scale, chooseLabel(scale, data), article.language, data.ratingLabel != null);
    if (!existing) {
      const publication = { claim, article, label, summary: data.summary, id: scheduledId ?? undefined };
      if (publishAt) return scheduleFactCheck(tx, { ...publication, publishAt, scheduledBy: actor.id }, context);
      if (scheduledId) await dropSchedule(tx, claim.id);
      return publishFirst(tx, { ...publication, publishedBy: actor.id, at: now }, context);
    }
    const published = {
      claimReviewed: claim.statement,
      quote: claim.quote,
      claimant: claim.claimant,
      language: article.language,
      ...label,
      summary: data.summary,
    };
    const claimChanges = { publishedRound: claim.round };
    if (!data.correctionNote) throw badInput('correctionNote', 'correctionNote is required: a fact check was published for this claim before');
    await tx.insert(corrections).values({
      factCheckId: existing.id,
      note: data.correctionNote,
      previousRating: existing.rating,
      previousSummary: existing.summary,
      correctedBy: actor.id,
      at: now,
      previousTextualRating: existing.textualRating,
      previousRatingLabelKey: existing.ratingLabelKey,
      previousRatingValue: existing.ratingValue,
      previousBestRating: existing.bestRating,
      previousWorstRating: existing.worstRating,
      rating: label.rating,
      textualRating: label.textualRating,
      ratingChanged: label.rating !== existing.rating || label.ratingLabelKey !== existing.ratingLabelKey || label.textualRating !== existing.textualRating,
    });
    const [corrected] = await tx
      .update(factChecks)
      .set({ ...published, updatedAt: now, retractedAt: null })
      .where(eq(factChecks.id, existing.id))
      .returning();
    return {
      result: corrected!,
      claimChanges,
      facts: FACTS_UNCHANGED,
      event: {
        type: 'CORRECTED',
        note: data.correctionNote,
        // The context was read before this correction's row: it is the last of ClaimReview's `correction` list.
        partnerEvents: [
          factCheckEvent('FACT_CHECK_CORRECTED', corrected!, article, {
            ...context,
            corrections: [...context.corrections, { note: data.correctionNote, at: now.toISOString() }],
          }),
        ],
      },
    };
  });
  return { claim, factCheck: result };
}

export const reasonInput = z.object({
  claimId: z.string(),
  expectedVersion: z.number().int().nullish(),
  reason: requiredText(LIMITS.reason),
});

/**
 * Not checked after all, or (from PUBLISHED) retracted in one step: active assignments are withdrawn
 * and the claim's fact check, published in this round or an earlier one, is retracted from partners.
 */
const dismissInput = reasonInput.extend({ publicNote: optionalText(LIMITS.note) });

/** What the public corrections log says of a retraction when the editor gives no public note. */
export const DEFAULT_RETRACTION_NOTE = 'Retracted';

export async function dismissClaim(db: Database, viewer: Viewer | null, input: z.input<typeof dismissInput>): Promise<ClaimRow> {
  const actor = requireRole(viewer, allowedRoles.dismissClaim);
  const data = parseInput(dismissInput, input);
  const { claim } = await withLockedClaim(db, actor, data.claimId, data, async (tx, claim) => {
    assertActionAllowed('dismissClaim', claim.status, claim.scheduledFor);
    await withdrawActiveAssignments(tx, claim.id);
    const now = new Date();
    const retracted = await tx
      .update(factChecks)
      .set({ retractedAt: now })
      .where(and(eq(factChecks.claimId, claim.id), isNull(factChecks.retractedAt)))
      .returning({ id: factChecks.id, rating: factChecks.rating, textualRating: factChecks.textualRating });
    // The public corrections log shows the public note, never the internal reason.
    if (retracted.length) {
      await tx.insert(retractions).values(
        retracted.map((f) => ({
          factCheckId: f.id,
          publicNote: data.publicNote ?? DEFAULT_RETRACTION_NOTE,
          previousRating: f.rating,
          previousTextualRating: f.textualRating,
          retractedBy: actor.id,
          at: now,
        })),
      );
    }
    const partnerEvents: OutboxEvent[] = retracted.map((f) => ({ type: 'FACT_CHECK_RETRACTED', data: { factCheck: { id: f.id } } }));
    // A scheduled publication goes with the claim; embargoed endpoints hear it will not come.
    if (claim.scheduledFor) partnerEvents.push(...(await dropSchedule(tx, claim.id)));
    return {
      result: null,
      claimChanges: { dismissed: true },
      event: { type: 'DISMISSED', note: data.reason, partnerEvents },
      facts: (f) => ({ ...f, activeAssignments: 0 }),
    };
  });
  return claim;
}

/** A new review round; a published fact check stays visible to partners until it is republished. */
export async function reopenClaim(db: Database, viewer: Viewer | null, input: z.input<typeof reasonInput>): Promise<ClaimRow> {
  const actor = requireRole(viewer, allowedRoles.reopenClaim);
  const data = parseInput(reasonInput, input);
  const { claim } = await withLockedClaim(db, actor, data.claimId, data, async (tx, claim) => {
    assertActionAllowed('reopenClaim', claim.status, claim.scheduledFor);
    await withdrawActiveAssignments(tx, claim.id);
    await tx
      .update(claims)
      .set({ dismissed: false, round: claim.round + 1 })
      .where(eq(claims.id, claim.id));
    // A new round: no assignment left ACTIVE, no verdict of it yet.
    return {
      result: null,
      event: { type: 'REOPENED', note: data.reason },
      facts: (f) => ({ ...f, dismissed: false, round: claim.round + 1, activeAssignments: 0, ratings: [] }),
    };
  });
  return claim;
}
