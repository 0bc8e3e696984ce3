/**
 * Migration 0015 on a database that already holds corrected and retracted fact checks: each
 * correction gets the rating after it (the next correction's "before", or for the latest the fact
 * check's own) and whether it changed, and each retraction the change feed recorded appears in the
 * corrections log as "Retracted", with the rating it withdrew (PGlite; the SQL is the same on Postgres).
 */
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { expect, test } from 'vitest';
import { correctionLogPage } from '../../src/domain/corrections/log.js';
import { migrationsFolder } from '../../src/paths.js';
import { testDatabaseKind } from '../support/database.js';
import { migrationsBefore } from '../support/migrations.js';

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const [EDITOR, ARTICLE, CLAIM_1, CLAIM_2, FACT_CHECK_1, FACT_CHECK_2] = [1, 2, 3, 4, 5, 6].map(ID);
const T = (day: number) => `2025-01-${String(day).padStart(2, '0')}T10:00:00.000Z`;

test.runIf(testDatabaseKind === 'pglite')(
  '0015 gives existing corrections their after-values and ratingChanged, and existing retractions a log entry',
  async () => {
    const before = migrationsBefore('0015_accountability');
    const client = await PGlite.create({ extensions: { pg_trgm } });
    try {
      await migrate(drizzle(client), { migrationsFolder: before.folder });
      // Fact check 1: published FALSE (day 1), corrected to MIXED (day 2), retracted (day 3), republished
      // as TRUE (day 4): corrected twice, retracted once, visible now. Fact check 2: published FALSE,
      // corrected without changing its rating (day 5), retracted (day 6) and still retracted.
      await client.exec(`
      insert into users (id, name, email, role) values ('${EDITOR}', 'Ed', 'ed@example.org', 'EDITOR');
      insert into articles (id, url, title, body, language) values ('${ARTICLE}', 'https://news.example/a', 'A', 'One. Two.', 'en');
      insert into claims (id, article_id, quote, span_start, span_end, statement, created_by, status, published_round, version)
        values ('${CLAIM_1}', '${ARTICLE}', 'One.', 0, 4, 'One.', '${EDITOR}', 'PUBLISHED', 2, 9),
               ('${CLAIM_2}', '${ARTICLE}', 'Two.', 5, 9, 'Two.', '${EDITOR}', 'DISMISSED', 1, 5);
      insert into fact_checks (id, claim_id, article_id, claim_reviewed, quote, language, rating, textual_rating, rating_label_key,
          rating_value, best_rating, worst_rating, summary, published_by, published_at, updated_at, retracted_at)
        values ('${FACT_CHECK_1}', '${CLAIM_1}', '${ARTICLE}', 'One.', 'One.', 'en', 'TRUE', 'True', 'true', 5, 5, 1, 'S', '${EDITOR}', '${T(1)}', '${T(4)}', null),
               ('${FACT_CHECK_2}', '${CLAIM_2}', '${ARTICLE}', 'Two.', 'Two.', 'en', 'FALSE', 'False', 'false', 1, 5, 1, 'S', '${EDITOR}', '${T(1)}', '${T(5)}', '${T(6)}');
      insert into corrections (id, fact_check_id, note, previous_rating, previous_textual_rating, previous_rating_label_key, previous_rating_value,
          previous_best_rating, previous_worst_rating, previous_summary, corrected_by, at)
        values ('${ID(11)}', '${FACT_CHECK_1}', 'New figures.', 'FALSE', 'False', 'false', 1, 5, 1, 'S0', '${EDITOR}', '${T(2)}'),
               ('${ID(12)}', '${FACT_CHECK_1}', 'Restored after review.', 'MIXED', 'Mixed', 'mixed', 3, 5, 1, 'S1', '${EDITOR}', '${T(4)}'),
               ('${ID(13)}', '${FACT_CHECK_2}', 'Typo.', 'FALSE', 'False', 'false', 1, 5, 1, 'S0', '${EDITOR}', '${T(5)}');
      insert into fact_check_changes (fact_check_id, type, at)
        values ('${FACT_CHECK_1}', 'PUBLISHED', '${T(1)}'), ('${FACT_CHECK_1}', 'CORRECTED', '${T(2)}'), ('${FACT_CHECK_1}', 'RETRACTED', '${T(3)}'),
               ('${FACT_CHECK_1}', 'CORRECTED', '${T(4)}'), ('${FACT_CHECK_2}', 'PUBLISHED', '${T(1)}'), ('${FACT_CHECK_2}', 'CORRECTED', '${T(5)}'),
               ('${FACT_CHECK_2}', 'RETRACTED', '${T(6)}');
    `);
      await migrate(drizzle(client), { migrationsFolder });

      const corrections = await client.query(
        `select id, previous_rating, previous_textual_rating, rating, textual_rating, rating_changed from corrections order by at, id`,
      );
      expect(corrections.rows).toEqual([
        { id: ID(11), previous_rating: 'FALSE', previous_textual_rating: 'False', rating: 'MIXED', textual_rating: 'Mixed', rating_changed: true },
        { id: ID(12), previous_rating: 'MIXED', previous_textual_rating: 'Mixed', rating: 'TRUE', textual_rating: 'True', rating_changed: true },
        { id: ID(13), previous_rating: 'FALSE', previous_textual_rating: 'False', rating: 'FALSE', textual_rating: 'False', rating_changed: false },
      ]);

      // The log, as Query.corrections, /corrections and the feed read it.
      const log = await correctionLogPage(drizzle(client) as never, { first: 20 });
      expect(
        log.nodes.map(({ kind, at, note, previousRating, previousTextualRating, rating, textualRating, visible, factCheck }) => ({
          kind,
          at: at.toISOString(),
          note,
          previousRating,
          previousTextualRating,
          rating,
          textualRating,
          visible,
          factCheckId: factCheck.id,
        })),
      ).toEqual([
        {
          kind: 'RETRACTED',
          at: T(6),
          note: 'Retracted',
          previousRating: 'FALSE',
          previousTextualRating: 'False',
          rating: null,
          textualRating: null,
          visible: false,
          factCheckId: FACT_CHECK_2,
        },
        {
          kind: 'CORRECTED',
          at: T(5),
          note: 'Typo.',
          previousRating: 'FALSE',
          previousTextualRating: 'False',
          rating: 'FALSE',
          textualRating: 'False',
          visible: false,
          factCheckId: FACT_CHECK_2,
        },
        {
          kind: 'CORRECTED',
          at: T(4),
          note: 'Restored after review.',
          previousRating: 'MIXED',
          previousTextualRating: 'Mixed',
          rating: 'TRUE',
          textualRating: 'True',
          visible: true,
          factCheckId: FACT_CHECK_1,
        },
        // The rating in force when it was retracted: the next correction's "before".
        {
          kind: 'RETRACTED',
          at: T(3),
          note: 'Retracted',
          previousRating: 'MIXED',
          previousTextualRating: 'Mixed',
          rating: null,
          textualRating: null,
          visible: true,
          factCheckId: FACT_CHECK_1,
        },
        {
          kind: 'CORRECTED',
          at: T(2),
          note: 'New figures.',
          previousRating: 'FALSE',
          previousTextualRating: 'False',
          rating: 'MIXED',
          textualRating: 'Mixed',
          visible: true,
          factCheckId: FACT_CHECK_1,
        },
      ]);
      expect(await log.totalCount()).toBe(5);
      // The after-values are NOT NULL from now on.
      await expect(
        client.query(`insert into corrections (fact_check_id, note, previous_rating, previous_textual_rating, previous_rating_label_key, previous_best_rating,
        previous_worst_rating, previous_summary, corrected_by) values ('${FACT_CHECK_1}', 'x', 'TRUE', 'True', 'true', 5, 1, 'x', '${EDITOR}')`),
      ).rejects.toThrow(/null value/);
    } finally {
      await client.close();
      before.remove();
    }
  },
);
