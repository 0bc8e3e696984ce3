/**
 * Other publishers' fact checks as the reads load them (src/domain/external-fact-checks/): by ID,
 * batched, and the fact checks of both kinds whose claims read like each of a page's claims.
 */
import DataLoader from 'dataloader';
import { getTableColumns, inArray, sql } from 'drizzle-orm';
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

/**
 * For each claim, the `limit` fact checks most like its statement, of this desk (those partners may
 * see, never the claim's own) and of other publishers together: pg_trgm `similarity` (0..1) of their
 * claim to the statement, among those at or above pg_trgm.similarity_threshold (the `%` operator,
 * 0.3 unless configured), each side found through its trigram GIN index and cut at `limit` before
 * the two are merged; ties by kind (ours first), then ID. One statement for all the claims asked.
 */
export function relatedFactChecksLoader(db: Queryable, limit: number) {
  return new DataLoader<string, RelatedMatch[]>(async (claimIds) => {
    const visible = publicFactCheckCondition(alias(factChecks, 'f'));
    const ours = sql`(select 'FactCheck' as kind, f.id, similarity(f.claim_reviewed, c.statement)::float8 as similarity
        from ${factChecks} f
        where ${visible} and f.claim_id <> c.id and f.claim_reviewed % c.statement
        order by 3 desc, f.id limit ${limit})`;
    const theirs = sql`(select 'ExternalFactCheck' as kind, e.id, similarity(e.claim_reviewed, c.statement)::float8 as similarity
        from ${externalFactChecks} e
        where e.claim_reviewed % c.statement
        order by 3 desc, e.id limit ${limit})`;
    const rows = await db
      .select({
        claimId: sql<string>`c.id`,
        kind: sql<RelatedKind>`r.kind`,
        id: sql<string>`r.id`,
        similarity: sql<number>`r.similarity`.mapWith(Number),
      })
      .from(
        sql`${claims} c cross join lateral (
          select * from (${ours} union all ${theirs}) u order by u.similarity desc, u.kind desc, u.id limit ${limit}
        ) r`,
      )
      .where(inArray(sql`c.id`, claimIds as string[]))
      .orderBy(sql`c.id`, sql`r.similarity desc`, sql`r.kind desc`, sql`r.id`);
    return claimIds.map((id) => rows.filter((r) => r.claimId === id).map(({ kind, id, similarity }) => ({ kind, id, similarity })));
  });
}
