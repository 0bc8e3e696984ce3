/**
 * Other publishers' fact checks as the reads load them (src/domain/external-fact-checks/): by ID,
 * batched, and the fact checks of both kinds whose claims read like each of a page's claims.
 */
import DataLoader from 'dataloader';
import { getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { publicFactCheckCondition } from '../model/public-fact-checks.js';
import type { Queryable } from './connection.js';
import { claims, externalFactChecks, factChecks, type ExternalFactCheckRow } from './schema.js';

/** Every column but the search vector, which is only ever used inside SQL. */
const { searchVector: _searchVector, ...columnsButVector } = getTableColumns(externalFactChecks);
export const externalFactCheckColumns = columnsButVector;
export type ExternalFactCheckRecord = Omit<ExternalFactCheckRow, 'searchVector'>;

export function externalFactCheckLoader(db: Queryable) {
  return new DataLoader<string, ExternalFactCheckRecord | null>(async (ids) => {
    const rows = await db
      .select(externalFactCheckColumns)
      .from(externalFactChecks)
      .where(inArray(externalFactChecks.id, ids as string[]));
    const found = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

export type RelatedKind = 'FactCheck' | 'ExternalFactCheck';
export interface RelatedMatch {
  kind: RelatedKind;
  id: string;
  similarity: number;
}

/** Rows of each kind a claim's statement is compared with, at most, whatever the table's size. */
export const RELATED_CANDIDATE_ROWS = 2_000;
/** Fewer candidates than this by the claim's rarer words, and any two of its least common words find more. */
const RELATED_FALLBACK_BELOW = 100;

/** ANALYZE's most common lexemes of a table's search vectors, or their frequencies (null before any ANALYZE). */
const commonLexemes = (table: string, column: 'most_common_elems' | 'most_common_elem_freqs') =>
  sql.raw(`(select s.${column}${column === 'most_common_elems' ? '::text::text[]' : ''} from pg_stats s
      where s.schemaname = current_schema() and s.tablename = '${table}' and s.attname = 'search_vector')`);

/**
 * One kind's `limit` best matches of claim `c` by trigram similarity.
 *
 * With the table's statistics, among at most RELATED_CANDIDATE_ROWS candidates its full-text index
 * finds by the statement's words: the rows holding one of its uncommon words (`q.<side>_uncommon`),
 * then (the Append reads its branches in order and stops at the limit) those holding its three least
 * common words together (`q.<side>_all3`); only if these are fewer than RELATED_FALLBACK_BELOW (a
 * one-time filter: the scan does not run otherwise), those holding any two of the three
 * (`q.<side>_any2`), whose index entries are many. Rows of rarer words come first, so that common
 * words never crowd them out; each branch leaves out what an earlier one found. `accepts` applies
 * after the scans, which then have no other way than the index.
 *
 * Without statistics (a table just loaded, until autovacuum does; an import analyses
 * external_fact_checks when it has none, as PGlite never analyses by itself), every word would count
 * as uncommon and the cap would cut arbitrarily: the trigram index then finds them all, as it did
 * before, which is quick on the small tables that have no statistics.
 */
function bestOfKind(kind: RelatedKind, table: SQL, side: 'ours' | 'theirs', columns: SQL, accepts: (row: 't' | 'found') => SQL, limit: number) {
  const words = (which: 'uncommon' | 'all3' | 'any2') => sql.raw(`q.${side}_${which}`);
  const [uncommon, all3, any2] = [words('uncommon'), words('all3'), words('any2')];
  const analysed = sql.raw(`stats.${side}_lexemes is not null`);
  const scan = sql`t.id, t.claim_reviewed${columns} from ${table} t where ${analysed} and`;
  const not = (words: SQL) => sql`not coalesce(t.search_vector @@ ${words}, false)`;
  const label = sql.raw(`'${kind}'`);
  return sql`(select ${label} as kind, found.id, similarity(found.claim_reviewed, c.statement)::float8 as similarity
      from (
        with closest as (
          (select ${scan} t.search_vector @@ ${uncommon})
          union all
          (select ${scan} t.search_vector @@ ${all3} and ${not(uncommon)})
          limit ${RELATED_CANDIDATE_ROWS}
        )
        select * from closest
        union all
        (select ${scan} (select count(*) from closest) < ${RELATED_FALLBACK_BELOW}
          and t.search_vector @@ ${any2} and ${not(uncommon)} and ${not(all3)})
        limit ${RELATED_CANDIDATE_ROWS}
      ) found
      where ${accepts('found')} and found.claim_reviewed % c.statement
      order by 3 desc, found.id limit ${limit})
    union all
    (select ${label} as kind, t.id, similarity(t.claim_reviewed, c.statement)::float8 as similarity
      from ${table} t
      where not (${analysed}) and ${accepts('t')} and t.claim_reviewed % c.statement
      order by 3 desc, t.id limit ${limit})`;
}

/**
 * For each claim, the `limit` fact checks most like its statement, of this desk (those partners may
 * see, never the claim's own) and of other publishers together: pg_trgm `similarity` (0..1) of their
 * claim to the statement, among those at or above pg_trgm.similarity_threshold (the `%` operator,
 * 0.3 unless configured), each side cut at `limit` before the two are merged; ties by kind (ours
 * first), then ID. One statement for all the claims asked.
 *
 * The trigram GIN index would read every row sharing a common trigram with the statement (1 to 13 s
 * per claim at a million reviews), so once a table has statistics each side compares only the
 * candidates its full-text index finds by the statement's words (bestOfKind;
 * drizzle/0020_related_fact_checks.sql), at most RELATED_CANDIDATE_ROWS whatever the table's size
 * (15 to 250 ms per claim at a million). A fact
 * check worded like the claim shares its uncommon words, or its least common ones, so it is among
 * them; one that shares trigrams but not those words (other inflections, typos, the same
 * boilerplate about another subject) may be missed.
 */
export function relatedFactChecksLoader(db: Queryable, limit: number) {
  return new DataLoader<string, RelatedMatch[]>(async (claimIds) => {
    // Once per statement: the tables' statistics.
    const stats = sql`(select ${commonLexemes('fact_checks', 'most_common_elems')} as ours_lexemes,
        ${commonLexemes('fact_checks', 'most_common_elem_freqs')} as ours_frequencies,
        ${commonLexemes('external_fact_checks', 'most_common_elems')} as theirs_lexemes,
        ${commonLexemes('external_fact_checks', 'most_common_elem_freqs')} as theirs_frequencies) stats`;
    // Once per claim (OFFSET 0: not inlined into the rows' expressions, where it would run for each row).
    const words = (side: 'ours' | 'theirs') =>
      sql.raw(`related_uncommon_words(c.statement, stats.${side}_lexemes) as ${side}_uncommon,
        related_common_words(c.statement, stats.${side}_lexemes, stats.${side}_frequencies, 3) as ${side}_all3,
        related_common_words(c.statement, stats.${side}_lexemes, stats.${side}_frequencies, 2) as ${side}_any2`);
    const queries = sql`lateral (select ${words('ours')}, ${words('theirs')} offset 0) q`;
    const visibleAndNotOwn = (row: 't' | 'found') => sql`${publicFactCheckCondition(alias(factChecks, row))} and ${sql.raw(row)}.claim_id <> c.id`;
    const ours = bestOfKind('FactCheck', sql`${factChecks}`, 'ours', sql`, t.retracted_at, t.claim_id`, visibleAndNotOwn, limit);
    const theirs = bestOfKind('ExternalFactCheck', sql`${externalFactChecks}`, 'theirs', sql``, () => sql`true`, limit);
    const rows = await db
      .select({
        claimId: sql<string>`c.id`,
        kind: sql<RelatedKind>`r.kind`,
        id: sql<string>`r.id`,
        similarity: sql<number>`r.similarity`.mapWith(Number),
      })
      .from(
        sql`${claims} c cross join ${stats} cross join ${queries} cross join lateral (
          select * from (${ours} union all ${theirs}) u order by u.similarity desc, u.kind desc, u.id limit ${limit}
        ) r`,
      )
      .where(inArray(sql`c.id`, claimIds as string[]))
      .orderBy(sql`c.id`, sql`r.similarity desc`, sql`r.kind desc`, sql`r.id`);
    return claimIds.map((id) => rows.filter((r) => r.claimId === id).map(({ kind, id, similarity }) => ({ kind, id, similarity })));
  });
}
