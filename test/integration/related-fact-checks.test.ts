/**
 * Claim.relatedFactChecks among thousands of fact checks worded like the claim, of both kinds
 * (src/db/external-fact-checks.ts): the statement compares at most RELATED_CANDIDATE_ROWS rows of
 * each table, whatever their number (the trigram index alone read every row sharing a trigram: 1 to
 * 13 s per claim at a million reviews), found by the claim's words, and still finds the ones worded
 * most like it, also when all its words are common. The tables are analysed, as autovacuum would,
 * so that their common words are known.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RELATED_CANDIDATE_ROWS, relatedFactChecksLoader } from '../../src/db/external-fact-checks.js';
import { factChecks } from '../../src/db/schema.js';
import { toGlobalId } from '../../src/domain/global-ids.js';
import { ok, type TestApp } from '../support/app.js';
import { insertExternalFactChecks } from '../support/external/external-fact-checks.js';
import { publishedArchive, startDeskApp, type Desk } from '../support/factories.js';

const MANY = RELATED_CANDIDATE_ROWS + 500;
const CLAIM = 'Officials in Springfield said the city budget was cut by 5 percent last year.';
const OURS_ALIKE = 'Officials in Springfield said the budget of the city was cut by 5 percent last year.';
const THEIRS_ALIKE = 'Springfield officials said the city budget was cut by 5 percent last year.';
const variant = (n: number) => `Officials in Springfield said the city budget was cut by ${100 + n} percent.`;
/** A claim of common words only, whose three least common are never together: any two of them find its match. */
const COMMON_ONLY = 'The walrus and the tuba on the glacier.';
const COMMON_ONLY_ALIKE = 'The walrus and the tuba in the harbour.';
const commonWords = ['Walrus sightings', 'Tuba concerts', 'Glacier melts'].flatMap((words) =>
  Array.from({ length: 300 }, (_, n) => `${words} number ${n} were reported near the coast.`),
);
const RELATED = `query($id: ID!) { claim(id: $id) { relatedFactChecks(limit: 3) { similarity
  item { __typename ... on FactCheck { claimReviewed } ... on ExternalFactCheck { claimReviewed } } } } }`;

let app: TestApp;
let desk: Desk;
let claimId: string;
let commonOnlyClaimId: string;
beforeAll(async () => {
  ({ app, desk } = await startDeskApp());
  const db = app.database.db;
  const statements = [CLAIM, OURS_ALIKE, ...Array.from({ length: MANY }, (_, n) => variant(n))];
  const [own] = await publishedArchive(
    db,
    desk.editor.id,
    statements.map((statement) => ({ statement, daysAgo: 1 })),
  );
  claimId = (await db.select({ claimId: factChecks.claimId }).from(factChecks).where(eq(factChecks.id, own!)))[0]!.claimId;
  for (let n = 0; n < MANY; n += 1_000)
    await insertExternalFactChecks(
      app,
      Array.from({ length: Math.min(1_000, MANY - n) }, (_, i) => ({ claimReviewed: variant(n + i) })),
    );
  await insertExternalFactChecks(app, [
    { claimReviewed: THEIRS_ALIKE },
    { claimReviewed: COMMON_ONLY_ALIKE },
    ...commonWords.map((claimReviewed) => ({ claimReviewed })),
  ]);
  const [commonOnly] = await publishedArchive(db, desk.editor.id, [{ statement: COMMON_ONLY, daysAgo: 1 }]);
  commonOnlyClaimId = (await db.select({ claimId: factChecks.claimId }).from(factChecks).where(eq(factChecks.id, commonOnly!)))[0]!.claimId;
  await db.execute(sql`analyze fact_checks, external_fact_checks`);
}, 120_000);
afterAll(() => app?.stop());

describe('Claim.relatedFactChecks among thousands worded alike', () => {
  test('the fact checks of each kind worded most like the claim come first', async () => {
    const related = ok(await app.gql(RELATED, { id: toGlobalId('Claim', claimId) }, desk.editor.token)).claim.relatedFactChecks;
    expect(related.slice(0, 2).map((r: any) => [r.item.__typename, r.item.claimReviewed])).toEqual([
      ['FactCheck', OURS_ALIKE],
      ['ExternalFactCheck', THEIRS_ALIKE],
    ]);
    expect(related).toHaveLength(3);
  });

  test('a claim of common words only finds its match through any two of its least common words', async () => {
    const related = ok(await app.gql(RELATED, { id: toGlobalId('Claim', commonOnlyClaimId) }, desk.editor.token)).claim.relatedFactChecks;
    expect(related[0].item).toEqual({ __typename: 'ExternalFactCheck', claimReviewed: COMMON_ONLY_ALIKE });
  });

  test('the statement reads about RELATED_CANDIDATE_ROWS rows of each table at most, whatever its size', async () => {
    const [before, after] = await app.database.db.transaction(async (tx) => {
      // The plan a large table gets: at a few thousand rows the planner may rather read the whole table.
      await tx.execute(sql`set local enable_seqscan = off`);
      // The session's counts not yet reported (earlier transactions' included), before and after.
      const counts = async () => {
        const result = await tx.execute(
          sql`select relname, seq_tup_read + coalesce(idx_tup_fetch, 0) as n from pg_stat_xact_user_tables where relname in ('fact_checks', 'external_fact_checks')`,
        );
        const rows = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as { relname: string; n: number }[];
        return Object.fromEntries(rows.map((r) => [r.relname, Number(r.n)]));
      };
      const start = await counts();
      expect(await relatedFactChecksLoader(tx, 3).load(claimId)).toHaveLength(3);
      return [start, await counts()];
    });
    for (const table of ['fact_checks', 'external_fact_checks']) {
      const read = after[table]! - (before[table] ?? 0);
      expect(read, table).toBeGreaterThan(0);
      // Plus the rows a later branch reads and leaves out, found by an earlier one: here the few worded alike.
      expect(read, table).toBeLessThanOrEqual(RELATED_CANDIDATE_ROWS + 5);
    }
  });
});
