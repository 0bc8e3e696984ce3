/**
 * Keyset pagination, the SQL half (cursors are the domain's: src/domain/pagination.ts). Every
 * order is a tuple of sort keys compared in one direction, so a single row comparison,
 * `(keys) < (cursor values)`, is the whole `after` condition, and an index on the keys serves it.
 */
import { and, count, sql, type Placeholder, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { PgSelect, PgTable } from 'drizzle-orm/pg-core';
import type { Queryable } from './connection.js';

export interface Keyset {
  /** The sort keys, most significant first: columns or expressions an index is built on. */
  keys: readonly SQLWrapper[];
  direction: 'asc' | 'desc';
}

/** Which rows of the order a page holds: those matching `where`, after the cursor, `limit` of them. */
export interface KeysetWindow {
  where?: SQL | undefined;
  /** The cursor's values, one per key (parameters, so ISO strings rather than Dates); none: from the start. */
  after?: readonly unknown[] | null;
  /** A number, or a placeholder in a prepared statement. */
  limit: number | Placeholder;
}

/** Applies a window to a select made with drizzle's `$dynamic()`: its filter, the row comparison, the order, the limit. */
export function inKeysetWindow<Q extends PgSelect>(query: Q, keyset: Keyset, window: KeysetWindow): Q {
  const keys = sql.join([...keyset.keys], sql`, `);
  const after = window.after
    ? sql`(${keys}) ${keyset.direction === 'desc' ? sql`<` : sql`>`} (${sql.join(
        window.after.map((v) => sql`${v}`),
        sql`, `,
      )})`
    : undefined;
  const orderBy = keyset.keys.map((k) => (keyset.direction === 'desc' ? sql`${k} desc` : sql`${k} asc`));
  return query
    .where(and(window.where, after))
    .orderBy(...orderBy)
    .limit(window.limit);
}

/** How many rows of `table` match `where`, over all pages. */
export async function countWhere(db: Queryable, table: PgTable, where: SQL | undefined): Promise<number> {
  const [row] = await db.select({ n: count() }).from(table).where(where);
  return Number(row?.n ?? 0);
}
