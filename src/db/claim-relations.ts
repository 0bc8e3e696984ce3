/**
 * A page of claims with the relations a query asks for (the look-ahead), in one statement. Postgres
 * builds each claim as JSON in the shape the GraphQL types read: the rows' own field names as keys,
 * timestamps as the ISO strings the DateTime scalar emits, and the relations the query asks for
 * (its article, assignments, an assignment's reviewer…) under `fetched`, by GraphQL field name.
 * A field resolver reads `fetched` first and its DataLoader only for what the page did not fetch.
 * A dashboard page is one statement. `selectClaimPage` is the one entry.
 */
import { count, getTableColumns, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Queryable } from './connection.js';
import { inKeysetWindow, type Keyset, type KeysetWindow } from './keyset.js';
import { RELATION_ORDER } from './loaders.js';
import {
  articles,
  assignments,
  claims,
  evidence,
  factChecks,
  users,
  type ArticleRow,
  type AssignmentRow,
  type ClaimRow,
  type EvidenceRow,
  type FactCheckRow,
  type UserRow,
  type VerdictRow,
  verdicts,
} from './schema.js';

/** The relations a page can fetch with each claim; `a.b` is relation b of every a. */
export const CLAIM_RELATIONS = [
  'article',
  'createdBy',
  'factCheck',
  'assignments',
  'assignments.reviewer',
  'assignments.assignedBy',
  'evidence',
  'evidence.addedBy',
  'verdicts',
  'verdicts.reviewer',
] as const;
export type ClaimRelation = (typeof CLAIM_RELATIONS)[number];

/** A row as a page's JSON carries it: timestamps as ISO strings (`2025-01-31T12:00:00.000Z`). */
export type JsonRow<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };
/** What a page fetched with a row, by GraphQL field name; absent: not fetched (the loader's turn). */
export type Fetched<R> = { readonly fetched?: Partial<R> };
/** A row however it was read: by drizzle (Dates) or from a page's JSON (ISO strings), with what was fetched with it. */
export type Readable<T, R = Record<never, never>> = (T | JsonRow<T>) & Fetched<R>;

export type UserRecord = Readable<UserRow>;
/** An article as lists prefetch it: without its body (up to a million characters), loaded on demand. */
export type ArticleRecord = Readable<Omit<ArticleRow, 'body'>> & { body?: string };
export type AssignmentRecord = Readable<AssignmentRow, { reviewer: UserRecord; assignedBy: UserRecord }>;
export type EvidenceRecord = Readable<EvidenceRow, { addedBy: UserRecord }>;
export type VerdictRecord = Readable<VerdictRow, { reviewer: UserRecord }>;
export type FactCheckRecord = Readable<Omit<FactCheckRow, 'searchVector'>>;
/** A claim as pages and loaders yield it (a page leaves out the search vector, which only SQL reads). */
export type ClaimRecord = Readable<
  Omit<ClaimRow, 'searchVector'>,
  {
    article: ArticleRecord;
    createdBy: UserRecord;
    assignments: AssignmentRecord[];
    evidence: EvidenceRecord[];
    verdicts: VerdictRecord[];
    /** null: the claim has none. */
    factCheck: FactCheckRecord | null;
  }
>;

/** Exactly what `Date.prototype.toISOString` writes, for the years 1 to 9999 that the API stores. */
const iso = (expr: string) => `to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** `'key', value` pairs of json_build_object for a table's columns; generated columns left out. */
function jsonPairs(table: PgTable, alias: string, omit: readonly string[] = []): string[] {
  return Object.entries(getTableColumns(table))
    .filter(([key, column]) => !omit.includes(key) && !(column as PgColumn).generated)
    .map(([key, column]) => {
      const value = `${alias}."${column.name}"`;
      return `'${key}', ${column.columnType === 'PgTimestamp' ? iso(value) : value}`;
    });
}

const object = (pairs: string[]) => `json_build_object(${pairs.join(', ')})`;
const orderOf = (alias: string, order: readonly PgColumn[]) => order.map((c) => `${alias}."${c.name}"`).join(', ');
const userById = (id: string) => `(select ${object(jsonPairs(users, 'u'))} from users u where u.id = ${id})`;

/** A row of `table` with the users named in its `userFields` (GraphQL field → column) that the query asks for. */
function rowWithUsers(table: PgTable, alias: string, wanted: (field: string) => boolean, userFields: Record<string, string>): string {
  const nested = Object.entries(userFields)
    .filter(([field]) => wanted(field))
    .map(([field, column]) => `'${field}', ${userById(`${alias}.${column}`)}`);
  const pairs = jsonPairs(table, alias);
  return object(nested.length ? [...pairs, `'fetched', ${object(nested)}`] : pairs);
}

const list = (row: string, from: string, alias: string, order: readonly PgColumn[]) =>
  `(select coalesce(json_agg(${row} order by ${orderOf(alias, order)}), '[]'::json) from ${from})`;

/** Article bodies can be a million characters: the page leaves them out; Article.body loads them when asked. */
const ARTICLE_OMIT = ['body'];

/**
 * The JSON object of one claim's relations, as SQL on the outer row "claims". Its columns are
 * spelt out qualified: drizzle renders a column unqualified inside some subqueries, where it would
 * silently bind to the inner table's column of the same name.
 */
function fetchedObject(include: ReadonlySet<ClaimRelation>): string {
  const has = (relation: string) => include.has(relation as ClaimRelation);
  const pairs: string[] = [];
  if (has('article')) pairs.push(`'article', (select ${object(jsonPairs(articles, 'a', ARTICLE_OMIT))} from articles a where a.id = "claims"."article_id")`);
  if (has('createdBy')) pairs.push(`'createdBy', ${userById('"claims"."created_by"')}`);
  if (has('assignments')) {
    const row = rowWithUsers(assignments, 'x', (f) => has(`assignments.${f}`), { reviewer: 'reviewer_id', assignedBy: 'assigned_by' });
    pairs.push(`'assignments', ${list(row, 'assignments x where x.claim_id = "claims"."id"', 'x', RELATION_ORDER.assignments)}`);
  }
  if (has('evidence')) {
    const row = rowWithUsers(evidence, 'e', (f) => has(`evidence.${f}`), { addedBy: 'added_by' });
    pairs.push(`'evidence', ${list(row, 'evidence e where e.claim_id = "claims"."id"', 'e', RELATION_ORDER.evidence)}`);
  }
  if (has('verdicts')) {
    const row = rowWithUsers(verdicts, 'v', (f) => has(`verdicts.${f}`), { reviewer: 'reviewer_id' });
    pairs.push(`'verdicts', ${list(row, 'verdicts v where v.claim_id = "claims"."id" and v.round = "claims"."round"', 'v', RELATION_ORDER.verdicts)}`);
  }
  if (has('factCheck')) pairs.push(`'factCheck', (select ${object(jsonPairs(factChecks, 'f'))} from fact_checks f where f.claim_id = "claims"."id")`);
  return object(pairs);
}

/** The claim's own columns: all but the search vector, which only SQL reads. */
const CLAIM_PAIRS = jsonPairs(claims, '"claims"');

const claimSql = new Map<string, string>();
/** One claim as JSON, with what `include` names in `fetched`; built once per set of relations. */
function claimObject(include: ReadonlySet<ClaimRelation>) {
  const key = [...include].sort().join(',');
  let text = claimSql.get(key);
  if (text === undefined) claimSql.set(key, (text = object(include.size ? [...CLAIM_PAIRS, `'fetched', ${fetchedObject(include)}`] : CLAIM_PAIRS)));
  return sql.raw(text);
}

export interface ClaimPageShape {
  /** What the statement depends on besides the relations: the order, which filters are given, whether a cursor is. */
  key: string;
  relations: ReadonlySet<ClaimRelation>;
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

function prepareClaimPage(db: Queryable, relations: ReadonlySet<ClaimRelation>, { keyset, window }: ClaimPageStatement): PreparedClaimPage {
  const page = inKeysetWindow(
    db
      .select({ claim: sql<ClaimRecord | string>`${claimObject(relations)}` })
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
  const key = `${shape.key}|${[...shape.relations].sort().join(',')}`;
  let found = byShape.get(key);
  if (!found) {
    if (byShape.size >= MAX_SHAPES) byShape.delete(byShape.keys().next().value!);
    byShape.set(key, (found = prepareClaimPage(db, shape.relations, statement())));
  }
  return found;
}
