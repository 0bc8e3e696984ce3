/**
 * Which matches a search ranks when a word has more than RANK_WINDOW of them in the newest weeks:
 * newest first, whatever order the rows are stored in, and the same window on every page while the
 * rows are updated (an update stores a row anew). Weeks are read sorted by date; only older quarters
 * are read in storage order (src/domain/full-text-search.ts).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { factChecks } from '../../src/db/schema.js';
import { RANK_WINDOW } from '../../src/domain/full-text-search.js';
import { toGlobalId } from '../../src/domain/global-ids.js';
import { ok, type TestApp } from '../support/app.js';
import { type Desk, publishedArchive, startDeskApp } from '../support/factories.js';

let app: TestApp;
let desk: Desk;
/** Newest first: newest[i] was published i × 3 minutes ago (global IDs; rowIds the same, as stored). */
let newest: string[];
let rowIds: string[];

const SEARCH = `query($first: Int, $after: String) {
  factChecks(filter: { search: "numbats" }, first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } }
}`;

beforeAll(async () => {
  ({ app, desk } = await startDeskApp());
  // 1,100 in the last 55 hours, stored oldest first: the storage order is the reverse of the date order.
  const entries = Array.from({ length: RANK_WINDOW + 100 }, (_, i) => ({ statement: `Numbats dug up the lawn ${i} times.`, daysAgo: (i * 3) / 1440 }));
  const stored = await publishedArchive(app.database.db, desk.editor.id, [...entries].reverse());
  rowIds = stored.reverse();
  newest = rowIds.map((id) => toGlobalId('FactCheck', id));
});
afterAll(() => app?.stop());

async function pageThrough(between?: (page: number) => Promise<void>, first = 100) {
  const seen: string[] = [];
  let after: string | undefined;
  for (let page = 0; page < 40; page++) {
    const result = ok(await app.gql(SEARCH, { first, after }, desk.partner.token)).factChecks;
    seen.push(...result.edges.map((e: { node: { id: string } }) => e.node.id));
    if (!result.pageInfo.hasNextPage) break;
    after = result.pageInfo.endCursor;
    await between?.(page);
  }
  return seen;
}

test(`a word with more than ${RANK_WINDOW} matches in the newest weeks: the newest ${RANK_WINDOW} are ranked, stored in any order`, async () => {
  const seen = await pageThrough();
  expect(new Set(seen).size).toBe(seen.length);
  expect(seen.sort()).toEqual(newest.slice(0, RANK_WINDOW).sort());
});

test('a page size the statement does not fetch exactly (37: it fetches 51 rows) pages through the same window', async () => {
  const seen = await pageThrough(undefined, 37);
  expect(new Set(seen).size).toBe(seen.length);
  expect(seen.sort()).toEqual(newest.slice(0, RANK_WINDOW).sort());
});

test('updating rows between pages leaves the window as it was: each match once, none skipped', async () => {
  const { db } = app.database;
  // The newest and the last in the window, and one just outside it, stored anew after page 1 and 2.
  const touched = [rowIds[0]!, rowIds[RANK_WINDOW - 1]!, rowIds[RANK_WINDOW]!];
  const seen = await pageThrough(async (page) => {
    for (const id of page < 2 ? touched : []) await db.update(factChecks).set({ updatedAt: new Date() }).where(eq(factChecks.id, id));
  });
  expect(new Set(seen).size).toBe(seen.length);
  expect(seen.sort()).toEqual(newest.slice(0, RANK_WINDOW).sort());
});
