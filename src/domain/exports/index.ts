/**
 * CSV exports (DESIGN.md, "Desk work at scale"): every claim or fact check a list query's filter
 * matches, with no cap, read in keyset-paged batches. Each batch is one short statement of its own:
 * between batches the export holds no connection and no transaction, however slowly the client
 * reads, and whoever iterates decides whether the next batch is read at all (a client that went
 * away stops the export). Who may export, and what they see, is what the list queries allow
 * (src/domain/visibility.ts): `claims` for staff; `factChecks` for everyone, retracted ones never.
 *
 * The CSV itself (quoting, formula neutralising) is the route's: src/server/routes/csv-exports.ts.
 */
import { eq, getTableColumns, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import { inKeysetWindow } from '../../db/keyset.js';
import { articles, claims, factChecks } from '../../db/schema.js';
import type { ClaimOrder } from '../../model/enums.js';
import { claimFilterCondition, claimOrders, type ClaimFilter } from '../claims/queries.js';
import type { ClaimReviewSettings } from '../fact-checks/schema-org-claim-review.js';
import { conditions, filterInput, type FactCheckFilter } from '../fact-checks/filter.js';
import { searchQuery } from '../full-text-search.js';
import { toGlobalId } from '../global-ids.js';
import { cursorTime, cursorUuid, type KeysetOrder } from '../pagination.js';
import { parseInput } from '../validation.js';
import type { Viewer } from '../viewer.js';
import { requireReader } from '../visibility.js';

/** Rows per statement: large enough that a million rows are a thousand statements, small enough to stay in constant memory. */
export const EXPORT_BATCH_ROWS = 1_000;

export type Cell = string | number | null;

/** An export: its header row, and its rows in batches, each batch read only when asked for. */
export interface TableExport {
  columns: readonly string[];
  batches: AsyncGenerator<Cell[][], void, void>;
}

interface Column<Row> {
  name: string;
  value: (row: Row) => Cell;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** Reads the order's rows `EXPORT_BATCH_ROWS` at a time, each batch from where the last one ended. */
async function* keysetBatches<Row>(
  read: (after: readonly unknown[] | null) => Promise<Row[]>,
  keyOf: (row: Row) => readonly unknown[],
  columns: readonly Column<Row>[],
) {
  let after: readonly unknown[] | null = null;
  for (;;) {
    const rows = await read(after);
    if (rows.length) yield rows.map((row) => columns.map((c) => c.value(row)));
    if (rows.length < EXPORT_BATCH_ROWS) return;
    after = keyOf(rows.at(-1)!);
  }
}

// ---------------------------------------------------------------------------------------------------
// Claims

const { searchVector: _claimVector, ...claimColumns } = getTableColumns(claims);
type ClaimExportRow = { claim: Omit<typeof claims.$inferSelect, 'searchVector'>; articleUrl: string };

/** The columns of claims.csv, in order (docs/api-guide.md, "CSV exports"). */
const CLAIM_COLUMNS: readonly Column<ClaimExportRow>[] = [
  { name: 'id', value: (r) => toGlobalId('Claim', r.claim.id) },
  { name: 'status', value: (r) => r.claim.status },
  { name: 'priority', value: (r) => r.claim.priority },
  { name: 'statement', value: (r) => r.claim.statement },
  { name: 'quote', value: (r) => r.claim.quote },
  { name: 'claimant', value: (r) => r.claim.claimant },
  { name: 'article_id', value: (r) => toGlobalId('Article', r.claim.articleId) },
  { name: 'article_url', value: (r) => r.articleUrl },
  { name: 'span_start', value: (r) => r.claim.spanStart },
  { name: 'span_end', value: (r) => r.claim.spanEnd },
  { name: 'required_verdicts', value: (r) => r.claim.requiredVerdicts },
  { name: 'round', value: (r) => r.claim.round },
  { name: 'version', value: (r) => r.claim.version },
  { name: 'due_at', value: (r) => iso(r.claim.dueAt) },
  { name: 'created_at', value: (r) => iso(r.claim.createdAt) },
  { name: 'updated_at', value: (r) => iso(r.claim.updatedAt) },
];

/** Every claim the `claims` query's filter matches, in its order (staff only). Validates before anything is read. */
export function exportClaims(db: Queryable, viewer: Viewer | null, args: { filter?: ClaimFilter; orderBy?: ClaimOrder | null }): TableExport {
  requireReader(viewer, 'Claim');
  const order = claimOrders[args.orderBy ?? 'CREATED_AT_DESC'];
  const where = claimFilterCondition(db, args.filter);
  const read = (after: readonly unknown[] | null) =>
    inKeysetWindow(
      db.select({ claim: claimColumns, articleUrl: articles.url }).from(claims).innerJoin(articles, eq(articles.id, claims.articleId)).$dynamic(),
      order,
      { where, after, limit: EXPORT_BATCH_ROWS },
    ) as Promise<ClaimExportRow[]>;
  const keyOf = (row: ClaimExportRow) => order.parse(order.cursorOf(row.claim as typeof claims.$inferSelect));
  return { columns: CLAIM_COLUMNS.map((c) => c.name), batches: keysetBatches(read, keyOf, CLAIM_COLUMNS) };
}

// ---------------------------------------------------------------------------------------------------
// Fact checks

type FactCheckExportRow = {
  id: string;
  claimReviewed: string;
  claimant: string | null;
  quote: string;
  rating: string;
  summary: string;
  language: string;
  publishedAt: Date;
  updatedAt: Date;
  articleUrl: string;
  articleTitle: string;
  articlePublisher: string | null;
};

const factCheckColumns = (site: ClaimReviewSettings): readonly Column<FactCheckExportRow>[] => [
  { name: 'id', value: (r) => toGlobalId('FactCheck', r.id) },
  { name: 'url', value: (r) => `${site.publicBaseUrl}/fact-checks/${toGlobalId('FactCheck', r.id)}` },
  { name: 'claim_reviewed', value: (r) => r.claimReviewed },
  { name: 'claimant', value: (r) => r.claimant },
  { name: 'quote', value: (r) => r.quote },
  { name: 'rating', value: (r) => r.rating },
  { name: 'summary', value: (r) => r.summary },
  { name: 'language', value: (r) => r.language },
  { name: 'published_at', value: (r) => iso(r.publishedAt) },
  { name: 'updated_at', value: (r) => iso(r.updatedAt) },
  { name: 'article_url', value: (r) => r.articleUrl },
  { name: 'article_title', value: (r) => r.articleTitle },
  { name: 'article_publisher', value: (r) => r.articlePublisher },
];

/** Newest first, as `factChecks` lists them; a search exports every match in this order too (not ranked, not capped). */
const newestFirst: Pick<KeysetOrder<FactCheckExportRow>, 'keys' | 'direction'> = { keys: [factChecks.publishedAt, factChecks.id], direction: 'desc' };

/** Every fact check the `factChecks` query's filter matches, to anyone who may read fact checks: published and not retracted. */
export function exportFactChecks(db: Queryable, viewer: Viewer | null, site: ClaimReviewSettings, args: { filter?: FactCheckFilter }): TableExport {
  requireReader(viewer, 'FactCheck');
  const filter = parseInput(filterInput, args.filter, 'filter') ?? {};
  const query = filter.search ? searchQuery(filter.search, filter.language) : null;
  const where = conditions(db, filter, query ? (f) => sql`${f.searchVector} @@ ${query.matchedBy(f)}` : undefined)(factChecks);
  const read = (after: readonly unknown[] | null) =>
    inKeysetWindow(
      db
        .select({
          id: factChecks.id,
          claimReviewed: factChecks.claimReviewed,
          claimant: factChecks.claimant,
          quote: factChecks.quote,
          rating: factChecks.rating,
          summary: factChecks.summary,
          language: factChecks.language,
          publishedAt: factChecks.publishedAt,
          updatedAt: factChecks.updatedAt,
          articleUrl: articles.url,
          articleTitle: articles.title,
          articlePublisher: articles.publisher,
        })
        .from(factChecks)
        .innerJoin(articles, eq(articles.id, factChecks.articleId))
        .$dynamic(),
      newestFirst,
      { where, after, limit: EXPORT_BATCH_ROWS },
    ) as Promise<FactCheckExportRow[]>;
  const keyOf = (row: FactCheckExportRow) => [cursorTime(row.publishedAt.toISOString()), cursorUuid(row.id)];
  const columns = factCheckColumns(site);
  return { columns: columns.map((c) => c.name), batches: keysetBatches(read, keyOf, columns) };
}
