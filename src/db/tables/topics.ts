/** Topics that claims are filed under (src/domain/topics/), and which claim is under which. */
import { sql } from 'drizzle-orm';
import { index, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { claims } from './claims.js';
import { createdNow } from './columns.js';
import { users } from './users.js';

export const topics = pgTable(
  'topics',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** searchKey(name): unique, so names are unique regardless of case (and accents); the order of lists. */
    nameKey: text('name_key').notNull(),
    wikidataId: text('wikidata_id'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    createdAt: createdNow('created_at'),
  },
  (t) => [uniqueIndex('topics_name_key_unique').on(t.nameKey), index('topics_name_key_trgm_idx').using('gin', sql`${t.nameKey} gin_trgm_ops`)],
);

export const claimTopics = pgTable(
  'claim_topics',
  {
    claimId: uuid('claim_id')
      .notNull()
      .references(() => claims.id, { onDelete: 'cascade' }),
    topicId: uuid('topic_id')
      .notNull()
      .references(() => topics.id, { onDelete: 'restrict' }),
  },
  (t) => [primaryKey({ columns: [t.claimId, t.topicId] }), index('claim_topics_topic_idx').on(t.topicId, t.claimId)],
);

export type TopicRow = typeof topics.$inferSelect;
