/**
 * The re-map of stored external ratings is resumable (docs/design.md, Other publishers' fact checks;
 * src/domain/external-imports/rules-store.ts, src/jobs/rating-remap.ts): a re-map cut short after a
 * batch stays owed in the database with its place, and the job every server process runs finishes it
 * from there; walkers of one re-map take turns, each page read once; the job does nothing while none
 * is owed, and leaves one that another walker holds to it; migration 0021 leaves one owed, so that an
 * upgraded database is healed of any re-map cut short before it. Re-map batches are 2 rows here.
 * A server process killed mid re-map: external-imports-processes.test.ts.
 */
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database, Transaction } from '../../src/db/connection.js';
import * as schema from '../../src/db/schema.js';
import { externalRatingRemap } from '../../src/db/schema.js';
import { readRemap, remapRatings, remapStep, replaceDeskRules, type RemapStep } from '../../src/domain/external-imports/rules-store.js';
import { startRatingRemap } from '../../src/jobs/rating-remap.js';
import { createLogger } from '../../src/server/logger.js';
import { migrationsFolder } from '../../src/paths.js';
import { codes, ok, type TestApp } from '../support/app.js';
import { testDatabaseKind } from '../support/database.js';
import { claimReview, ratingsByLabel, storedCount, X } from '../support/external-imports/imports.js';
import { startDeskApp, type Desk } from '../support/factories.js';
import { migrationsBefore } from '../support/migrations.js';
import { holdLocks } from '../support/held-locks.js';

const BATCH = 2;
/** A re-map's read of a page of stored reviews. */
const PAGE = /from "external_fact_checks".*limit/is;
/** The job's (and every batch's) read of the re-map owed. */
const REMAP_READ = /^select .* from "external_rating_remap"/is;

let app: TestApp;
let desk: Desk;
const statements: string[] = [];
/** While set, the page read after this many more is refused: the process "stops" there, its batch rolled back. */
let pagesBeforeCut: number | null = null;
beforeAll(async () => {
  ({ app, desk } = await startDeskApp(
    { EXTERNAL_REMAP_BATCH_SIZE: BATCH },
    {
      onQuery(query) {
        statements.push(query);
        if (pagesBeforeCut !== null && PAGE.test(query) && pagesBeforeCut-- === 0) throw new Error('the process stopped here (test)');
      },
    },
  ));
});
afterAll(() => app?.stop());

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await delay(20);
  }
}
const silent = createLogger('silent');
let n = 0;
const importReviews = async (howMany: number, rating: string) =>
  ok(
    await app.gql(
      X.import,
      { i: { document: JSON.stringify(Array.from({ length: howMany }, () => claimReview(`https://remap.example/${++n}`, { rating }))) } },
      desk.editor.token,
    ),
  ).importExternalFactChecks.report;
const setRules = (rules: unknown[]) => app.gql(X.setRules, { i: { rules } }, desk.admin.token);
const zorp = (rating: string) => [{ textualRating: 'Zorp', rating }];
const ratings = () => ratingsByLabel(app);
const stored = () => storedCount(app);
const pagesSince = (from: number) => statements.slice(from).filter((s) => PAGE.test(s)).length;

/** The job as a (re)started process runs it, until it reports a re-map finished. */
async function jobFinishing(pollMs = 60_000) {
  const finished: { generation: number; changed: number }[] = [];
  const job = startRatingRemap(app.database, { batchSize: BATCH, pollMs }, silent, {
    finished: (generation, changed) => finished.push({ generation, changed }),
  });
  return {
    finished,
    async untilFinished() {
      await eventually(() => finished.length > 0, 'the job finishing the re-map');
      await job.stop();
      return finished;
    },
    stop: () => job.stop(),
  };
}

describe('a re-map cut short', () => {
  test('stays owed with its place; the job finishes it from there, and counts every rating the re-map changed', async () => {
    expect(ok(await setRules([])).setExternalRatingRules.remapped).toBe(0);
    expect(await importReviews(9, 'Zorp')).toMatchObject({ created: 9 });
    expect(await ratings()).toEqual({ 'zorp: null': 9 });

    // The process stops as it reads the second page: the first batch committed, the second rolled back.
    pagesBeforeCut = 1;
    const cut = await setRules(zorp('FALSE'));
    pagesBeforeCut = null;
    expect(codes(cut)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(await ratings()).toEqual({ 'zorp: FALSE': BATCH, 'zorp: null': 9 - BATCH });
    const owed = (await readRemap(app.database.db))!;
    expect(owed).toMatchObject({ pending: true, changed: BATCH, afterId: expect.any(String) });

    // A process's job (this one's after a restart, or another's): from the second page on, not the first.
    const from = statements.length;
    const finished = await (await jobFinishing()).untilFinished();
    expect(finished).toEqual([{ generation: owed.generation, changed: 9 }]);
    expect(await ratings()).toEqual({ 'zorp: FALSE': 9 });
    expect(pagesSince(from)).toBe(Math.ceil((9 - BATCH) / BATCH));
    expect(await readRemap(app.database.db)).toMatchObject({ generation: owed.generation, pending: false, afterId: null, changed: 9 });
  });

  test('the mutation while the jobs of two processes run: each page read once, whoever reads it; the count the whole re-map’s', async () => {
    await importReviews(21, 'Zorp');
    const total = await stored();
    const jobs = [await jobFinishing(5), await jobFinishing(5)];
    try {
      const from = statements.length;
      const answer = ok(await setRules(zorp('MISLEADING'))).setExternalRatingRules;
      expect(answer.remapped).toBe(total);
      // Each page once, whoever read it: the last one is short (or empty).
      expect(pagesSince(from)).toBe(Math.floor(total / BATCH) + 1);
      expect(await ratings()).toEqual({ 'zorp: MISLEADING': total });
      expect(await readRemap(app.database.db)).toMatchObject({ pending: false, changed: total });
    } finally {
      await Promise.all(jobs.map((job) => job.stop()));
    }
  });

  test("two walkers stepping in turn (a mutation's, a job's) share one place: every page once, in order, the count the re-map's", async () => {
    const total = await stored();
    const generation = await replaceDeskRules(app.database.db, [{ textualRating: 'Zorp', language: null, rating: 'TRUE' }]);
    const from = statements.length;
    const steps: RemapStep[] = [];
    for (let turn = 0; steps.at(-1)?.kind !== 'finished' && turn < 100; turn++) {
      const mine = turn % 2 === 0;
      steps.push(await remapStep(app.database.db, { generation: mine ? generation : null, batchSize: BATCH, wait: mine }));
    }
    expect(steps.map((step) => step.kind)).toEqual([...Array.from({ length: Math.floor(total / BATCH) }, () => 'more'), 'finished']);
    expect(steps.map((step) => step.changed)).toEqual(steps.map((_, i) => Math.min(total, (i + 1) * BATCH)));
    expect(pagesSince(from)).toBe(steps.length);
    expect(await ratings()).toEqual({ 'zorp: TRUE': total });
    // Either walker now finds nothing left; the mutation's answers the whole count.
    expect(await remapRatings(app.database.db, generation, BATCH)).toBe(total);
  });

  test('with no re-map owed, the job reads the owed row once per poll and no page', async () => {
    expect((await readRemap(app.database.db))!.pending).toBe(false);
    const from = statements.length;
    const job = await jobFinishing(50);
    await delay(500);
    await job.stop();
    expect(job.finished).toEqual([]);
    expect(pagesSince(from)).toBe(0);
    expect(statements.slice(from).filter((s) => REMAP_READ.test(s)).length).toBeGreaterThanOrEqual(3);
  });
});

describe.runIf(testDatabaseKind === 'postgres')('walkers of one re-map', () => {
  const holding = (lock: (tx: Transaction) => Promise<unknown>) => holdLocks(app.database.db, lock);

  test("a job leaves a re-map whose row another walker holds to that walker, at once; the mutation's walker waits its turn", async () => {
    await importReviews(3, 'Zorp');
    const generation = (await readRemap(app.database.db))!.generation;
    // A re-map owed, its row held as a walker's batch holds it.
    await app.database.db.update(externalRatingRemap).set({ pending: true, afterId: null, changed: 0 });
    const release = await holding((tx) => tx.execute(sql`select 1 from ${externalRatingRemap} for update`));
    let waited: Promise<unknown> = Promise.resolve();
    try {
      const started = Date.now();
      expect(await remapStep(app.database.db, { generation: null, batchSize: BATCH, wait: false })).toEqual({ kind: 'busy', generation: null, changed: 0 });
      expect(Date.now() - started).toBeLessThan(1_000);
      let answered = false;
      waited = remapStep(app.database.db, { generation, batchSize: BATCH, wait: true }).finally(() => (answered = true));
      await delay(300);
      expect(answered).toBe(false);
    } finally {
      await release();
    }
    expect(await waited).toMatchObject({ kind: 'more', generation });
    expect(await remapStep(app.database.db, { generation: generation + 1, batchSize: BATCH, wait: true })).toMatchObject({ kind: 'overtaken' });
  });
});

test.runIf(testDatabaseKind === 'pglite')(
  '0021 leaves a re-map owed: ratings that a re-map cut short before the upgrade left behind are fixed by the job',
  async () => {
    const before = migrationsBefore('0021_external_rating_remap');
    const client = await PGlite.create({ extensions: { pg_trgm } });
    try {
      await migrate(drizzle(client), { migrationsFolder: before.folder });
      // The desk's rule says FALSE; a re-map cut short left two of three rows unrated.
      await client.exec(`
      insert into external_rating_rules (position, textual_rating, textual_rating_key, rating) values (0, 'Zorp', 'zorp', 'FALSE');
      insert into external_fact_checks (review_url, review_url_normalized, publisher_name, claim_reviewed, textual_rating, textual_rating_key, rating, claim_review, content_hash)
        select 'https://old.example/' || i, 'https://old.example/' || i, 'Old Checks', 'Claim ' || i, 'Zorp', 'zorp', case when i = 1 then 'FALSE'::rating end, '{}', 'h' || i
        from generate_series(1, 3) as i;
    `);
      await migrate(drizzle(client), { migrationsFolder });
      const db = drizzle(client, { schema }) as unknown as Database;
      expect(await readRemap(db)).toMatchObject({ generation: 0, pending: true, afterId: null, changed: 0 });
      const steps = [];
      for (let step = 0; step < 10; step++) {
        const done = await remapStep(db, { generation: null, batchSize: BATCH, wait: false });
        steps.push(done.kind);
        if (done.kind !== 'more') break;
      }
      expect(steps).toEqual(['more', 'finished']);
      expect((await client.query(`select rating from external_fact_checks`)).rows).toEqual([{ rating: 'FALSE' }, { rating: 'FALSE' }, { rating: 'FALSE' }]);
      expect(await readRemap(db)).toMatchObject({ generation: 0, pending: false, changed: 2 });
    } finally {
      await client.close();
      before.remove();
    }
  },
);
