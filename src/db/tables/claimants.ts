/**
 * Claimants: the people and organisations that make claims (src/domain/claimants/), and the names
 * their search matches (the name and every alias, normalised: src/model/search-key.ts).
 */
import { sql } from 'drizzle-orm';
import { boolean, customType, index, pgTable, primaryKey, text, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
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

/** Text compared byte by byte (code point order): prefixes are index ranges, and the order is the same on every server. */
const bytewiseText = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

/**
 * What claimants(search:) reads (src/domain/claimants/search.ts): for each name a live claimant is
 * known by (its name and aliases, as search keys), one row per word of it, holding the name from that
 * word on: "antony blinken" gives "antony blinken" (the name's start: `word_key = name_key`) and
 * "blinken". A prefix of a name, or of one of its words, is then a range of one index.
 */
export const claimantNames = pgTable(
  'claimant_names',
  {
    claimantId: uuid('claimant_id')
      .notNull()
      .references(() => claimants.id, { onDelete: 'cascade' }),
    /** The name from one of its words on (the whole name for its first word). */
    wordKey: bytewiseText('word_key').notNull(),
    /** searchKey(the name): lower case, no accents, punctuation as spaces. */
    nameKey: bytewiseText('name_key').notNull(),
    /** The claimant's own name, not an alias. */
    primary: boolean('is_primary').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.claimantId, t.wordKey] }),
    // Prefixes of whole names, and prefixes of their later words, each in the order search returns them.
    index('claimant_names_start_idx')
      .on(t.wordKey, t.nameKey, t.claimantId)
      .where(sql`word_key = name_key`),
    index('claimant_names_word_idx')
      .on(t.wordKey, t.nameKey, t.claimantId)
      .where(sql`word_key <> name_key`),
  ],
);

/**
 * Every word of every name search has indexed (never removed: a word left by a renamed or merged
 * claimant only makes a correction that finds nothing), for correcting a misspelt word (pg_trgm).
 */
export const claimantWords = pgTable(
  'claimant_words',
  {
    word: bytewiseText('word').primaryKey(),
  },
  (t) => [index('claimant_words_trgm_idx').using('gin', sql`${t.word} gin_trgm_ops`)],
);

export type ClaimantRow = typeof claimants.$inferSelect;
