/**
 * Migration 0016 on a database that already holds claimants: claimant_names gets a row per later word
 * of each name and alias, and claimant_words every word, exactly as writeSearchNames writes them for
 * a new claimant (`nameSearchRows`), so that search finds the old claimants as it finds new ones
 * (PGlite; the SQL is the same on Postgres).
 */
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { expect, test } from 'vitest';
import { nameSearchRows, searchKey } from '../../src/model/search-key.js';
import { migrationsFolder } from '../../src/paths.js';
import { testDatabaseKind } from '../support/database.js';
import { migrationsBefore } from '../support/migrations.js';

const CLAIMANTS = [
  { name: 'Antony Blinken', aliases: ['Tony Blinken', 'Antony J. Blinken'] },
  { name: 'José Álvarez Ruiz', aliases: ['Álvarez'] },
  { name: 'Maria Smith', aliases: ['Smith', 'M. Smith'] },
  { name: 'Ministry of Health of Lagos', aliases: ['MoH Lagos'] },
  { name: 'Cher', aliases: [] },
];

test.runIf(testDatabaseKind === 'pglite')('0016 gives the claimants already there the rows and words a new claimant gets', async () => {
  const before = migrationsBefore('0016_claimant_search_words');
  const client = await PGlite.create({ extensions: { pg_trgm } });
  try {
    await migrate(drizzle(client), { migrationsFolder: before.folder });
    await client.query(`insert into users (id, name, email, role) values ('00000000-0000-4000-8000-000000000001', 'Ed', 'ed@example.org', 'EDITOR')`);
    const ids = CLAIMANTS.map((_, i) => `00000000-0000-4000-8000-00000000010${i}`);
    for (const [i, c] of CLAIMANTS.entries()) {
      await client.query(
        `insert into claimants (id, name, sort_key, kind, aliases, created_by) values ($1, $2, $3, 'PERSON', $4, '00000000-0000-4000-8000-000000000001')`,
        [ids[i], c.name, searchKey(c.name), c.aliases],
      );
      // As 0014's writeSearchNames wrote them: each name's key once, the claimant's own name primary.
      const keys = new Map(c.aliases.map((a) => [searchKey(a), false]));
      keys.set(searchKey(c.name), true);
      for (const [key, primary] of keys)
        await client.query(`insert into claimant_names (claimant_id, name_key, is_primary) values ($1, $2, $3)`, [ids[i], key, primary]);
    }
    await migrate(drizzle(client), { migrationsFolder });

    const rows = await client.query<{ claimant_id: string; word_key: string; name_key: string; is_primary: boolean }>(
      `select claimant_id, word_key, name_key, is_primary from claimant_names order by claimant_id, word_key`,
    );
    const expected = CLAIMANTS.flatMap((c, i) =>
      nameSearchRows(c.name, c.aliases).map((r) => ({ claimant_id: ids[i], word_key: r.wordKey, name_key: r.nameKey, is_primary: r.primary })),
    ).sort((a, b) => (a.claimant_id + a.word_key < b.claimant_id + b.word_key ? -1 : 1));
    expect(rows.rows).toEqual(expected);
    // "smith" is the alias's own row; "blinken" the primary name's.
    expect(rows.rows).toContainEqual({ claimant_id: ids[2], word_key: 'smith', name_key: 'smith', is_primary: false });
    expect(rows.rows).toContainEqual({ claimant_id: ids[0], word_key: 'blinken', name_key: 'antony blinken', is_primary: true });

    const words = await client.query<{ word: string }>(`select word from claimant_words order by word`);
    expect(words.rows.map((w) => w.word)).toEqual([...new Set(expected.flatMap((r) => r.name_key.split(' ')))].sort());
  } finally {
    await client.close();
    before.remove();
  }
});
