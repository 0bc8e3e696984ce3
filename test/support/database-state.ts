/**
 * The whole database as the tests see it, read with drizzle's query builder (not db.execute, whose
 * row shape differs between postgres.js and PGlite), to prove that a refused request changed
 * nothing. The invariants of docs/design.md are checked by invariants.ts.
 */
import { asc, getTableColumns } from 'drizzle-orm';
import type { Database } from '../../src/db/connection.js';
import {
  apiTokens,
  articles,
  assignments,
  claimEvents,
  claims,
  corrections,
  evidence,
  factChecks,
  scheduledPublications,
  users,
  verdictEvidence,
  verdicts,
  factCheckChanges,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
  ratingScales,
  ratingLabels,
  claimants,
  claimantNames,
  topics,
  claimTopics,
  correctionRequests,
  organization,
  retractions,
  externalFactChecks,
  externalFactCheckAppearances,
  externalRatingRules,
  externalSources,
} from '../../src/db/schema.js';

const { lastUsedAt: _lastUsedAt, ...tokenColumns } = getTableColumns(apiTokens);

/** Every row of every table, in a stable order. Two equal snapshots: nothing was written in between. */
export async function snapshotDatabase(db: Database) {
  return {
    users: await db.select().from(users).orderBy(asc(users.id)),
    // Without lastUsedAt: the request being checked stamps its own token's row after answering.
    apiTokens: await db.select(tokenColumns).from(apiTokens).orderBy(asc(apiTokens.id)),
    articles: await db.select().from(articles).orderBy(asc(articles.id)),
    claims: await db.select().from(claims).orderBy(asc(claims.id)),
    assignments: await db.select().from(assignments).orderBy(asc(assignments.id)),
    evidence: await db.select().from(evidence).orderBy(asc(evidence.id)),
    verdicts: await db.select().from(verdicts).orderBy(asc(verdicts.id)),
    verdictEvidence: await db.select().from(verdictEvidence).orderBy(asc(verdictEvidence.verdictId), asc(verdictEvidence.evidenceId)),
    factChecks: await db.select().from(factChecks).orderBy(asc(factChecks.id)),
    corrections: await db.select().from(corrections).orderBy(asc(corrections.id)),
    claimEvents: await db.select().from(claimEvents).orderBy(asc(claimEvents.id)),
    factCheckChanges: await db.select().from(factCheckChanges).orderBy(asc(factCheckChanges.id)),
    webhookEndpoints: await db.select().from(webhookEndpoints).orderBy(asc(webhookEndpoints.id)),
    webhookEvents: await db.select().from(webhookEvents).orderBy(asc(webhookEvents.id)),
    webhookDeliveries: await db.select().from(webhookDeliveries).orderBy(asc(webhookDeliveries.id)),
    ratingScales: await db.select().from(ratingScales),
    ratingLabels: await db.select().from(ratingLabels).orderBy(asc(ratingLabels.key)),
    claimants: await db.select().from(claimants).orderBy(asc(claimants.id)),
    claimantNames: await db.select().from(claimantNames).orderBy(asc(claimantNames.claimantId), asc(claimantNames.nameKey)),
    topics: await db.select().from(topics).orderBy(asc(topics.id)),
    claimTopics: await db.select().from(claimTopics).orderBy(asc(claimTopics.claimId), asc(claimTopics.topicId)),
    correctionRequests: await db.select().from(correctionRequests).orderBy(asc(correctionRequests.id)),
    organization: await db.select().from(organization),
    retractions: await db.select().from(retractions).orderBy(asc(retractions.id)),
    scheduledPublications: await db.select().from(scheduledPublications).orderBy(asc(scheduledPublications.claimId)),
    externalFactChecks: await db.select().from(externalFactChecks).orderBy(asc(externalFactChecks.id)),
    externalFactCheckAppearances: await db
      .select()
      .from(externalFactCheckAppearances)
      .orderBy(asc(externalFactCheckAppearances.externalFactCheckId), asc(externalFactCheckAppearances.urlNormalized)),
    externalRatingRules: await db.select().from(externalRatingRules).orderBy(asc(externalRatingRules.position)),
    externalSources: await db.select().from(externalSources).orderBy(asc(externalSources.id)),
  };
}
