/** Articles, the text claims are quoted from (src/domain/articles/articles.ts). */
import { sql } from 'drizzle-orm';
import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdNow, timestamptz } from './columns.js';
import { users } from './users.js';

export const articles = pgTable(
  'articles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    url: text('url').notNull().unique(),
    /**
     * normalizeLookupUrl(url) (src/model/lookup-url.ts), for the link lookup. Written by ingestArticle;
     * null for rows written otherwise (older rows, bulk loads) until the next start fills it in
     * (src/db/normalized-urls.ts).
     */
    urlNormalized: text('url_normalized'),
    title: text('title').notNull(),
    body: text('body').notNull(),
    publisher: text('publisher'),
    author: text('author'),
    publishedAt: timestamptz('published_at'),
    language: text('language').notNull().default('en'),
    ingestedBy: uuid('ingested_by').references(() => users.id, { onDelete: 'set null' }),
    ingestedAt: createdNow('ingested_at'),
  },
  (t) => [
    index('articles_ingested_idx').on(t.ingestedAt, t.id),
    // The link lookup (src/domain/fact-checks/filter.ts): md5, since a normalised URL (non-ASCII
    // percent-encoded) can outgrow a btree entry; the lookup compares the URL itself as well.
    index('articles_url_normalized_idx').on(sql`md5(${t.urlNormalized})`),
    // What the start-up backfill still has to do: empty once it has run, so a start checks it for free.
    index('articles_url_unnormalized_idx')
      .on(t.id)
      .where(sql`url_normalized IS NULL`),
  ],
);

export type ArticleRow = typeof articles.$inferSelect;
