/**
 * Migration 0012 on a database that already holds fact checks and corrections: each gets the default
 * scale's label it was published under, as ClaimReview rendered it before (PGlite; the SQL is the same on Postgres).
 */
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { expect, test } from 'vitest';
import { migrationsFolder } from '../../src/paths.js';
import { testDatabaseKind } from '../support/database.js';
import { migrationsBefore } from '../support/migrations.js';

test.runIf(testDatabaseKind === 'pglite')('0012 fills the label of existing fact checks and corrections from the default scale', async () => {
  const before = migrationsBefore('0012_rating_scale');
  const client = await PGlite.create({ extensions: { pg_trgm } });
  try {
    await migrate(drizzle(client), { migrationsFolder: before.folder });
    await client.exec(`
      insert into users (id, name, email, role) values ('00000000-0000-4000-8000-000000000001', 'Ed', 'ed@example.org', 'EDITOR');
      insert into articles (id, url, title, body, language) values ('00000000-0000-4000-8000-000000000002', 'https://news.example/a', 'A', 'One. Two.', 'pt-BR');
      insert into claims (id, article_id, quote, span_start, span_end, statement, created_by, status, published_round, version)
        values ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000002', 'One.', 0, 4, 'One.', '00000000-0000-4000-8000-000000000001', 'PUBLISHED', 1, 2),
               ('00000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000002', 'Two.', 5, 9, 'Two.', '00000000-0000-4000-8000-000000000001', 'PUBLISHED', 1, 2);
      insert into fact_checks (id, claim_id, article_id, claim_reviewed, quote, language, rating, summary, published_by)
        values ('00000000-0000-4000-8000-000000000005', '00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000002', 'One.', 'One.', 'pt-BR', 'MISLEADING', 'S', '00000000-0000-4000-8000-000000000001'),
               ('00000000-0000-4000-8000-000000000006', '00000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000002', 'Two.', 'Two.', 'pt-BR', 'UNPROVEN', 'S', '00000000-0000-4000-8000-000000000001');
      insert into corrections (fact_check_id, note, previous_rating, previous_summary, corrected_by)
        values ('00000000-0000-4000-8000-000000000005', 'Fixed.', 'TRUE', 'Before.', '00000000-0000-4000-8000-000000000001');
    `);
    await migrate(drizzle(client), { migrationsFolder });
    const factChecks = await client.query(
      `select rating, textual_rating, rating_label_key, rating_label_chosen, rating_value, best_rating, worst_rating from fact_checks order by id`,
    );
    expect(factChecks.rows).toEqual([
      {
        rating: 'MISLEADING',
        textual_rating: 'Misleading',
        rating_label_key: 'misleading',
        rating_label_chosen: false,
        rating_value: 2,
        best_rating: 5,
        worst_rating: 1,
      },
      {
        rating: 'UNPROVEN',
        textual_rating: 'Unproven',
        rating_label_key: 'unproven',
        rating_label_chosen: false,
        rating_value: null,
        best_rating: 5,
        worst_rating: 1,
      },
    ]);
    const corrections = await client.query(
      `select previous_textual_rating, previous_rating_label_key, previous_rating_value, previous_best_rating, previous_worst_rating from corrections`,
    );
    expect(corrections.rows).toEqual([
      { previous_textual_rating: 'True', previous_rating_label_key: 'true', previous_rating_value: 5, previous_best_rating: 5, previous_worst_rating: 1 },
    ]);
    // The columns are NOT NULL from now on.
    await expect(
      client.query(`insert into corrections (fact_check_id, note, previous_rating, previous_summary, corrected_by)
      values ('00000000-0000-4000-8000-000000000005', 'x', 'TRUE', 'x', '00000000-0000-4000-8000-000000000001')`),
    ).rejects.toThrow(/null value/);
  } finally {
    await client.close();
    before.remove();
  }
});
