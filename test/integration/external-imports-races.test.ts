/**
 * Rating rules against imports and against each other (docs/design.md, Other publishers' fact
 * checks; src/domain/external-imports/rules-store.ts): whatever interleaves, once every change and
 * its re-map have ended, each stored rating is the one the rules in force give. Imports run one
 * review per batch and re-maps one row per batch here, so that changes land between batches, and
 * the test holds row and table locks to stop a batch at the worst moment.
 *
 * Postgres only: PGlite runs one transaction at a time, and an import's batches leave no gap for
 * another request's statements, so nothing interleaves there.
 */
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { externalFactChecks } from '../../src/db/schema.js';
import type { Transaction } from '../../src/db/connection.js';
import { ok, type TestApp } from '../support/app.js';
import { testDatabaseKind } from '../support/database.js';
import { claimReview, ratingsByLabel, storedCount, storedReview, X } from '../support/external-imports/imports.js';
import { startDeskApp, type Desk } from '../support/factories.js';
import { holdLocks } from '../support/held-locks.js';

describe.runIf(testDatabaseKind === 'postgres')('rating rules against imports and each other', () => {
  let app: TestApp;
  let desk: Desk;
  beforeAll(async () => {
    ({ app, desk } = await startDeskApp({ EXTERNAL_IMPORT_BATCH_SIZE: 1, EXTERNAL_REMAP_BATCH_SIZE: 1 }));
  });
  afterAll(() => app?.stop());

  const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  let n = 0;
  const reviews = (count: number, rating: string) => Array.from({ length: count }, () => claimReview(`https://races.example/${++n}`, { rating }));
  const importReviews = async (document: unknown[]) =>
    ok(await app.gql(X.import, { i: { document: JSON.stringify(document) } }, desk.editor.token)).importExternalFactChecks.report;
  const setRules = async (rules: unknown[]) => ok(await app.gql(X.setRules, { i: { rules } }, desk.admin.token)).setExternalRatingRules;
  const zorp = (rating: string) => [{ textualRating: 'Zorp', rating }];

  const ratings = () => ratingsByLabel(app);
  const stored = () => storedCount(app);

  async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
      await delay(10);
    }
  }
  /** What the sessions of this database that wait on a lock wait on, and run. */
  async function waiting() {
    const rows = await app.database.db.execute(
      sql`select wait_event as event, query from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    return rows as unknown as { event: string; query: string }[];
  }
  const waitsToWrite = async (pattern: RegExp) => (await waiting()).some((w) => pattern.test(w.query));
  const holding = (lock: (tx: Transaction) => Promise<unknown>) => holdLocks(app.database.db, lock);
  /** Starts `change`; resolves once it has answered or waits on the rules' advisory lock (whichever comes first), telling which. */
  async function startChange(change: () => Promise<unknown>) {
    let answered = false;
    const running = change().finally(() => (answered = true));
    await eventually(async () => answered || (await waiting()).some((w) => w.event === 'advisory'), 'the change answering or waiting');
    return { answered, running };
  }

  test('rules changed while an import runs: every review it stored, before and after the change, has the rating of the new rules', async () => {
    const total = 600;
    let finished = false;
    const running = importReviews(reviews(total, 'Zorp')).finally(() => (finished = true));
    await eventually(async () => (await stored()) >= 20, 'the first batches');
    await setRules(zorp('FALSE'));
    // The change and its re-map ended while the import still wrote batches.
    expect(finished).toBe(false);
    expect((await running).created).toBe(total);
    expect(await ratings()).toEqual({ 'zorp: FALSE': total });
  });

  test('a batch that read the rules and waits to write holds a change off until it commits; the re-map then rates what it wrote', async () => {
    // Another textual rating: the change has nothing else to re-map, so only the batch can hold it.
    const [review] = reviews(1, 'Quux');
    await setRules([]);
    const release = await holding((tx) => tx.execute(sql`lock table ${externalFactChecks} in exclusive mode`));
    try {
      const imported = importReviews([review]);
      await eventually(() => waitsToWrite(/^\s*insert into "external_fact_checks"/i), 'the batch waiting to write');
      const change = await startChange(() => setRules([{ textualRating: 'Quux', rating: 'FALSE' }]));
      expect(change.answered).toBe(false);
      await release();
      await Promise.all([imported, change.running]);
    } finally {
      await release();
    }
    expect((await storedReview(app, review!.url))!.rating).toBe('FALSE');
  });

  test("a second change while the first one's re-map waits to write: the ratings follow the second", async () => {
    // The first row the re-maps read: rated under the first rules only, so that the second's re-map passes it.
    const [first] = await app.database.db.select({ id: externalFactChecks.id }).from(externalFactChecks).orderBy(asc(externalFactChecks.id)).limit(1);
    await app.database.db
      .update(externalFactChecks)
      .set({ textualRating: 'Blip', textualRatingKey: 'blip', rating: null })
      .where(eq(externalFactChecks.id, first!.id));
    await setRules([]);
    const release = await holding((tx) => tx.execute(sql`select 1 from ${externalFactChecks} where id = ${first!.id} for update`));
    try {
      const firstChange = setRules([
        { textualRating: 'Zorp', rating: 'TRUE' },
        { textualRating: 'Blip', rating: 'MIXED' },
      ]);
      await eventually(() => waitsToWrite(/^\s*update "external_fact_checks"/i), "the first change's re-map waiting to write");
      const second = await startChange(() => setRules(zorp('MISLEADING')));
      await release();
      await Promise.all([firstChange, second.running]);
    } finally {
      await release();
    }
    expect(await ratings()).toEqual({ 'blip: null': 1, 'quux: null': 1, 'zorp: MISLEADING': (await stored()) - 2 });
  });
});
