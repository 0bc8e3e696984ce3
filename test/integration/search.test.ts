/**
 * Partner search beyond the basics of partner.test.ts. Each fact check is matched in its own
 * language's configuration. Over years of fact checks, search it reads the newest matches a bucket at a time (the weeks of this
 * quarter and the last, then older quarters), so a match must be found whatever bucket it is in,
 * phrases must hold in every bucket, and paging by relevance must cover exactly RANK_WINDOW of the
 * newest matches (by bucket): none twice, none skipped at a bucket boundary.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RANK_WINDOW } from '../../src/domain/full-text-search.js';
import { toGlobalId } from '../../src/domain/global-ids.js';
import { ok, type TestApp } from '../support/app.js';
import { type Desk, publishedArchive, startDeskApp } from '../support/factories.js';

let app: TestApp;
let desk: Desk;

const SEARCH = `query($filter: FactCheckFilter, $first: Int, $after: String) {
  factChecks(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } }
}`;
const search = async (filter: Record<string, unknown>, first = 100, after?: string) =>
  ok(await app.gql(SEARCH, { filter, first, after }, desk.partner.token)).factChecks;
const ids = (page: { edges: { node: { id: string } }[] }) => page.edges.map((e) => e.node.id).sort();
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

const RARE_DAYS = [0, 1, 6, 8, 20, 95, 200, 400, 1100];
let rare: string[];
let phrase: { days: number; id: string }[];
let common: string[];
let brazilian: string | undefined;
let german: string | undefined;

beforeAll(async () => {
  ({ app, desk } = await startDeskApp());
  const archive = async (entries: { statement: string; daysAgo: number; language?: string }[]) =>
    (await publishedArchive(app.database.db, desk.editor.id, entries)).map((id) => toGlobalId('FactCheck', id));
  rare = await archive(RARE_DAYS.map((days) => ({ statement: `A quokka was elected mayor ${days} days ago.`, daysAgo: days })));
  const phrased = [
    [3, 'A quokka smuggling ring was busted.'],
    [300, 'Police broke up a quokka smuggling ring.'],
    [5, 'Smuggling a quokka is legal.'],
    [500, 'Smuggling one quokka is legal.'],
  ] as const;
  phrase = (await archive(phrased.map(([days, statement]) => ({ statement, daysAgo: days })))).map((id, i) => ({ days: phrased[i]![0], id }));
  // One a day for three years: more matches than search ranks, across every kind of bucket.
  [brazilian, german] = await archive([
    { statement: 'As urnas eletrônicas foram fraudadas.', daysAgo: 2, language: 'pt-BR' },
    { statement: 'Die Hilfslieferungen wurden regelmäßig geplündert.', daysAgo: 9, language: 'de' },
  ]);
  common = await archive(Array.from({ length: RANK_WINDOW + 100 }, (_, days) => ({ statement: `Wombats dug up the road ${days} days ago.`, daysAgo: days })));
});
afterAll(() => app?.stop());

describe('search in each fact check’s language', () => {
  test('a regional tag is stemmed by its language, with or without a language filter', async () => {
    expect(ids(await search({ search: 'eletrônica fraudada' }))).toEqual([brazilian]);
    expect(ids(await search({ search: 'eletrônica fraudada', language: 'pt-BR' }))).toEqual([brazilian]);
  });

  test('the language filter is a BCP 47 range: "pt" holds pt-BR, "pt-PT" does not', async () => {
    for (const range of ['pt', 'PT-br', 'pt-BR']) expect(ids(await search({ search: 'eletrônica fraudada', language: range }))).toEqual([brazilian]);
    expect(ids(await search({ search: 'eletrônica fraudada', language: 'pt-PT' }))).toEqual([]);
    expect(ids(await search({ language: 'pt' }))).toEqual([brazilian]);
    expect((await search({ language: 'en' }, 1)).totalCount).toBe(rare.length + phrase.length + common.length);
  });

  test('without a language filter, each fact check is matched in its own language', async () => {
    expect(ids(await search({ search: 'Hilfslieferung' }))).toEqual([german]); // German stem, not the word
    expect(ids(await search({ search: 'Hilfslieferung -geplündert' }))).toEqual([]);
  });
});

describe('search over three years of fact checks', () => {
  test('a rare word is found in every week and every quarter it was published in', async () => {
    const found = await search({ search: 'elected quokka' });
    expect(found.totalCount).toBe(RARE_DAYS.length);
    expect(ids(found)).toEqual([...rare].sort());
  });

  test('the published window narrows the buckets read', async () => {
    const recent = await search({ search: 'elected quokka', publishedAfter: daysAgo(100) });
    expect(ids(recent)).toEqual(rare.filter((_, i) => RARE_DAYS[i]! < 100).sort());
    const older = await search({ search: 'elected quokka', publishedBefore: daysAgo(150) });
    expect(ids(older)).toEqual(rare.filter((_, i) => RARE_DAYS[i]! > 150).sort());
    const between = await search({ search: 'elected quokka', publishedAfter: daysAgo(450), publishedBefore: daysAgo(7) });
    expect(ids(between)).toEqual(rare.filter((_, i) => RARE_DAYS[i]! > 7 && RARE_DAYS[i]! < 450).sort());
  });

  test('a quoted phrase must appear as a phrase, in recent weeks and in old quarters alike', async () => {
    const phrased = await search({ search: '"quokka smuggling"' });
    expect(ids(phrased)).toEqual(
      phrase
        .filter((p) => p.days === 3 || p.days === 300)
        .map((p) => p.id)
        .sort(),
    );
    expect(ids(await search({ search: 'quokka smuggling' }))).toEqual(phrase.map((p) => p.id).sort());
    expect(ids(await search({ search: 'quokka smuggling -ring' }))).toEqual(
      phrase
        .filter((p) => p.days === 5 || p.days === 500)
        .map((p) => p.id)
        .sort(),
    );
    // A stop word inside the phrase: 'ring' <2> 'bust'.
    expect(ids(await search({ search: '"ring was busted"' }))).toEqual(phrase.filter((p) => p.days === 3).map((p) => p.id));
  });

  test('a search that needs no word (only exclusions, or an OR with one) is answered from the newest rows', async () => {
    const withoutWombats = await search({ search: '-wombats' });
    const others = [...rare, ...phrase.map((p) => p.id), brazilian!, german!];
    expect(withoutWombats.totalCount).toBe(others.length);
    expect(ids(withoutWombats)).toEqual(others.sort());
    const either = await search({ search: 'mayor or -wombats' }, 1);
    expect(either.totalCount).toBe(others.length);
    expect(ids(await search({ search: 'wombats -dug' }))).toEqual([]);
  });

  test(`paging by relevance visits ${RANK_WINDOW} of the newest matches, by bucket, each once`, async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 20; page++) {
      const result = await search({ search: 'wombats' }, 100, after);
      seen.push(...result.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!result.pageInfo.hasNextPage) break;
      after = result.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(RANK_WINDOW);
    // common[i] was published i days ago. The window is the newest buckets' matches, and some of the
    // bucket where it fills, a quarter here (91 or 92 days): every match newer than that bucket is
    // in, none older.
    const quarter = 92;
    expect(seen).toEqual(expect.arrayContaining(common.slice(0, RANK_WINDOW - quarter)));
    expect(common.slice(0, RANK_WINDOW + quarter)).toEqual(expect.arrayContaining(seen));
    // totalCount counts what paging reaches, not every match.
    expect((await search({ search: 'wombats' }, 1)).totalCount).toBe(RANK_WINDOW);
    expect((await search({}, 1)).totalCount).toBe(rare.length + phrase.length + 2 + common.length);
  });
});
