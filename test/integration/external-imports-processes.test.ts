/**
 * A server process killed (SIGKILL) in the middle of setExternalRatingRules' re-map, and the next
 * server process finishing it (docs/design.md, Other publishers' fact checks;
 * src/jobs/rating-remap.ts): the rows the re-map had not reached are rated by the new rules within
 * moments of the start, without anyone setting the rules again. The test holds one row's lock so
 * that the re-map (one row per batch) stops there, deterministically, before the process is killed.
 *
 * Postgres only (a killed process must leave the database to another): the postgres vitest project.
 */
import { asc, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { externalFactChecks, externalRatingRemap } from '../../src/db/schema.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/database.js';
import { claimReview, X } from '../support/external-imports/imports.js';
import { createUser, type TestUser } from '../support/factories.js';
import { eventually } from '../support/eventually.js';
import { killAllServers, logLine, okData, startServer } from '../support/processes.js';

const REVIEWS = 40;

describe.runIf(testDatabaseKind === 'postgres')('a re-map of external ratings on processes', () => {
  let testDb: TestDatabase;
  let db: Database;
  let editor: TestUser;
  let admin: TestUser;
  let env: Record<string, string>;

  beforeAll(async () => {
    testDb = await createTestDatabase({ poolSize: 3 });
    db = testDb.db;
    editor = await createUser(db, 'EDITOR');
    admin = await createUser(db, 'ADMIN');
    env = { DATABASE_URL: testDb.url!, DATABASE_POOL_SIZE: '4', EXTERNAL_REMAP_BATCH_SIZE: '1' };
  });

  afterAll(async () => {
    await killAllServers();
    await testDb?.drop();
  });

  async function ratings() {
    const rows = await db.select({ rating: externalFactChecks.rating, n: count() }).from(externalFactChecks).groupBy(externalFactChecks.rating);
    return Object.fromEntries(rows.map((r) => [r.rating ?? 'null', r.n]));
  }
  /** Whether a session of this database waits on a lock while running `pattern`. */
  async function waitsOn(pattern: RegExp) {
    const rows = (await db.execute(sql`select query from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`)) as unknown as {
      query: string;
    }[];
    return rows.some((row) => pattern.test(row.query));
  }

  test('a server killed mid re-map: the next one to start finishes it, from where it stopped', async () => {
    const a = await startServer('A', env);
    const document = JSON.stringify(Array.from({ length: REVIEWS }, (_, i) => claimReview(`https://killed.example/${i}`, { rating: 'Zorp' })));
    expect(okData(await a.gql(X.import, { i: { document } }, editor.token)).importExternalFactChecks.report.created).toBe(REVIEWS);
    expect(await ratings()).toEqual({ null: REVIEWS });

    // The row halfway along the re-map's walk (by ID), locked by the test: the re-map's batch parks there.
    const [middle] = await db
      .select({ id: externalFactChecks.id })
      .from(externalFactChecks)
      .orderBy(asc(externalFactChecks.id))
      .offset(REVIEWS / 2)
      .limit(1);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = db.transaction(async (tx) => {
      await tx.select({ id: externalFactChecks.id }).from(externalFactChecks).where(eq(externalFactChecks.id, middle!.id)).for('update');
      locked();
      await released;
    });
    await isLocked;
    try {
      const answer = a.gql(X.setRules, { i: { rules: [{ textualRating: 'Zorp', rating: 'FALSE' }] } }, admin.token, 60_000);
      await eventually(() => waitsOn(/^\s*update "external_fact_checks"/i), {
        what: 'the re-map waiting at the locked row',
        timeoutMs: 20_000,
        intervalMs: 25,
      });
      await a.stop('SIGKILL');
      expect((await answer).kind).toBe('network');
    } finally {
      release();
      await holder;
    }
    // Cut short: the rows before the locked one re-rated, the rest not; the re-map owed, with its place.
    expect(await ratings()).toEqual({ FALSE: REVIEWS / 2, null: REVIEWS / 2 });
    const [owed] = await db.select().from(externalRatingRemap);
    expect(owed).toMatchObject({ pending: true, changed: REVIEWS / 2 });

    const startedAt = Date.now();
    const b = await startServer('B', env);
    // The last batch re-rates the last row; the step after it finds none and ends the re-map.
    const [done] = await eventually(
      async () => {
        const rows = await db.select().from(externalRatingRemap);
        return !rows[0]?.pending && rows;
      },
      { what: 'the re-map ended after the restart', timeoutMs: 20_000, intervalMs: 25 },
    );
    // At once on start, not at the job's next poll (30 s).
    expect(Date.now() - startedAt).toBeLessThan(15_000);
    expect(done).toMatchObject({ generation: owed!.generation, pending: false, changed: REVIEWS });
    expect(await ratings()).toEqual({ FALSE: REVIEWS });
    expect(await logLine(b, (line) => line.includes('re-map of external ratings finished'))).toBeDefined();
    // Rules in force and ratings agree: the same rules again change nothing.
    expect(okData(await b.gql(X.setRules, { i: { rules: [{ textualRating: 'Zorp', rating: 'FALSE' }] } }, admin.token)).setExternalRatingRules.remapped).toBe(
      0,
    );
    await b.stop();
  }, 120_000);
});
