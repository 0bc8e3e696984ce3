/**
 * A page of claims with the relations a query asks for (the look-ahead), in one statement. Postgres
 * builds each claim as JSON in the shape the GraphQL types read: the rows' own field names as keys,
 * timestamps as the ISO strings the DateTime scalar emits, and the relations the query asks for
 * (its article, assignments, an assignment's reviewer…) under `fetched`, by GraphQL field name.
 * Each row carries the columns the query selects and those the rules always read, not the others
 * (a dashboard page is half the JSON to build, send and parse). A field resolver reads `fetched`
 * first and its DataLoader only for what the page did not fetch. A dashboard page is one
 * statement. `preparedClaimPage` is the one entry.
 */
import { count, getTableColumns, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Queryable } from './connection.js';
import { inKeysetWindow, type Keyset, type KeysetWindow } from './keyset.js';
import { RELATION_ORDER } from './relation-order.js';
import type { ClaimRecord } from './records.js';
import { CLAIM_PATHS, CLAIM_RELATIONS, type ClaimPath, type ClaimRelation } from '../model/claim-relations.js';
import { articles, assignments, claims, evidence, factChecks, users, verdicts } from './schema.js';

/** Exactly what `Date.prototype.toISOString` writes, for the years 1 to 9999 that the API stores. */
const iso = (expr: string) => `to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const TABLE_OF: Record<ClaimPath, PgTable> = {
  claim: claims,
  article: articles,
  createdBy: users,
  factCheck: factChecks,
  assignments,
  'assignments.reviewer': users,
  'assignments.assignedBy': users,
  evidence,
  'evidence.addedBy': users,
  verdicts,
  'verdicts.reviewer': users,
};

/**
 * Columns read with every row whatever the query selects: what the blind-review and publication
 * rules read besides the fields of the same name (a verdict's reviewer, a fact check's
 * retraction), and a claim's round. The keys a relation follows (articleId, reviewerId…) are not:
 * a relation the query selects is fetched with the page, and a field that follows a key the page
 * does not fetch (Assignment.claim, FactCheck.article) is no column, so it reads every column.
 */
const ALWAYS_READ = new Map<PgTable, readonly string[]>([
  [claims, ['id', 'round']],
  [articles, ['id']],
  [users, ['id']],
  [assignments, ['id']],
  [evidence, ['id']],
  [verdicts, ['id', 'reviewerId']],
  [factChecks, ['id', 'retractedAt']],
]);

/** What the page's cursors read (the keys of every claim order), when the query asks for a cursor. */
const CURSOR_COLUMNS = ['priority', 'dueAt', 'createdAt'];

/** Article bodies can be a million characters: a page never reads them; Article.body loads them when asked. */
const NEVER_READ = new Map<PgTable, readonly string[]>([[articles, ['body']]]);

/** A table's columns a page can read, by drizzle key, in table order (generated columns are for SQL only). */
const readable = (table: PgTable) =>
  Object.entries(getTableColumns(table))
    .filter(([key, column]) => !(column as PgColumn).generated && !NEVER_READ.get(table)?.includes(key))
    .map(([key]) => key);

/** The relations one level below a path, by field name: at 'assignments', `reviewer` and `assignedBy`. */
const relationsUnder = (path: ClaimPath) =>
  CLAIM_RELATIONS.filter((r) => (path === 'claim' ? !r.includes('.') : r.startsWith(`${path}.`))).map((r) => r.slice(r.lastIndexOf('.') + 1));

/**
 * What a page reads for one claims query: the relations it fetches and the columns of each path.
 * Every row of a page carries only those columns: the fields the query selects, ALWAYS_READ, and
 * the claim's order keys when the query asks for a cursor. A path with no entry in `columns`
 * reads all of its columns.
 */
export interface ClaimPageSelection {
  /** The same for selections that read the same: the statement's identity. */
  readonly key: string;
  readonly relations: ReadonlySet<ClaimRelation>;
  readonly columns: ReadonlyMap<ClaimPath, readonly string[]>;
}

/** Every column of the claim and no relation: a page whose query is not known (Article.claims' later pages). */
export const EVERY_CLAIM_COLUMN = claimPageSelection(new Map([['claim', new Set()]]), { everyColumn: true });

/**
 * The selection for the GraphQL fields selected at each path (the look-ahead; 'claim' always
 * present). A field that is a column reads that column; a relation of the path, or __typename,
 * reads nothing more; any other field (computed from the row: Claim.span, FactCheck.claimReview…)
 * reads all of the path's columns, so that what a resolver reads is always there.
 */
export function claimPageSelection(
  selected: ReadonlyMap<ClaimPath, ReadonlySet<string>>,
  { everyColumn = false, cursors = false }: { everyColumn?: boolean; cursors?: boolean } = {},
): ClaimPageSelection {
  const relations = new Set<ClaimRelation>();
  const columns = new Map<ClaimPath, readonly string[]>();
  const key: string[] = [];
  for (const path of CLAIM_PATHS) {
    const fields = selected.get(path);
    if (!fields) continue;
    if (path !== 'claim') relations.add(path);
    const read = everyColumn ? undefined : columnsFor(TABLE_OF[path], relationsUnder(path), fields, path === 'claim' && cursors ? CURSOR_COLUMNS : []);
    if (read) columns.set(path, read);
    key.push(`${path}(${read?.join(',') ?? '*'})`);
  }
  return { key: key.join(' '), relations, columns };
}

function columnsFor(table: PgTable, relationFields: readonly string[], fields: ReadonlySet<string>, extra: readonly string[]): readonly string[] | undefined {
  const all = readable(table);
  for (const field of fields) {
    if (field !== '__typename' && !relationFields.includes(field) && !all.includes(field) && !NEVER_READ.get(table)?.includes(field)) return undefined;
  }
  const always = [...(ALWAYS_READ.get(table) ?? []), ...extra];
  return all.filter((column) => always.includes(column) || fields.has(column));
}

/** `'key', value` pairs of json_build_object for the columns of `table` to read (undefined: all). */
function jsonPairs(table: PgTable, alias: string, read: readonly string[] | undefined): string[] {
  const columns = getTableColumns(table);
  return (read ?? readable(table)).map((key) => {
    const column = columns[key]!;
    const value = `${alias}."${column.name}"`;
    return `'${key}', ${column.columnType === 'PgTimestamp' ? iso(value) : value}`;
  });
}

const object = (pairs: string[]) => `json_build_object(${pairs.join(', ')})`;
const orderOf = (alias: string, order: readonly PgColumn[]) => order.map((c) => `${alias}."${c.name}"`).join(', ');
const list = (row: string, from: string, alias: string, order: readonly PgColumn[]) =>
  `(select coalesce(json_agg(${row} order by ${orderOf(alias, order)}), '[]'::json) from ${from})`;

/**
 * The JSON object of one claim and the relations of `selection`, as SQL on the outer row "claims".
 * Columns are spelt out qualified: drizzle renders a column unqualified inside some subqueries,
 * where it would silently bind to the inner table's column of the same name.
 */
function claimObject(selection: ClaimPageSelection): string {
  const has = (path: string) => selection.relations.has(path as ClaimRelation);
  const pairs = (path: ClaimPath, alias: string) => jsonPairs(TABLE_OF[path], alias, selection.columns.get(path));
  const userById = (path: ClaimRelation, id: string) => `(select ${object(pairs(path, 'u'))} from users u where u.id = ${id})`;
  /** A row of `path` with the users named in `userFields` (GraphQL field → column) that the query asks for. */
  const rowWithUsers = (path: ClaimRelation, alias: string, userFields: Record<string, string>) => {
    const nested = Object.entries(userFields)
      .filter(([field]) => has(`${path}.${field}`))
      .map(([field, column]) => `'${field}', ${userById(`${path}.${field}` as ClaimRelation, `${alias}.${column}`)}`);
    return object(nested.length ? [...pairs(path, alias), `'fetched', ${object(nested)}`] : pairs(path, alias));
  };

  const fetched: string[] = [];
  if (has('article')) fetched.push(`'article', (select ${object(pairs('article', 'a'))} from articles a where a.id = "claims"."article_id")`);
  if (has('createdBy')) fetched.push(`'createdBy', ${userById('createdBy', '"claims"."created_by"')}`);
  if (has('assignments')) {
    const row = rowWithUsers('assignments', 'x', { reviewer: 'reviewer_id', assignedBy: 'assigned_by' });
    fetched.push(`'assignments', ${list(row, 'assignments x where x.claim_id = "claims"."id"', 'x', RELATION_ORDER.assignments)}`);
  }
  if (has('evidence')) {
    const row = rowWithUsers('evidence', 'e', { addedBy: 'added_by' });
    fetched.push(`'evidence', ${list(row, 'evidence e where e.claim_id = "claims"."id"', 'e', RELATION_ORDER.evidence)}`);
  }
  if (has('verdicts')) {
    const row = rowWithUsers('verdicts', 'v', { reviewer: 'reviewer_id' });
    fetched.push(`'verdicts', ${list(row, 'verdicts v where v.claim_id = "claims"."id" and v.round = "claims"."round"', 'v', RELATION_ORDER.verdicts)}`);
  }
  if (has('factCheck')) fetched.push(`'factCheck', (select ${object(pairs('factCheck', 'f'))} from fact_checks f where f.claim_id = "claims"."id")`);
  const own = pairs('claim', '"claims"');
  return object(fetched.length ? [...own, `'fetched', ${object(fetched)}`] : own);
}

export interface ClaimPageShape {
  /** What the statement depends on besides the selection: the order, which filters are given, whether a cursor is. */
  key: string;
  selection: ClaimPageSelection;
}

/** The statement of a shape: its filter, cursor and limit are placeholders, named as the values passed to run it. */
export interface ClaimPageStatement {
  keyset: Keyset;
  window: KeysetWindow;
}

type Values = Record<string, unknown>;
export interface PreparedClaimPage {
  /** The claims of the window, each with the relations asked for in `fetched`. */
  page(values: Values): Promise<ClaimRecord[]>;
  /** How many claims match the filter, over all pages. */
  count(values: Values): Promise<number>;
}

function prepareClaimPage(db: Queryable, selection: ClaimPageSelection, { keyset, window }: ClaimPageStatement): PreparedClaimPage {
  const page = inKeysetWindow(
    db
      .select({ claim: sql<ClaimRecord | string>`${sql.raw(claimObject(selection))}` })
      .from(claims)
      .$dynamic(),
    keyset,
    window,
  ).prepare('claim_page');
  const counted = db.select({ n: count() }).from(claims).where(window.where).prepare('claim_page_count');
  return {
    async page(values) {
      // postgres.js parses json; PGlite too, but a driver may hand over the text.
      return (await page.execute(values)).map(({ claim }) => (typeof claim === 'string' ? (JSON.parse(claim) as ClaimRecord) : claim));
    },
    async count(values) {
      return Number((await counted.execute(values))[0]?.n ?? 0);
    },
  };
}

/** Shapes remembered per database; a client varying its filters cannot make the process keep more. */
const MAX_SHAPES = 500;
const prepared = new WeakMap<Queryable, Map<string, PreparedClaimPage>>();

/**
 * A claim page's statements, built by drizzle and prepared once per shape and database (building
 * the dashboard's took ~1 ms of CPU per request); `statement()` is called only for a new shape.
 */
export function preparedClaimPage(db: Queryable, shape: ClaimPageShape, statement: () => ClaimPageStatement): PreparedClaimPage {
  let byShape = prepared.get(db);
  if (!byShape) prepared.set(db, (byShape = new Map()));
  const key = `${shape.key}|${shape.selection.key}`;
  let found = byShape.get(key);
  if (!found) {
    if (byShape.size >= MAX_SHAPES) byShape.delete(byShape.keys().next().value!);
    byShape.set(key, (found = prepareClaimPage(db, shape.selection, statement())));
  }
  return found;
}
