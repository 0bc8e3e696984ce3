import type { PgSelect } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import { inKeysetWindow, type Keyset, type KeysetWindow } from '../db/keyset.js';
import { isoTime } from '../model/time.js';
import { badInput } from './coded-errors.js';
import { isSafeText, isStorableDate, pageSize, parseInput } from './validation.js';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Page<T> {
  nodes: T[];
  /** Encoded when first read: a query that asks for no cursor (the dashboard) encodes none. */
  readonly cursors: readonly string[];
  hasNextPage: boolean;
  /** Computed only when asked for: a count over all pages costs a query of its own. */
  totalCount: () => Promise<number>;
}

export type CursorValue = string | number | null;

export const invalidCursor = (field = 'after') => badInput(field, `${field} is not a cursor this API issued`);

/** Cursors are opaque to clients: base64url of the sort key of the last row seen. */
export function encodeCursor(values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, arity: number, field = 'after'): CursorValue[] {
  let values: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor(field);
  }
  const valid =
    Array.isArray(values) &&
    values.length === arity &&
    values.every((v) => v === null || (typeof v === 'string' && isSafeText(v)) || (typeof v === 'number' && Number.isFinite(v)));
  if (!valid) throw invalidCursor(field);
  return values as CursorValue[];
}

export const DEFAULT_PAGE_SIZE = 20;

export function pageLimit(first: number | null | undefined): number {
  return parseInput(pageSize, first ?? DEFAULT_PAGE_SIZE, 'first');
}

/** Cuts the extra row fetched to learn whether another page follows. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (row: T) => CursorValue[], totalCount: () => Promise<number>): Page<T> {
  const nodes = rows.slice(0, limit);
  let cursors: string[] | undefined;
  return {
    nodes,
    get cursors() {
      return (cursors ??= nodes.map((n) => encodeCursor(cursorOf(n))));
    },
    hasNextPage: rows.length > limit,
    totalCount,
  };
}

/** A keyset order with its cursor: what a row's cursor holds, and how a decoded cursor is checked. */
export interface KeysetOrder<Row> extends Keyset {
  cursorOf: (row: Row) => CursorValue[];
  /** The cursor's values as parameters for the keys; BAD_USER_INPUT when they are not what `cursorOf` writes. */
  parse: (values: CursorValue[]) => unknown[];
}

/** The window `args` ask for: one row more than the page, to learn whether another page follows. */
export function pageWindow(order: KeysetOrder<never>, args: PageArgs): KeysetWindow & { pageSize: number } {
  const size = pageLimit(args.first);
  const after = args.after ? order.parse(decodeCursor(args.after, order.keys.length)) : null;
  return { after, limit: size + 1, pageSize: size };
}

/**
 * The one way a list is paged: `query` is a select from drizzle's `$dynamic()` without where,
 * order or limit; `totalCount` runs only when a client selects it.
 */
export async function keysetPage<Q extends PgSelect>(
  query: Q,
  order: KeysetOrder<Q['_']['result'][number]>,
  args: PageArgs,
  where: SQL | undefined,
  totalCount: () => Promise<number>,
): Promise<Page<Q['_']['result'][number]>> {
  const window = pageWindow(order, args);
  const rows = (await inKeysetWindow(query, order, { ...window, where })) as Q['_']['result'];
  return toPage(rows, window.pageSize, order.cursorOf, totalCount);
}

/** A valid ISO timestamp from a cursor, or BAD_USER_INPUT. */
export function cursorDate(value: CursorValue | undefined, field = 'after'): Date {
  const date = typeof value === 'string' ? new Date(value) : null;
  if (!date || !isStorableDate(date)) throw invalidCursor(field);
  return date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function cursorUuid(value: CursorValue | undefined, field = 'after'): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw invalidCursor(field);
  return value;
}

/** A timestamp key as a parameter: the ISO string (postgres.js takes no Date in raw SQL). */
export const cursorTime = (value: CursorValue | undefined, field = 'after') => cursorDate(value, field).toISOString();
/** A nullable timestamp sorted as `coalesce(t, 'infinity')`: the cursor holds 'infinity' for null. */
export const cursorTimeOrInfinity = (value: CursorValue | undefined, field = 'after') => (value === 'infinity' ? 'infinity' : cursorTime(value, field));
export const timeOrInfinity = (date: Date | string | null) => (date === null ? 'infinity' : isoTime(date));

export function cursorString(value: CursorValue | undefined, field = 'after'): string {
  if (typeof value !== 'string') throw invalidCursor(field);
  return value;
}
