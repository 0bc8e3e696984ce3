/**
 * The partner filter of fact checks: its input, validated once, and its conditions, written once for
 * fact_checks and for the subqueries search reads it through. Values may be placeholders, so that a
 * search statement is prepared once per shape of filter (src/domain/fact-checks/search.ts).
 */
import { and, eq, getTableColumns, gte, inArray, lt, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Queryable } from '../../db/connection.js';
import { articles, claimAppearances, claimants, claims, claimTopics, factChecks, type FactCheckRow } from '../../db/schema.js';
import { normalizeLookupUrl } from '../../model/lookup-url.js';
import { RATINGS } from '../../model/enums.js';
import { httpUrl, languageTag, LIMITS, optionalText, validDate } from '../validation.js';
import { publicFactCheckCondition } from '../visibility.js';
import { topicIdList } from '../topics/topics.js';

/** How many topics a filter may name. */
export const FILTER_TOPICS_MAX = 100;

export const filterInput = z
  .object({
    search: optionalText(LIMITS.short),
    rating: z.array(z.enum(RATINGS)).nullish(),
    articleUrl: httpUrl.nullish(),
    publishedAfter: validDate.nullish(),
    publishedBefore: validDate.nullish(),
    language: languageTag.nullish(),
    // Compared normalised: the filter holds the normalised form from here on.
    appearanceUrl: httpUrl.transform(normalizeLookupUrl).nullish(),
    /** A claimant's row ID (a merged claimant's leads to its target). */
    speakerId: z.string().uuid().nullish(),
    // Row ids (GraphQL decodes the global IDs); an empty list filters nothing, as an empty `rating` does.
    topicIds: topicIdList(FILTER_TOPICS_MAX).nullish(),
  })
  .nullish();
export type FactCheckFilter = z.input<typeof filterInput>;
/** A filter as validated: dates parsed. */
export type ParsedFactCheckFilter = NonNullable<z.output<typeof filterInput>>;

/** Every column but the search vector, which is only ever used inside SQL. */
const { searchVector: _searchVector, ...columnsButVector } = getTableColumns(factChecks);
export const resultColumns = columnsButVector;
export type FactCheckResult = Omit<FactCheckRow, 'searchVector'>;

/** The columns filters apply to, on fact_checks or on a subquery of it. */
export type FactCheckColumns = Record<'id' | 'retractedAt' | 'publishedAt' | 'rating' | 'articleId' | 'language' | 'searchVector', AnyPgColumn>;

/** A filter value, or a placeholder for it in a statement prepared once and run with many values. */
export type Bound<T> = T | Placeholder;
export interface FilterValues {
  rating?: Bound<string>[] | null;
  articleUrl?: Bound<string> | null;
  publishedAfter?: Bound<Date> | null;
  publishedBefore?: Bound<Date> | null;
  language?: Bound<string> | null;
  /** Normalised (src/model/lookup-url.ts). */
  appearanceUrl?: Bound<string> | null;
  speakerId?: Bound<string> | null;
  /** Topic row ids, or a placeholder for them as one Postgres array literal ('{…}'). */
  topicIds?: readonly string[] | Placeholder | null;
}

/** The fact checks partners see (src/domain/visibility.ts), narrowed to the filter's window. */
export function publishedWithin(f: FactCheckColumns, filter: FilterValues) {
  return and(
    publicFactCheckCondition(f),
    filter.publishedAfter ? gte(f.publishedAt, filter.publishedAfter) : undefined,
    filter.publishedBefore ? lt(f.publishedAt, filter.publishedBefore) : undefined,
  );
}

/**
 * RFC 4647 basic filtering, as BCP 47 intends a language range: 'pt' is pt, pt-BR and pt-PT;
 * 'pt-BR' is pt-BR only. Case-insensitive; the tag was validated (letters, digits, hyphens).
 */
export function inLanguage(column: AnyPgColumn, range: Bound<string>) {
  return or(sql`lower(${column}) = lower(${range})`, sql`lower(${column}) like lower(${range}) || '-%'`);
}

/**
 * The fact checks of claims made at a URL, given normalised: of its article (articles' md5 index,
 * then fact_checks_article_idx) or of claims it was recorded as an appearance of (claim_appearances'
 * md5 index, then the fact checks' unique claim index). A few rows, found from the indexes: the
 * page is then these rows, in its order, however many fact checks there are.
 */
/** Rows whose normalised URL (`column`) is `normalized`: through the md5 index, then compared exactly. */
export const hasNormalizedUrl = (column: AnyPgColumn, normalized: Bound<string>) =>
  and(sql`md5(${column}) = md5(${normalized}::text)`, sql`${column} = ${normalized}::text`);

function madeAt(db: Queryable, f: FactCheckColumns, normalized: Bound<string>) {
  const sameUrl = (column: AnyPgColumn) => hasNormalizedUrl(column, normalized);
  const ofArticle = db
    .select({ id: factChecks.id })
    .from(factChecks)
    .innerJoin(articles, eq(articles.id, factChecks.articleId))
    .where(sameUrl(articles.urlNormalized));
  const ofAppearance = db
    .select({ id: factChecks.id })
    .from(claimAppearances)
    .innerJoin(factChecks, eq(factChecks.claimId, claimAppearances.claimId))
    .where(sameUrl(claimAppearances.urlNormalized));
  return inArray(f.id, ofArticle.union(ofAppearance));
}

/** The fact checks of a claimant's claims; its ID may be a merged claimant's (claims_speaker_idx). */
function ofSpeaker(db: Queryable, f: FactCheckColumns, speakerId: Bound<string>) {
  const live = sql`(select coalesce(${claimants.mergedInto}, ${claimants.id}) from ${claimants} where ${claimants.id} = ${speakerId}::uuid)`;
  return inArray(
    f.id,
    db.select({ id: factChecks.id }).from(claims).innerJoin(factChecks, eq(factChecks.claimId, claims.id)).where(eq(claims.speakerId, live)),
  );
}

/**
 * The fact checks of claims filed under any of the topics: claim_topics' topic index, then the fact
 * checks' unique claim index. The topics go as one array parameter, so that a prepared search has
 * one statement whatever their number.
 */
function underTopics(db: Queryable, f: FactCheckColumns, topicIds: readonly string[] | Placeholder) {
  const ids = Array.isArray(topicIds) ? `{${topicIds.join(',')}}` : topicIds;
  const filed = db
    .select({ id: factChecks.id })
    .from(claimTopics)
    .innerJoin(factChecks, eq(factChecks.claimId, claimTopics.claimId))
    .where(sql`${claimTopics.topicId} = any(${ids}::uuid[])`);
  return inArray(f.id, filed);
}

/** Every condition of the filter, on fact_checks or on a subquery of it. */
export function conditions(db: Queryable, filter: FilterValues, matches?: (f: FactCheckColumns) => SQL) {
  return (f: FactCheckColumns) =>
    and(
      publishedWithin(f, filter),
      filter.rating?.length ? inArray(f.rating, filter.rating) : undefined,
      filter.articleUrl ? eq(f.articleId, db.select({ id: articles.id }).from(articles).where(eq(articles.url, filter.articleUrl))) : undefined,
      filter.language ? inLanguage(f.language, filter.language) : undefined,
      filter.appearanceUrl ? madeAt(db, f, filter.appearanceUrl) : undefined,
      filter.speakerId ? ofSpeaker(db, f, filter.speakerId) : undefined,
      filter.topicIds && !(Array.isArray(filter.topicIds) && filter.topicIds.length === 0) ? underTopics(db, f, filter.topicIds) : undefined,
      matches?.(f),
    );
}
