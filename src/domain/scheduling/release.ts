/**
 * The release of scheduled publications (the job: src/jobs/publication-release.ts). Each release is
 * the usual first publication (claims/publication.ts) inside withLockedClaim: the claim row locked,
 * the schedule read again under the lock (it may have been released by another process, replaced
 * or cancelled meanwhile), the fact check written with the ID fixed at scheduling, as the editor who
 * scheduled it, `publishedAt` the moment it became visible, and the schedule deleted, in one
 * transaction. Processes racing for one release serialize on the claim's lock; the later finds no
 * schedule due and does nothing.
 *
 * "Due" and `publishedAt` are the database's clock (clock_timestamp()), never a process's: with
 * several servers, one whose clock runs fast must not release a fact check before its time.
 */
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/connection.js';
import { articles, scheduledPublications } from '../../db/schema.js';
import { withLockedClaim } from '../claims/lock.js';
import { claimReviewContext } from '../claims/partner-events.js';
import { publishFirst, type ArticleFacts } from '../claims/publication.js';
import type { Viewer } from '../viewer.js';

const databaseNow = sql<Date>`clock_timestamp()`;

/** The claims whose scheduled publication is due by the database's clock, the longest due first. */
export async function dueScheduledPublications(db: Database, limit: number): Promise<{ claimId: string; scheduledBy: string }[]> {
  return db
    .select({ claimId: scheduledPublications.claimId, scheduledBy: scheduledPublications.scheduledBy })
    .from(scheduledPublications)
    .where(lte(scheduledPublications.publishAt, databaseNow))
    .orderBy(asc(scheduledPublications.publishAt), asc(scheduledPublications.claimId))
    .limit(limit);
}

export interface Release {
  factCheckId: string;
  publishAt: Date;
  publishedAt: Date;
}

/** Releases the claim's scheduled publication if it is (still) due; null when there is none to release. */
export async function releaseScheduledPublication(db: Database, due: { claimId: string; scheduledBy: string }): Promise<Release | null> {
  // The ClaimEvent names the editor of the schedule as read under the lock (publishFirst's actorId).
  const scheduler: Viewer = { id: due.scheduledBy, name: 'scheduled publication', role: 'EDITOR' };
  const read = (tx: Transaction, claimId: string) => claimReviewContext(tx, claimId);
  const { result } = await withLockedClaim(db, scheduler, due.claimId, { read }, async (tx, claim, context) => {
    const [row] = await tx
      .select({
        now: sql<string>`(extract(epoch from clock_timestamp()) * 1000)::bigint::text`,
        schedule: scheduledPublications,
        article: { language: articles.language, url: articles.url, title: articles.title, publisher: articles.publisher, publishedAt: articles.publishedAt },
      })
      .from(scheduledPublications)
      .innerJoin(articles, eq(articles.id, claim.articleId))
      .where(and(eq(scheduledPublications.claimId, claim.id), lte(scheduledPublications.publishAt, databaseNow)));
    if (!row) return { result: null, event: null };
    const now = new Date(Number(row.now));
    const { schedule, article } = row as { schedule: typeof row.schedule; article: ArticleFacts };
    await tx.delete(scheduledPublications).where(eq(scheduledPublications.claimId, claim.id));
    const { rating, textualRating, ratingLabelKey, ratingLabelChosen, ratingValue, bestRating, worstRating } = schedule;
    const outcome = publishFirst(
      tx,
      {
        claim,
        article,
        label: { rating, textualRating, ratingLabelKey, ratingLabelChosen, ratingValue, bestRating, worstRating },
        summary: schedule.summary,
        id: schedule.factCheckId,
        publishedBy: schedule.scheduledBy,
        at: now,
      },
      context,
    );
    return { ...outcome, result: { factCheckId: schedule.factCheckId, publishAt: schedule.publishAt, publishedAt: now } };
  });
  return result;
}
