/**
 * claimants(search:): names and aliases that match, case and accents ignored (searchKey), best first.
 *
 * Every name a claimant is known by is stored from each of its words on (claimant_names: "antony
 * blinken" and "blinken"; src/model/search-key.ts, `nameSearchRows`), so that a prefix of a name or
 * of one of its words is a range of one index, read in order and only as far as the page needs.
 * Results come in tiers, each claimant once, at its best:
 *   5  the claimant with that Wikidata ID ("Q22686")
 *   3  a name that starts with the query      "tony blinken" → alias "Tony Blinken", "anto" → "Antony Blinken"
 *   2  a later word that starts with it      "blinken" → "Antony Blinken" (after "Blinken Industries", a 3)
 *   1  only alike, when no name matched at all (tiers 3 and 2 empty), below
 * Within tiers 3 and 2: by the matching part, then the whole name, then ID, in code point order: so
 * the whole name equal to the query comes first ("jose alvarez" → "José Álvarez", then "José
 * Álvarez Ruiz"), and names the query ends inside follow alphabetically. Queries shorter than 3
 * characters match tier 3 only.
 *
 * Alike (queries of 3+ characters that no name starts, nor a word of one): each word of the query
 * that is no word of any name (nor, for the last, the start of one) is replaced by the most similar
 * word of any name (pg_trgm similarity over claimant_words: "blinkn" → "blinken"); one-letter words
 * (initials) are left out. The names that hold every resulting word, anywhere ("john kowalski" →
 * "John F. Kowalski"), found from the rarest word, are ranked by how alike they are to the query as
 * typed: word_similarity (how well it matches part of the name) plus a tenth of the similarity of the
 * whole name (so that, among equals, the name closest to the query wins: "blinkn" → "Tony Blinken",
 * Antony Blinken's alias, before "Blinken Industries"); ties by name, then ID. Only the first
 * ALIKE_CANDIDATES such names (in name order) are ranked: a misspelt common surname weighs 200 of
 * its holders, not all of them.
 */
import { eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import { claimants, type ClaimantRow } from '../../db/schema.js';
import { searchKey } from '../../model/search-key.js';
import { cursorString, cursorUuid, decodeCursor, invalidCursor, toPage, type CursorValue, type Page } from '../pagination.js';
import { WIKIDATA_ID } from './inputs.js';

/** How many names the alike tier ranks at most. */
export const ALIKE_CANDIDATES = 200;
/** Sorts after every character a search key holds: [p, p + TOP) is every key that starts with p (code point order). */
const TOP = '\u{10FFFF}';
/** How many rows of a word are counted at most, to find the rarest word of a query. */
const RARITY_SCAN = 500;

type Tier = 5 | 3 | 2 | 1;
/** A result's place: its tier, then (tiers 3 and 2) the matching part and the whole name, or (tier 1) the score and the name; then its ID. */
type Place = [Tier, string | number, string, string];
type Found = ClaimantRow & { tier: number; a: string; b: string; score: number };

const p = (name: string) => sql.placeholder(name);
/** `column` in [lo, hi): every key that starts with lo when hi is lo + TOP (placeholders lo and hi). */
const inRange = (column: SQL) => sql`${column} >= ${p('lo')} and ${column} < ${p('hi')}`;

function parseCursor(after: string): Place {
  const [tier, a, b, id] = decodeCursor(after, 4) as [CursorValue, CursorValue, CursorValue, CursorValue];
  if (tier !== 5 && tier !== 3 && tier !== 2 && tier !== 1) throw invalidCursor();
  if (tier === 1 ? typeof a !== 'number' : typeof a !== 'string') throw invalidCursor();
  return [tier, a as string | number, cursorString(b), cursorUuid(id)];
}

export async function searchClaimants(db: Queryable, search: string, after: string | null | undefined, limit: number): Promise<Page<ClaimantRow>> {
  const key = searchKey(search);
  const wikidataId = search.trim().toUpperCase();
  const byWikidata = WIKIDATA_ID.test(wikidataId) ? wikidataId : null;
  const cursor = after ? parseCursor(after) : null;
  const placeOf = (row: Found): CursorValue[] => [row.tier, row.tier === 1 ? row.score : row.a, row.b, row.id];
  const empty = () => toPage<Found>([], limit, placeOf, async () => 0);
  if (!key) return empty(); // a Wikidata ID has a key too

  if (cursor?.[0] !== 1) {
    const statements = byName(db, { wikidata: !!byWikidata, cursor: cursor?.[0] ?? null, words: key.length >= 3 });
    const values = { lo: key, hi: key + TOP, wikidataId: byWikidata, n: limit + 1, afterA: cursor?.[1], afterB: cursor?.[2], afterId: cursor?.[3] };
    const rows = await statements.page.execute(values);
    // Some name matched (or the cursor was past one that did): the alike tier stays out.
    if (rows.length || cursor) return toPage(rows, limit, placeOf, async () => Number((await statements.count.execute(values))[0]?.n ?? 0));
  }
  if (key.length < 3 || byWikidata) return empty();
  const words = await correctedWords(db, key);
  if (!words) return empty();
  const statements = alike(db, { cursor: !!cursor });
  const { driver } = words;
  const values = {
    key,
    lo: driver.word,
    hi: driver.prefix ? driver.word + TOP : `${driver.word} ${TOP}`,
    others: words.others.join(' '),
    lastPrefix: words.lastPrefix && ` ${words.lastPrefix}`,
    n: limit + 1,
    afterScore: cursor && -(cursor[1] as number),
    afterName: cursor?.[2],
    afterId: cursor?.[3],
  };
  const rows = await statements.page.execute(values);
  return toPage(rows, limit, placeOf, async () => Number((await statements.count.execute(values))[0]?.n ?? 0));
}

// Each statement is built once per shape and prepared (as the fact-check search's): drizzle would
// otherwise build it anew for every keystroke.
const prepared = new WeakMap<Queryable, Map<string, unknown>>();
function once<T>(db: Queryable, shape: string, build: () => T): T {
  let byShape = prepared.get(db);
  if (!byShape) prepared.set(db, (byShape = new Map()));
  if (!byShape.has(shape)) byShape.set(shape, build());
  return byShape.get(shape) as T;
}

interface NameShape {
  wikidata: boolean;
  /** The tier of the cursor's place, if any. */
  cursor: Tier | null;
  /** The query has 3+ characters: later words match too. */
  words: boolean;
}

/**
 * Tiers 5, 3 and 2 after the cursor, in order, at most `n`: the page's claimants, joined once the page
 * is known; and how many match. Each tier reads its index in order and stops at `n`; whether a
 * claimant has a better name is asked per row read (`offset 0` keeps each NOT EXISTS a subplan: as an
 * anti-join, the planner hashed every match of "m", 22k rows, 21 ms at 100k).
 */
function byName(db: Queryable, shape: NameShape) {
  return once(db, `names:${JSON.stringify(shape)}`, () => {
    const tier = shape.cursor ?? 6;
    const after = (t: Tier) =>
      shape.cursor === t ? sql`and (n.word_key, n.name_key, n.claimant_id) > (${p('afterA')}, ${p('afterB')}, ${p('afterId')}::uuid)` : sql``;
    // The Wikidata ID's claimant comes first, and only there.
    const holder = sql`${claimants} h where h.wikidata_id = ${p('wikidataId')} and h.merged_into is null`;
    const notHolder = shape.wikidata ? sql`and not exists (select 1 from ${holder} and h.id = n.claimant_id offset 0)` : sql``;
    const branches: SQL[] = [];
    if (shape.wikidata && tier > 5) branches.push(sql`(select h.id, 5, '', '' from ${holder})`);
    if (tier >= 3)
      branches.push(sql`(select n.claimant_id, 3, n.word_key, n.name_key from claimant_names n
        where n.word_key = n.name_key and ${inRange(sql`n.word_key`)} ${after(3)} ${notHolder}
          and not exists (select 1 from claimant_names o where o.claimant_id = n.claimant_id and o.word_key = o.name_key
            and ${inRange(sql`o.word_key`)} and (o.word_key, o.name_key) < (n.word_key, n.name_key) offset 0)
        order by n.word_key, n.name_key, n.claimant_id limit ${p('n')})`);
    if (shape.words && tier >= 2)
      branches.push(sql`(select n.claimant_id, 2, n.word_key, n.name_key from claimant_names n
        where n.word_key <> n.name_key and ${inRange(sql`n.word_key`)} ${after(2)} ${notHolder}
          and not exists (select 1 from claimant_names o where o.claimant_id = n.claimant_id and ${inRange(sql`o.word_key`)}
            and (o.word_key = o.name_key or (o.word_key, o.name_key) < (n.word_key, n.name_key)) offset 0)
        order by n.word_key, n.name_key, n.claimant_id limit ${p('n')})`);
    if (branches.length === 0) branches.push(sql`(select null::uuid, 0, '', '' where false)`); // a tier 2 cursor for a short query
    const found = sql`(select * from (${sql.join(branches, sql` union all `)}) as u(claimant_id, tier, a, b)
      order by tier desc, a, b, claimant_id limit ${p('n')}) as s`;
    // totalCount: every claimant with a matching name (the name's start only for short queries), and the Wikidata ID's.
    // (Each partial index on its own: a range over both would read the whole table.)
    const starts = sql`select n.claimant_id from claimant_names n where n.word_key = n.name_key and ${inRange(sql`n.word_key`)}`;
    const words = sql`union select n.claimant_id from claimant_names n where n.word_key <> n.name_key and ${inRange(sql`n.word_key`)}`;
    const matching = sql`(${starts} ${shape.words ? words : sql``} ${shape.wikidata ? sql`union select h.id from ${holder}` : sql``}) as c`;
    return {
      page: db
        .select({ ...getTableColumns(claimants), tier: sql<number>`s.tier`.mapWith(Number), a: sql<string>`s.a`, b: sql<string>`s.b`, score: sql<number>`0` })
        .from(found)
        .innerJoin(claimants, eq(claimants.id, sql`s.claimant_id`))
        .orderBy(sql`s.tier desc`, sql`s.a`, sql`s.b`, sql`s.claimant_id`)
        .prepare('claimant_search'),
      count: db
        .select({ n: sql<number>`count(distinct c.claimant_id)`.mapWith(Number) })
        .from(sql`${matching}`)
        .prepare('claimant_search_count'),
    };
  });
}

/**
 * The query's words as the alike tier looks for them, or null when one cannot be found at all: left
 * out when one letter (an initial: "Antony J. Blinken" finds "Antony Blinken"), kept when some name
 * has it as a word (the last word: or as the start of one), otherwise replaced by the most similar
 * word of any name. With each: how many names hold it, up to RARITY_SCAN.
 */
interface AlikeWords {
  /** The rarest word: the names are read from its rows. */
  driver: { word: string; prefix: boolean };
  /** Every other word the name must hold as a word. */
  others: string[];
  /** A last word the name must hold the start of (not the driver), or ''. */
  lastPrefix: string;
}

async function correctedWords(db: Queryable, key: string): Promise<AlikeWords | null> {
  const statement = once(db, 'words', () => {
    // `word` as a word of a name (alone or followed by a space), or as the start of one.
    const asWord = (word: SQL) => sql`n.word_key >= ${word} and n.word_key < ${word} || ${` ${TOP}`}`;
    const asStart = (word: SQL) => sql`n.word_key >= ${word} and n.word_key < ${word} || ${TOP}`;
    const some = (range: SQL) =>
      sql`(exists (select 1 from claimant_names n where n.word_key = n.name_key and ${range})
        or exists (select 1 from claimant_names n where n.word_key <> n.name_key and ${range}))`;
    const count = (range: SQL) =>
      sql`(select count(*) from (select 1 from claimant_names n where n.word_key = n.name_key and ${range} limit ${RARITY_SCAN}) a)
        + (select count(*) from (select 1 from claimant_names n where n.word_key <> n.name_key and ${range} limit ${RARITY_SCAN}) b)`;
    return db
      .select({
        word: sql<string | null>`r.word`,
        kind: sql<string>`r.kind`,
        names:
          sql<number>`case when r.word is null then 0 when r.kind = 'prefix' then ${count(asStart(sql`r.word`))} else ${count(asWord(sql`r.word`))} end`.mapWith(
            Number,
          ),
      })
      .from(
        // offset 0: each word's kind and replacement are found once, not again for every use.
        sql`(select q.i, k.kind, case k.kind
              when 'alike' then (select d.word from claimant_words d where d.word % q.w order by similarity(d.word, q.w) desc, d.word limit 1)
              when 'drop' then null else q.w end as word
            from unnest(string_to_array(${p('key')}, ' ')) with ordinality as q(w, i),
            lateral (select case
              when length(q.w) < 2 then 'drop'
              when ${some(asWord(sql`q.w`))} then 'word'
              when q.i = ${p('last')} and ${some(asStart(sql`q.w`))} then 'prefix'
              else 'alike' end as kind) k
            offset 0) as r`,
      )
      .orderBy(sql`r.i`)
      .prepare('claimant_search_words');
  });
  const rows = await statement.execute({ key, last: key.split(' ').length });
  if (rows.some((r) => r.kind === 'alike' && r.word === null)) return null;
  const kept = rows
    .filter((r): r is typeof r & { word: string } => r.word !== null)
    .map((r) => ({ word: r.word, prefix: r.kind === 'prefix', names: r.names }));
  if (kept.length === 0) return null;
  // The rarest word drives; among as rare, the longer.
  const driver = kept.reduce((a, b) => (b.names < a.names || (b.names === a.names && b.word.length > a.word.length) ? b : a));
  return {
    driver: { word: driver.word, prefix: driver.prefix },
    others: kept.filter((r) => r !== driver && !r.prefix).map((r) => r.word),
    lastPrefix: kept.find((r) => r !== driver && r.prefix)?.word ?? '',
  };
}

/**
 * The alike tier's page after the cursor, and how many: the first ALIKE_CANDIDATES names (in name
 * order) read from the driver word's rows (lo, hi) that hold every other word (`others`, and the
 * start of `lastPrefix`), each claimant at its best name, ranked by their score against `key`.
 */
function alike(db: Queryable, shape: { cursor: boolean }) {
  return once(db, `alike:${shape.cursor}`, () => {
    const holdsTheRest = sql`not exists (select 1 from unnest(string_to_array(${p('others')}, ' ')) w where position(' ' || w || ' ' in ' ' || n.name_key || ' ') = 0)
      and (${p('lastPrefix')} = '' or position(${p('lastPrefix')} in ' ' || n.name_key) > 0)`;
    const read = (start: boolean) =>
      sql`(select n.claimant_id, n.name_key, n.word_key from claimant_names n
        where ${start ? sql`n.word_key = n.name_key` : sql`n.word_key <> n.name_key`} and ${inRange(sql`n.word_key`)} and ${holdsTheRest}
        order by n.word_key, n.name_key, n.claimant_id limit ${ALIKE_CANDIDATES})`;
    const candidates = sql`(select distinct on (c.claimant_id) c.claimant_id, c.name_key,
        (word_similarity(${p('key')}, c.name_key) + similarity(${p('key')}, c.name_key) / 10)::float8 as score
      from (select * from (${read(true)} union all ${read(false)}) as x order by word_key, name_key, claimant_id limit ${ALIKE_CANDIDATES}) as c
      order by c.claimant_id, score desc, c.name_key)`;
    const after = shape.cursor
      ? sql`where (-s.score, s.name_key, s.claimant_id) > (${p('afterScore')}::float8, ${p('afterName')}, ${p('afterId')}::uuid)`
      : sql``;
    const found = sql`(select * from ${candidates} as s ${after} order by s.score desc, s.name_key, s.claimant_id limit ${p('n')}) as s`;
    return {
      page: db
        .select({
          ...getTableColumns(claimants),
          tier: sql<number>`1`.mapWith(Number),
          a: sql<string>`''`,
          b: sql<string>`s.name_key`,
          score: sql<number>`s.score`.mapWith(Number),
        })
        .from(found)
        .innerJoin(claimants, eq(claimants.id, sql`s.claimant_id`))
        .orderBy(sql`s.score desc`, sql`s.name_key`, sql`s.claimant_id`)
        .prepare('claimant_search_alike'),
      count: db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(sql`${candidates} as s`)
        .prepare('claimant_search_alike_count'),
    };
  });
}
