/**
 * claimants(search:): names and aliases that match, case and accents ignored (searchKey), best first.
 *
 * Each name a claimant is known by (claimant_names) scores by how it matches the query's key:
 *   4  the whole name                       "tony blinken"    → alias "Tony Blinken"
 *   3  a prefix of the name                 "blinken"         → "Blinken Industries"
 *   2  a prefix of a word of the name       "blinken", "anto" → "Antony Blinken"
 *   0  only alike (pg_trgm word similarity) "blinkn"          → both Blinkens
 * plus word_similarity (0..1: how well the query matches part of the name) and a tenth of the
 * similarity of the whole name (so that, among equals, the name closest to the query wins). A
 * claimant scores its best name; a Wikidata ID ("Q22686") finds its claimant first. Ties: by name.
 * Queries shorter than 3 characters have no trigram; they match whole-name prefixes only (btree).
 */
import { asc, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import { claimants, type ClaimantRow } from '../../db/schema.js';
import { searchKey } from '../../model/search-key.js';
import { cursorString, cursorUuid, decodeCursor, invalidCursor, toPage, type Page } from '../pagination.js';
import { WIKIDATA_ID } from './inputs.js';

type Scored = ClaimantRow & { score: number };

export async function searchClaimants(db: Queryable, search: string, after: string | null | undefined, limit: number): Promise<Page<ClaimantRow>> {
  const key = searchKey(search);
  const wikidataId = search.trim().toUpperCase();
  const byWikidata = WIKIDATA_ID.test(wikidataId) ? wikidataId : null;
  let cursor: [number, string, string] | null = null;
  if (after) {
    const [score, sortKey, id] = decodeCursor(after, 3);
    if (typeof score !== 'number') throw invalidCursor();
    cursor = [score, cursorString(sortKey), cursorUuid(id)];
  }
  if (!key && !byWikidata)
    return toPage(
      [],
      limit,
      () => [],
      async () => 0,
    );
  const matches = matching(key, byWikidata);
  const m = db.$with('m').as(
    db
      .select({ claimantId: sql<string>`s.claimant_id`.as('claimant_id'), score: sql<number>`max(s.score)::float8`.mapWith(Number).as('score') })
      .from(matches)
      .groupBy(sql`s.claimant_id`),
  );
  const rows: Scored[] = await db
    .with(m)
    .select({ ...getTableColumns(claimants), score: m.score })
    .from(m)
    .innerJoin(claimants, eq(claimants.id, m.claimantId))
    .where(cursor ? sql`(-${m.score}, ${claimants.sortKey}, ${claimants.id}) > (${-cursor[0]}::float8, ${cursor[1]}::text, ${cursor[2]}::uuid)` : undefined)
    .orderBy(desc(m.score), asc(claimants.sortKey), asc(claimants.id))
    .limit(limit + 1);
  const total = async () => {
    const [row] = await db.select({ n: sql<number>`count(distinct s.claimant_id)`.mapWith(Number) }).from(matches);
    return row?.n ?? 0;
  };
  return toPage(rows, limit, (c) => [c.score, c.sortKey, c.id], total);
}

/** Every name that matches, with its score (`s(claimant_id, score)`), and the claimant with the Wikidata ID. */
function matching(key: string, wikidataId: string | null) {
  const prefix = `${key}%`;
  const wordPrefix = `% ${key}%`;
  const trigrams = key.length >= 3;
  const score = sql`(case when n.name_key = ${key} then 4 when n.name_key like ${prefix} then 3 when n.name_key like ${wordPrefix} then 2 else 0 end
      + word_similarity(${key}, n.name_key) + similarity(${key}, n.name_key) / 10
      + case when n.is_primary then 0.001 else 0 end)`;
  const found = trigrams ? sql`n.name_key like ${prefix} or n.name_key like ${wordPrefix} or ${key} <% n.name_key` : sql`n.name_key like ${prefix}`;
  const byName = key ? sql`select n.claimant_id, ${score} as score from claimant_names n where ${found}` : sql`select null::uuid, 0::float8 where false`;
  const byId = wikidataId ? sql`union all select id, 10::float8 from ${claimants} where wikidata_id = ${wikidataId} and merged_into is null` : sql``;
  return sql`(${byName} ${byId}) as s(claimant_id, score)`;
}
