import DataLoader from 'dataloader';
import { and, asc, count, desc, eq, getTableColumns, inArray, ne, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { alias, type PgTable } from 'drizzle-orm/pg-core';
import { publicFactCheckCondition } from '../model/public-fact-checks.js';
import type { Queryable } from './connection.js';
import { externalFactCheckLoader, relatedFactChecksLoader } from './external-fact-checks.js';
import { externalSourceLoaders } from './external-source-loaders.js';
import { selectRatingScale, type RatingScaleRows } from './rating-scale.js';
import {
  apiTokens,
  articles,
  assignments,
  claimAppearances,
  claimants,
  claimEvents,
  claims,
  claimTopics,
  correctionRequests,
  corrections,
  evidence,
  factChecks,
  scheduledPublications,
  type ScheduledPublicationRow,
  organization,
  topics,
  users,
  verdictEvidence,
  verdicts,
  type ApiTokenRow,
  type ArticleRow,
  type AssignmentRow,
  type ClaimAppearanceRow,
  type ClaimantRow,
  type ClaimEventRow,
  type ClaimRow,
  type CorrectionRequestRow,
  type CorrectionRow,
  type EvidenceRow,
  type FactCheckRow,
  type OrganizationRow,
  type TopicRow,
  type UserRow,
  type VerdictRow,
} from './schema.js';

type Row = Record<string, unknown>;

export type { ArticleRecord } from './records.js';
export { RELATION_ORDER } from './relation-order.js';
import { RELATION_ORDER } from './relation-order.js';

/** One row per key, in key order; null where none. */
function byKey<T extends Row>(db: Queryable, table: PgTable, column: AnyColumn, field: keyof T & string) {
  return new DataLoader<string, T | null>(async (keys) => {
    const rows = (await db
      .select()
      .from(table as never)
      .where(inArray(column, keys as string[]))) as T[];
    const found = new Map(rows.map((r) => [r[field] as string, r]));
    return keys.map((k) => found.get(k) ?? null);
  });
}

/** All rows per key, in `orderBy` order, in key order. */
function manyByKey<T extends Row>(db: Queryable, table: PgTable, column: AnyColumn, field: keyof T & string, orderBy: SQL[] | AnyColumn[]) {
  return new DataLoader<string, T[]>(async (keys) => {
    const rows = (await db
      .select()
      .from(table as never)
      .where(inArray(column, keys as string[]))
      .orderBy(...(orderBy as SQL[]))) as T[];
    const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const row of rows) groups.get(row[field] as string)?.push(row);
    return keys.map((k) => groups.get(k)!);
  });
}

/**
 * The order of a claim's appearances (Claim.appearances, FactCheck.appearances, ClaimReview): the
 * first appearance first; then by when they appeared, earliest first, those with no date after the
 * dated ones; then in the order they were recorded.
 */
export const APPEARANCE_ORDER = [
  sql`${claimAppearances.firstAppearance} desc`,
  sql`${claimAppearances.appearedAt} asc nulls last`,
  asc(claimAppearances.createdAt),
  asc(claimAppearances.id),
];

/** Per request: every relation the schema exposes is batched, so nested pages cost a constant number of queries. */
/**
 * The first `first + 1` claims of each article, newest first (the order of Article.claims), in one
 * statement for all the articles of a page: the extra row tells whether another page follows.
 */
export function firstClaimsLoader(db: Queryable, first: number) {
  return new DataLoader<string, ClaimRow[]>(async (articleIds) => {
    const ranked = db
      .select({
        ...getTableColumns(claims),
        rank: sql<number>`row_number() over (partition by ${claims.articleId} order by ${claims.createdAt} desc, ${claims.id} desc)`.as('rank'),
      })
      .from(claims)
      .where(inArray(claims.articleId, articleIds as string[]))
      .as('ranked');
    const rows = await db
      .select()
      .from(ranked)
      .where(sql`${ranked.rank} <= ${first + 1}`)
      .orderBy(sql`${ranked.rank}`);
    return articleIds.map((id) => rows.filter((r) => r.articleId === id).map(({ rank: _rank, ...claim }) => claim as ClaimRow));
  });
}

export function createLoaders(db: Queryable) {
  const similarByLimit = new Map<number, ReturnType<typeof similarFactChecksLoader>>();
  const relatedByLimit = new Map<number, ReturnType<typeof relatedFactChecksLoader>>();
  const firstClaimsBySize = new Map<number, ReturnType<typeof firstClaimsLoader>>();
  let ratingScale: Promise<RatingScaleRows> | undefined;
  let organizationRow: Promise<OrganizationRow | null> | undefined;
  return {
    /** The rating scale in force, read once per request (Query.ratingScale, every FactCheck.ratingLabel of a page). */
    ratingScale: () => (ratingScale ??= selectRatingScale(db)),
    /** The organisation's profile row (null until set), read once per request: never cached beyond it, so a change shows at once everywhere. */
    organization: () =>
      (organizationRow ??= db
        .select()
        .from(organization)
        .then((rows) => rows[0] ?? null)),
    /** Per page size, so that every article of a page asking the same `first` shares one batch. */
    firstClaimsOfArticle(first: number) {
      let loader = firstClaimsBySize.get(first);
      if (!loader) firstClaimsBySize.set(first, (loader = firstClaimsLoader(db, first)));
      return loader;
    },
    claimCountByArticle: new DataLoader<string, number>(async (articleIds) => {
      const rows = await db
        .select({ articleId: claims.articleId, n: count() })
        .from(claims)
        .where(inArray(claims.articleId, articleIds as string[]))
        .groupBy(claims.articleId);
      return articleIds.map((id) => Number(rows.find((r) => r.articleId === id)?.n ?? 0));
    }),
    /** One loader per `limit` argument, so that every claim on a page asking the same limit shares a batch. */
    similarFactChecks(limit: number) {
      let loader = similarByLimit.get(limit);
      if (!loader) similarByLimit.set(limit, (loader = similarFactChecksLoader(db, limit)));
      return loader;
    },
    /** Claim.relatedFactChecks: per `limit`, as similarFactChecks (src/db/external-fact-checks.ts). */
    relatedFactChecks(limit: number) {
      let loader = relatedByLimit.get(limit);
      if (!loader) relatedByLimit.set(limit, (loader = relatedFactChecksLoader(db, limit)));
      return loader;
    },
    externalFactCheck: externalFactCheckLoader(db),
    user: byKey<UserRow>(db, users, users.id, 'id'),
    /** User.apiTokens, newest first (the hash is never exposed: ApiToken has no field for it). */
    apiTokensByUser: manyByKey<ApiTokenRow>(db, apiTokens, apiTokens.userId, 'userId', [desc(apiTokens.createdAt), desc(apiTokens.id)]),
    article: byKey<ArticleRow>(db, articles, articles.id, 'id'),
    articleBody: new DataLoader<string, string>(async (ids) => {
      const rows = await db
        .select({ id: articles.id, body: articles.body })
        .from(articles)
        .where(inArray(articles.id, ids as string[]));
      const bodies = new Map(rows.map((r) => [r.id, r.body]));
      return ids.map((id) => bodies.get(id) ?? new Error(`article ${id} not found`));
    }),
    claim: byKey<ClaimRow>(db, claims, claims.id, 'id'),
    /** A claimant by its ID as stored (a merged one too: `liveClaimant` follows it). */
    claimant: byKey<ClaimantRow>(db, claimants, claimants.id, 'id'),
    /** The claimant an ID leads to: itself, or the one it was merged into (chains are one step: mergeClaimants). */
    liveClaimant: new DataLoader<string, ClaimantRow | null>(async (ids) => {
      const live = alias(claimants, 'live');
      const rows = await db
        .select({ asked: claimants.id, live: getTableColumns(live) })
        .from(claimants)
        .innerJoin(live, eq(live.id, sql`coalesce(${claimants.mergedInto}, ${claimants.id})`))
        .where(inArray(claimants.id, ids as string[]));
      const found = new Map(rows.map((r) => [r.asked, r.live]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    /** Published fact checks of each claimant's claims, by their current rating (Claimant.record), one statement per page. */
    ratingCountsByClaimant: new DataLoader<string, { rating: FactCheckRow['rating']; count: number }[]>(async (claimantIds) => {
      const rows = await db
        .select({ speakerId: claims.speakerId, rating: factChecks.rating, n: count() })
        .from(claims)
        .innerJoin(factChecks, eq(factChecks.claimId, claims.id))
        .where(and(inArray(claims.speakerId, claimantIds as string[]), publicFactCheckCondition(factChecks)))
        .groupBy(claims.speakerId, factChecks.rating);
      return claimantIds.map((id) => rows.filter((r) => r.speakerId === id).map((r) => ({ rating: r.rating, count: Number(r.n) })));
    }),
    topic: byKey<TopicRow>(db, topics, topics.id, 'id'),
    ...externalSourceLoaders(db),
    correctionRequest: byKey<CorrectionRequestRow>(db, correctionRequests, correctionRequests.id, 'id'),
    /** A claim's topics by name (Claim.topics, FactCheck.topics, ClaimReview \`about\`). */
    topicsByClaim: new DataLoader<string, TopicRow[]>(async (claimIds) => {
      const rows = await db
        .select({ claimId: claimTopics.claimId, topic: getTableColumns(topics) })
        .from(claimTopics)
        .innerJoin(topics, eq(topics.id, claimTopics.topicId))
        .where(inArray(claimTopics.claimId, claimIds as string[]))
        .orderBy(asc(topics.nameKey), asc(topics.id));
      return claimIds.map((id) => rows.filter((r) => r.claimId === id).map((r) => r.topic));
    }),
    assignment: byKey<AssignmentRow>(db, assignments, assignments.id, 'id'),
    evidence: byKey<EvidenceRow>(db, evidence, evidence.id, 'id'),
    verdict: byKey<VerdictRow>(db, verdicts, verdicts.id, 'id'),
    factCheck: byKey<FactCheckRow>(db, factChecks, factChecks.id, 'id'),
    factCheckByClaim: byKey<FactCheckRow>(db, factChecks, factChecks.claimId, 'claimId'),
    scheduledPublicationByClaim: byKey<ScheduledPublicationRow>(db, scheduledPublications, scheduledPublications.claimId, 'claimId'),
    claimsByArticle: manyByKey<ClaimRow>(db, claims, claims.articleId, 'articleId', [asc(claims.spanStart)]),
    assignmentsByClaim: manyByKey<AssignmentRow>(db, assignments, assignments.claimId, 'claimId', RELATION_ORDER.assignments.map(asc)),
    evidenceByClaim: manyByKey<EvidenceRow>(db, evidence, evidence.claimId, 'claimId', RELATION_ORDER.evidence.map(asc)),
    appearancesByClaim: manyByKey<ClaimAppearanceRow>(db, claimAppearances, claimAppearances.claimId, 'claimId', APPEARANCE_ORDER),
    eventsByClaim: manyByKey<ClaimEventRow>(db, claimEvents, claimEvents.claimId, 'claimId', [asc(claimEvents.version)]),
    correctionsByFactCheck: manyByKey<CorrectionRow>(db, corrections, corrections.factCheckId, 'factCheckId', [asc(corrections.at), asc(corrections.id)]),
    /** Key: the claim with its current round. */
    verdictsByRound: new DataLoader<{ claimId: string; round: number }, VerdictRow[], string>(
      async (keys) => {
        const rows = await db
          .select()
          .from(verdicts)
          .where(or(...keys.map((k) => and(eq(verdicts.claimId, k.claimId), eq(verdicts.round, k.round)))))
          .orderBy(...RELATION_ORDER.verdicts.map(asc));
        return keys.map((k) => rows.filter((r) => r.claimId === k.claimId && r.round === k.round));
      },
      { cacheKeyFn: (k) => `${k.claimId}:${k.round}` },
    ),
    citedEvidenceByVerdict: new DataLoader<string, EvidenceRow[]>(async (verdictIds) => {
      const rows = await db
        .select({ verdictId: verdictEvidence.verdictId, evidence })
        .from(verdictEvidence)
        .innerJoin(evidence, eq(evidence.id, verdictEvidence.evidenceId))
        .where(inArray(verdictEvidence.verdictId, verdictIds as string[]))
        .orderBy(asc(verdictEvidence.position));
      return verdictIds.map((id) => rows.filter((r) => r.verdictId === id).map((r) => r.evidence));
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/**
 * Published fact checks whose claim or quote reads like each given claim's (pg_trgm similarity,
 * 0..1, served by the trigram GIN indexes), most similar first, `limit` per claim, in one statement.
 * Yields fact-check ids: the rows come through the `factCheck` loader.
 */
export function similarFactChecksLoader(db: Queryable, limit: number) {
  return new DataLoader<string, { factCheckId: string; similarity: number }[]>(async (claimIds) => {
    const similarity = sql<number>`greatest(similarity(${factChecks.claimReviewed}, ${claims.statement}), similarity(${factChecks.quote}, ${claims.quote}))::float8`;
    const candidates = db
      .select({ factCheckId: factChecks.id, similarity: similarity.as('similarity') })
      .from(factChecks)
      .where(
        and(
          publicFactCheckCondition(factChecks),
          ne(factChecks.claimId, claims.id),
          sql`(${factChecks.claimReviewed} % ${claims.statement} OR ${factChecks.quote} % ${claims.quote})`,
        ),
      )
      .orderBy(desc(similarity), desc(factChecks.publishedAt))
      .limit(limit)
      .as('similar');
    const rows = await db
      .select({ claimId: claims.id, factCheckId: candidates.factCheckId, similarity: candidates.similarity })
      .from(claims)
      .innerJoinLateral(candidates, sql`true`)
      .where(inArray(claims.id, claimIds as string[]))
      .orderBy(desc(candidates.similarity));
    return claimIds.map((id) => rows.filter((r) => r.claimId === id).map((r) => ({ factCheckId: r.factCheckId, similarity: Number(r.similarity) })));
  });
}
