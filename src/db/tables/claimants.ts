/**
 * Claimants: the people and organisations that make claims (src/domain/claimants/), and the names
 * their search matches (the name and every alias, normalised: src/model/search-key.ts).
 */
import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, primaryKey, text, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { createdNow, timestamptz } from './columns.js';
import { claimantKind } from './enums.js';
import { users } from './users.js';

export const claimants = pgTable(
  'claimants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** searchKey(name): the order of lists by name. */
    sortKey: text('sort_key').notNull(),
    kind: claimantKind('kind').notNull(),
    aliases: text('aliases')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    wikidataId: text('wikidata_id'),
    website: text('website'),
    description: text('description'),
    /**
     * Set by mergeClaimants: the claimant this one was merged into. Always a live claimant: a merge
     * repoints the claimants merged into the source (chains are one step deep).
     */
    mergedInto: uuid('merged_into').references((): AnyPgColumn => claimants.id, { onDelete: 'restrict' }),
    mergedAt: timestamptz('merged_at'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    createdAt: createdNow('created_at'),
    updatedAt: createdNow('updated_at'),
  },
  (t) => [
    uniqueIndex('claimants_wikidata_id_unique')
      .on(t.wikidataId)
      .where(sql`merged_into IS NULL AND wikidata_id IS NOT NULL`),
    index('claimants_sort_idx')
      .on(t.sortKey, t.id)
      .where(sql`merged_into IS NULL`),
    index('claimants_merged_into_idx')
      .on(t.mergedInto)
      .where(sql`merged_into IS NOT NULL`),
  ],
);

/** One row per name a live claimant is known by (its name and aliases), for claimants(search:). */
export const claimantNames = pgTable(
  'claimant_names',
  {
    claimantId: uuid('claimant_id')
      .notNull()
      .references(() => claimants.id, { onDelete: 'cascade' }),
    /** searchKey(the name): lower case, no accents, punctuation as spaces. */
    nameKey: text('name_key').notNull(),
    /** The claimant's own name, not an alias (ranks first among equals). */
    primary: boolean('is_primary').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.claimantId, t.nameKey] }),
    // Fuzzy, infix and word-prefix matches (pg_trgm), and whole-name prefixes of short input (btree).
    index('claimant_names_trgm_idx').using('gin', sql`${t.nameKey} gin_trgm_ops`),
    index('claimant_names_prefix_idx').on(sql`${t.nameKey} text_pattern_ops`),
  ],
);

export type ClaimantRow = typeof claimants.$inferSelect;
