import { and, count, eq, exists, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/connection.js';
import type { Loaders } from '../../db/loaders.js';
import { assignments, claims, type AssignmentRow, type ClaimRow, type VerdictRow } from '../../db/schema.js';
import { decodeCursor, invalidCursor, cursorDate, cursorUuid, pageLimit, toPage, type Page, type PageArgs } from '../pagination.js';
import { LIMITS, optionalText, parseInput, validDate } from '../validation.js';
import { EDITORS, STAFF, requireRole, type Viewer } from '../viewer.js';
import { ASSIGNMENT_STATES, CLAIM_STATUSES, PRIORITIES, type AssignmentState, type ClaimOrder } from '../../model/enums.js';

const filterInput = z
  .object({
    status: z.array(z.enum(CLAIM_STATUSES)).nullish(),
    articleId: z.string().nullish(),
    reviewerId: z.string().nullish(),
    priority: z.array(z.enum(PRIORITIES)).nullish(),
    search: optionalText(LIMITS.short),
    dueBefore: validDate.nullish(),
  })
  .nullish();
export type ClaimFilter = z.input<typeof filterInput>;

// Every order is a tuple compared ascending, so one row comparison serves as the keyset condition.
const NULL_DUE = sql`'infinity'::timestamptz`;
const PRIORITY_RANK = sql`(CASE ${claims.priority} WHEN 'URGENT' THEN 0 WHEN 'HIGH' THEN 1 WHEN 'NORMAL' THEN 2 ELSE 3 END)`;
const orders: Record<ClaimOrder, { keys: SQL[]; direction: 'asc' | 'desc'; cursorOf: (c: ClaimRow) => (string | number | null)[]; parse: (v: (string | number | null)[]) => unknown[] }> = {
  CREATED_AT_DESC: {
    keys: [sql`${claims.createdAt}`, sql`${claims.id}`],
    direction: 'desc',
    cursorOf: (c) => [c.createdAt.toISOString(), c.id],
    parse: ([at, id]) => [cursorDate(at).toISOString(), cursorUuid(id)],
  },
  DUE_AT_ASC: {
    keys: [sql`coalesce(${claims.dueAt}, ${NULL_DUE})`, sql`${claims.id}`],
    direction: 'asc',
    cursorOf: (c) => [c.dueAt?.toISOString() ?? 'infinity', c.id],
    parse: ([due, id]) => [due === 'infinity' ? 'infinity' : cursorDate(due).toISOString(), cursorUuid(id)],
  },
  PRIORITY_DESC: {
    keys: [PRIORITY_RANK, sql`coalesce(${claims.dueAt}, ${NULL_DUE})`, sql`${claims.id}`],
    direction: 'asc',
    cursorOf: (c) => [PRIORITIES.length - 1 - PRIORITIES.indexOf(c.priority), c.dueAt?.toISOString() ?? 'infinity', c.id],
    parse: ([rank, due, id]) => {
      if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 0 || rank >= PRIORITIES.length) throw invalidCursor();
      return [rank, due === 'infinity' ? 'infinity' : cursorDate(due).toISOString(), cursorUuid(id)];
    },
  },
};

export type PrefetchedClaim = ClaimRow & { prefetched?: Record<string, unknown> };

/**
 * `prefetch`: extra columns computed per claim in the same statement (the caller's look-ahead,
 * see src/db/claim-relations.ts); their values come back on each row as `prefetched`.
 */
export async function listClaims(
  db: Queryable,
  viewer: Viewer | null,
  args: PageArgs & { filter?: ClaimFilter; orderBy?: ClaimOrder | null },
  prefetch: Record<string, SQL.Aliased> = {},
): Promise<Page<PrefetchedClaim>> {
  requireRole(viewer, STAFF);
  const limit = pageLimit(args.first);
  const filter = parseInput(filterInput, args.filter, 'filter') ?? {};
  const order = orders[args.orderBy ?? 'CREATED_AT_DESC'];
  const conditions: (SQL | undefined)[] = [
    filter.status?.length ? inArray(claims.status, filter.status) : undefined,
    filter.priority?.length ? inArray(claims.priority, filter.priority) : undefined,
    filter.articleId ? eq(claims.articleId, filter.articleId) : undefined,
    filter.reviewerId
      ? exists(db.select({ one: sql`1` }).from(assignments).where(and(eq(assignments.claimId, claims.id), eq(assignments.reviewerId, filter.reviewerId))))
      : undefined,
    filter.search ? sql`${claims.searchVector} @@ websearch_to_tsquery('simple', ${filter.search})` : undefined,
    filter.dueBefore ? lt(claims.dueAt, filter.dueBefore) : undefined,
  ];
  const where = and(...conditions);
  let after: SQL | undefined;
  if (args.after) {
    const values = order.parse(decodeCursor(args.after, order.keys.length));
    const comparison = order.direction === 'desc' ? sql`<` : sql`>`;
    after = sql`(${sql.join(order.keys, sql`, `)}) ${comparison} (${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
  }
  const orderBy = order.keys.map((k) => (order.direction === 'desc' ? sql`${k} desc` : sql`${k} asc`));
  const rows: PrefetchedClaim[] = Object.keys(prefetch).length
    ? (await db.select({ claim: claims, ...prefetch }).from(claims).where(and(where, after)).orderBy(...orderBy).limit(limit + 1)).map(
        ({ claim, ...prefetched }) => ({ ...(claim as ClaimRow), prefetched }),
      )
    : await db.select().from(claims).where(and(where, after)).orderBy(...orderBy).limit(limit + 1);
  return toPage(rows, limit, order.cursorOf, async () => {
    const [row] = await db.select({ n: count() }).from(claims).where(where);
    return Number(row?.n ?? 0);
  });
}

/**
 * Article.claims: newest first. The first page of every article on a page comes from one batched
 * statement (the loaders); a later page (`after`) is the filtered list of one article.
 */
export async function listArticleClaims(
  db: Queryable,
  loaders: Pick<Loaders, 'firstClaimsOfArticle' | 'claimCountByArticle'>,
  viewer: Viewer | null,
  articleId: string,
  args: PageArgs,
): Promise<Page<ClaimRow>> {
  requireRole(viewer, STAFF);
  if (args.after) return listClaims(db, viewer, { filter: { articleId }, orderBy: 'CREATED_AT_DESC', first: args.first, after: args.after });
  const limit = pageLimit(args.first);
  const rows = await loaders.firstClaimsOfArticle(limit).load(articleId);
  return toPage(rows, limit, orders.CREATED_AT_DESC.cursorOf, () => loaders.claimCountByArticle.load(articleId));
}

/** The viewer's own assignments, soonest due first (no due date last). */
export async function listMyAssignments(db: Queryable, viewer: Viewer | null, args: PageArgs & { state?: AssignmentState | null }): Promise<Page<AssignmentRow>> {
  const me = requireRole(viewer, STAFF);
  const limit = pageLimit(args.first);
  const state = parseInput(z.enum(ASSIGNMENT_STATES), args.state ?? 'ACTIVE', 'state');
  const where = and(eq(assignments.reviewerId, me.id), eq(assignments.state, state));
  const keys = [sql`coalesce(${assignments.dueAt}, ${NULL_DUE})`, sql`${assignments.assignedAt}`, sql`${assignments.id}`];
  let after: SQL | undefined;
  if (args.after) {
    const [due, at, id] = decodeCursor(args.after, 3);
    const values = [due === 'infinity' ? 'infinity' : cursorDate(due).toISOString(), cursorDate(at).toISOString(), cursorUuid(id)];
    after = sql`(${sql.join(keys, sql`, `)}) > (${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
  }
  const rows = await db.select().from(assignments).where(and(where, after)).orderBy(...keys).limit(limit + 1);
  return toPage(rows, limit, (a) => [a.dueAt?.toISOString() ?? 'infinity', a.assignedAt.toISOString(), a.id], async () => {
    const [row] = await db.select({ n: count() }).from(assignments).where(where);
    return Number(row?.n ?? 0);
  });
}

/**
 * Blind review: a reviewer sees the other verdicts of the round only once their own is in;
 * editors and admins see all; partners none (they are refused before this).
 */
export function visibleVerdicts(viewer: Viewer, roundVerdicts: readonly VerdictRow[]): readonly VerdictRow[] {
  if (EDITORS.includes(viewer.role)) return roundVerdicts;
  if (viewer.role !== 'REVIEWER') return [];
  return roundVerdicts.some((v) => v.reviewerId === viewer.id) ? roundVerdicts : [];
}
