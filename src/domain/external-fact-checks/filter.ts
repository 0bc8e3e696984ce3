/**
 * The filter of other publishers' fact checks: its input, validated once, and its conditions, written
 * once for external_fact_checks and for the subqueries search reads it through. Values may be
 * placeholders, so that a search statement is prepared once per shape of filter (search.ts).
 */
import { and, eq, gte, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import type { Queryable } from '../../db/connection.js';
import { externalFactCheckAppearances } from '../../db/schema.js';
import { RATINGS } from '../../model/enums.js';
import { normalizeLookupUrl } from '../../model/lookup-url.js';
import { inLanguage, type Bound } from '../fact-checks/filter.js';
import { httpUrl, languageTag, LIMITS, optionalText, requiredText, validDate } from '../validation.js';

export const externalFilterInput = z
  .object({
    search: optionalText(LIMITS.short),
    // Compared normalised, as FactCheckFilter.appearanceUrl: the filter holds the normalised form from here on.
    appearanceUrl: httpUrl.transform(normalizeLookupUrl).nullish(),
    rating: z.array(z.enum(RATINGS)).nullish(),
    publisherName: requiredText(LIMITS.name).nullish(),
    language: languageTag.nullish(),
    /** Not in GraphQL: Google's reviewPublisherSiteFilter, a host ("example.org", lower case, no www.). */
    publisherSite: z.string().nullish(),
    /** Not in GraphQL: Google's maxAgeDays, against when the publisher published (or, without a date, when it was imported). */
    publishedAfter: validDate.nullish(),
  })
  .nullish();
export type ExternalFactCheckFilter = z.input<typeof externalFilterInput>;
export type ParsedExternalFilter = NonNullable<z.output<typeof externalFilterInput>>;

/** The columns filters apply to, on external_fact_checks or on a subquery of it. */
export type ExternalColumns = Record<
  'id' | 'rating' | 'publisherName' | 'publisherSite' | 'language' | 'publishedAt' | 'importedAt' | 'searchVector',
  AnyPgColumn
>;

export interface ExternalFilterValues {
  rating?: Bound<string>[] | null;
  /** Normalised (src/model/lookup-url.ts). */
  appearanceUrl?: Bound<string> | null;
  publisherName?: Bound<string> | null;
  language?: Bound<string> | null;
  publisherSite?: Bound<string> | null;
  /** An ISO timestamp. */
  publishedAfter?: Bound<string> | null;
}

/** The host of a publisher's site, lower case, without "www.": what Google's site filter names. */
const hostOf = (site: AnyPgColumn) => sql`substring(lower(${site}) from '^[a-z][a-z0-9+.-]*://(?:www\\.)?([^/:?#@]+)')`;

/** The site itself or a subdomain of it ("politifact.com" holds "www.politifact.com" and "es.politifact.com"). */
function onSite(site: AnyPgColumn, wanted: Bound<string>) {
  const host = hostOf(site);
  return or(sql`${host} = ${wanted}::text`, sql`right(${host}, length(${wanted}::text) + 1) = '.' || ${wanted}::text`);
}

/** Reviews of claims that appeared at a URL, given normalised: the appearances' primary key, then the reviews' IDs. */
function appearedAt(db: Queryable, f: ExternalColumns, normalized: Bound<string>) {
  const a = externalFactCheckAppearances;
  return inArray(
    f.id,
    db
      .select({ id: a.externalFactCheckId })
      .from(a)
      .where(eq(a.urlNormalized, sql`${normalized}::text`)),
  );
}

/** Every condition of the filter, on external_fact_checks or on a subquery of it. */
export function externalConditions(db: Queryable, filter: ExternalFilterValues, matches?: (f: ExternalColumns) => SQL) {
  return (f: ExternalColumns) =>
    and(
      filter.rating?.length ? inArray(f.rating, filter.rating) : undefined,
      filter.publisherName ? eq(f.publisherName, filter.publisherName) : undefined,
      filter.language ? inLanguage(f.language, filter.language) : undefined,
      filter.appearanceUrl ? appearedAt(db, f, filter.appearanceUrl) : undefined,
      filter.publisherSite ? onSite(f.publisherSite, filter.publisherSite) : undefined,
      filter.publishedAfter ? gte(sql`coalesce(${f.publishedAt}, ${f.importedAt})`, sql`${filter.publishedAfter}::timestamptz`) : undefined,
      matches?.(f),
    );
}
