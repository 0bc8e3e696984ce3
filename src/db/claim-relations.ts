/**
 * A page of claims with the relations a query asks for (the look-ahead), in one statement: each
 * relation is a JSON column of the page (a correlated subquery), primed into the request's
 * DataLoaders, so the field resolvers find it without another round trip. A dashboard page is one
 * statement. `selectClaimPage` is the one entry: it builds, runs and primes.
 */
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Queryable } from './connection.js';
import { inKeysetWindow, type Keyset, type KeysetWindow } from './keyset.js';
import { RELATION_ORDER, type ArticleRecord, type Loaders } from './loaders.js';
import {
  articles, assignments, claims, evidence, factChecks, users,
  type AssignmentRow, type ClaimRow, type EvidenceRow, type FactCheckRow, type UserRow, type VerdictRow, verdicts,
} from './schema.js';

export const CLAIM_RELATIONS = ['article', 'createdBy', 'assignments', 'evidence', 'verdicts', 'factCheck'] as const;
export type ClaimRelation = (typeof CLAIM_RELATIONS)[number];

/** Columns to read from JSON, with drizzle's own mapping (timestamps to Date, …); generated columns left out. */
const readableCache = new Map<PgTable, Map<string, [string, PgColumn][]>>();
function readable(table: PgTable, omit: readonly string[] = []): [string, PgColumn][] {
  const byOmit = readableCache.get(table) ?? readableCache.set(table, new Map()).get(table)!;
  const key = omit.join(',');
  let columns = byOmit.get(key);
  if (!columns) {
    columns = Object.entries(getTableColumns(table)).filter(([name, column]) => !omit.includes(name) && !(column as PgColumn).generated) as [string, PgColumn][];
    byOmit.set(key, columns);
  }
  return columns;
}

function jsonRow(table: PgTable, alias: string, omit: readonly string[] = []): SQL {
  const pairs = readable(table, omit).map(([key, column]) => sql.raw(`'${key}', ${alias}."${column.name}"`));
  return sql`json_build_object(${sql.join(pairs, sql`, `)})`;
}

function fromJson<T>(table: PgTable, value: Record<string, unknown>, omit: readonly string[] = []): T {
  const row: Record<string, unknown> = {};
  for (const [key, column] of readable(table, omit)) {
    const raw = value[key];
    row[key] = raw === null || raw === undefined ? null : column.mapFromDriverValue(raw);
  }
  return row as T;
}

const jsonArray = (table: PgTable, alias: string, from: SQL, order: readonly PgColumn[]) =>
  sql`(select coalesce(json_agg(${jsonRow(table, alias)} order by ${sql.raw(order.map((c) => `${alias}."${c.name}"`).join(', '))}), '[]'::json) from ${from})`;

/** Article bodies can be a million characters: the page leaves them out; Article.body loads them when asked. */
const ARTICLE_OMIT = ['body'] as const;

/** The extra columns for `include`; `users` carries every user the relations name. */
// The outer row's columns, spelt out: drizzle renders a column unqualified inside some subqueries,
// where it would silently bind to the inner table's column of the same name.
const outer = (column: keyof typeof claims.$inferSelect) => sql.raw(`"claims"."${claims[column].name}"`);

function claimRelationColumns(include: ReadonlySet<ClaimRelation>): Record<string, SQL.Aliased> {
  const columns: Record<string, SQL.Aliased> = {};
  const c = { id: outer('id'), articleId: outer('articleId'), round: outer('round'), createdBy: outer('createdBy') };
  if (include.has('article')) columns.rel_article = sql`(select ${jsonRow(articles, 'a', ARTICLE_OMIT)} from ${articles} a where a.id = ${c.articleId})`.as('rel_article');
  if (include.has('assignments')) columns.rel_assignments = jsonArray(assignments, 'x', sql`${assignments} x where x.claim_id = ${c.id}`, RELATION_ORDER.assignments).as('rel_assignments');
  if (include.has('evidence')) columns.rel_evidence = jsonArray(evidence, 'e', sql`${evidence} e where e.claim_id = ${c.id}`, RELATION_ORDER.evidence).as('rel_evidence');
  if (include.has('verdicts')) columns.rel_verdicts = jsonArray(verdicts, 'v', sql`${verdicts} v where v.claim_id = ${c.id} and v.round = ${c.round}`, RELATION_ORDER.verdicts).as('rel_verdicts');
  if (include.has('factCheck')) columns.rel_fact_check = sql`(select ${jsonRow(factChecks, 'f')} from ${factChecks} f where f.claim_id = ${c.id})`.as('rel_fact_check');
  if (include.size) {
    const named = sql`select ${c.createdBy}
      union select reviewer_id from assignments where claim_id = ${c.id} union select assigned_by from assignments where claim_id = ${c.id}
      union select added_by from evidence where claim_id = ${c.id} union select reviewer_id from verdicts where claim_id = ${c.id}`;
    columns.rel_users = sql`(select coalesce(json_agg(${jsonRow(users, 'u')}), '[]'::json) from ${users} u where u.id in (${named}))`.as('rel_users');
  }
  return columns;
}

type Json = Record<string, unknown>;
const parsed = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as Json | Json[] | null;

export interface ClaimPageRequest {
  keyset: Keyset;
  window: KeysetWindow;
  relations: ReadonlySet<ClaimRelation>;
}

/** The claims of a keyset window, with `relations` primed into `loaders`. */
export async function selectClaimPage(db: Queryable, loaders: Loaders, { keyset, window, relations }: ClaimPageRequest): Promise<ClaimRow[]> {
  const query = db.select({ claim: claims, ...claimRelationColumns(relations) }).from(claims).$dynamic();
  const rows = (await inKeysetWindow(query, keyset, window)) as ({ claim: ClaimRow } & Json)[];
  if (relations.size) for (const row of rows) primeClaimRelations(loaders, row.claim, row);
  return rows.map((row) => row.claim);
}

/** Puts what the page fetched of one claim into the loaders the field resolvers use. */
function primeClaimRelations(loaders: Loaders, claim: ClaimRow, p: Json) {
  loaders.claim.prime(claim.id, claim);
  if ('rel_users' in p) for (const u of (parsed(p.rel_users) as Json[]) ?? []) loaders.user.prime(String(u.id), fromJson<UserRow>(users, u));
  if ('rel_article' in p && p.rel_article) loaders.article.prime(claim.articleId, fromJson<ArticleRecord>(articles, parsed(p.rel_article) as Json, ARTICLE_OMIT));
  if ('rel_assignments' in p) loaders.assignmentsByClaim.prime(claim.id, (parsed(p.rel_assignments) as Json[]).map((a) => fromJson<AssignmentRow>(assignments, a)));
  if ('rel_evidence' in p) loaders.evidenceByClaim.prime(claim.id, (parsed(p.rel_evidence) as Json[]).map((e) => fromJson<EvidenceRow>(evidence, e)));
  if ('rel_verdicts' in p) loaders.verdictsByRound.prime({ claimId: claim.id, round: claim.round }, (parsed(p.rel_verdicts) as Json[]).map((v) => fromJson<VerdictRow>(verdicts, v)));
  if ('rel_fact_check' in p) {
    const fc = parsed(p.rel_fact_check) as Json | null;
    loaders.factCheckByClaim.prime(claim.id, fc ? fromJson<FactCheckRow>(factChecks, fc) : null);
  }
}
