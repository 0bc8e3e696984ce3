import { and, eq, exists, inArray, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/connection.js';
import { selectClaimPage, type ClaimRelation } from '../../db/claim-relations.js';
import { countWhere } from '../../db/keyset.js';
import type { Loaders } from '../../db/loaders.js';
import { assignments, claims, type AssignmentRow, type ClaimRow } from '../../db/schema.js';
import {
  cursorTime, cursorTimeOrInfinity, cursorUuid, invalidCursor, keysetPage, pageLimit, pageWindow, timeOrInfinity, toPage,
  type KeysetOrder, type Page, type PageArgs,
} from '../pagination.js';
import { LIMITS, optionalText, parseInput, validDate } from '../validation.js';
import type { Viewer } from '../viewer.js';
import { isPublicFactCheck, requireReader, visibleVerdicts } from '../visibility.js';
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

// The sort keys of the indexes claims_created_idx, claims_due_idx and claims_priority_idx, expression for expression.
const NULL_DUE = sql`'infinity'::timestamptz`;
const PRIORITY_RANK = sql`(CASE ${claims.priority} WHEN 'URGENT' THEN 0 WHEN 'HIGH' THEN 1 WHEN 'NORMAL' THEN 2 ELSE 3 END)`;
export const claimOrders: Record<ClaimOrder, KeysetOrder<ClaimRow>> = {
  CREATED_AT_DESC: {
    keys: [claims.createdAt, claims.id],
    direction: 'desc',
    cursorOf: (c) => [c.createdAt.toISOString(), c.id],
    parse: ([at, id]) => [cursorTime(at), cursorUuid(id)],
  },
  DUE_AT_ASC: {
    keys: [sql`coalesce(${claims.dueAt}, ${NULL_DUE})`, claims.id],
    direction: 'asc',
    cursorOf: (c) => [timeOrInfinity(c.dueAt), c.id],
    parse: ([due, id]) => [cursorTimeOrInfinity(due), cursorUuid(id)],
  },
  PRIORITY_DESC: {
    keys: [PRIORITY_RANK, sql`coalesce(${claims.dueAt}, ${NULL_DUE})`, claims.id],
    direction: 'asc',
    cursorOf: (c) => [PRIORITIES.length - 1 - PRIORITIES.indexOf(c.priority), timeOrInfinity(c.dueAt), c.id],
    parse: ([rank, due, id]) => {
      if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 0 || rank >= PRIORITIES.length) throw invalidCursor();
      return [rank, cursorTimeOrInfinity(due), cursorUuid(id)];
    },
  },
};

/** The claims filter (validated; BAD_USER_INPUT naming `filter.<field>` otherwise) as a condition on claims. */
export function claimFilterCondition(db: Queryable, input: ClaimFilter) {
  const filter = parseInput(filterInput, input, 'filter') ?? {};
  return and(
    filter.status?.length ? inArray(claims.status, filter.status) : undefined,
    filter.priority?.length ? inArray(claims.priority, filter.priority) : undefined,
    filter.articleId ? eq(claims.articleId, filter.articleId) : undefined,
    filter.reviewerId
      ? exists(db.select({ one: sql`1` }).from(assignments).where(and(eq(assignments.claimId, claims.id), eq(assignments.reviewerId, filter.reviewerId))))
      : undefined,
    filter.search ? sql`${claims.searchVector} @@ websearch_to_tsquery('simple', ${filter.search})` : undefined,
    filter.dueBefore ? lt(claims.dueAt, filter.dueBefore) : undefined,
  );
}

/**
 * `relations`: what the query asks for of each claim (the look-ahead); the page's one statement
 * fetches them too and primes the loaders with them (src/db/claim-relations.ts).
 */
export async function listClaims(
  db: Queryable,
  loaders: Loaders,
  viewer: Viewer | null,
  args: PageArgs & { filter?: ClaimFilter; orderBy?: ClaimOrder | null },
  relations: ReadonlySet<ClaimRelation> = new Set(),
): Promise<Page<ClaimRow>> {
  requireReader(viewer, 'Claim');
  const order = claimOrders[args.orderBy ?? 'CREATED_AT_DESC'];
  const window = pageWindow(order, args);
  const where = claimFilterCondition(db, args.filter);
  const rows = await selectClaimPage(db, loaders, { keyset: order, window: { ...window, where }, relations });
  return toPage(rows, window.pageSize, order.cursorOf, () => countWhere(db, claims, where));
}

/**
 * Article.claims: newest first. The first page of every article on a page comes from one batched
 * statement (the loaders); a later page (`after`) is the filtered list of one article.
 */
export async function listArticleClaims(
  db: Queryable,
  loaders: Loaders,
  viewer: Viewer | null,
  articleId: string,
  args: PageArgs,
): Promise<Page<ClaimRow>> {
  requireReader(viewer, 'Claim');
  if (args.after) return listClaims(db, loaders, viewer, { filter: { articleId }, orderBy: 'CREATED_AT_DESC', first: args.first, after: args.after });
  const limit = pageLimit(args.first);
  const rows = await loaders.firstClaimsOfArticle(limit).load(articleId);
  return toPage(rows, limit, claimOrders.CREATED_AT_DESC.cursorOf, () => loaders.claimCountByArticle.load(articleId));
}

const soonestDueFirst: KeysetOrder<AssignmentRow> = {
  keys: [sql`coalesce(${assignments.dueAt}, ${NULL_DUE})`, assignments.assignedAt, assignments.id],
  direction: 'asc',
  cursorOf: (a) => [timeOrInfinity(a.dueAt), a.assignedAt.toISOString(), a.id],
  parse: ([due, at, id]) => [cursorTimeOrInfinity(due), cursorTime(at), cursorUuid(id)],
};

/** The viewer's own assignments, soonest due first (no due date last). */
export async function listMyAssignments(db: Queryable, viewer: Viewer | null, args: PageArgs & { state?: AssignmentState | null }): Promise<Page<AssignmentRow>> {
  const me = requireReader(viewer, 'Assignment');
  const state = parseInput(z.enum(ASSIGNMENT_STATES), args.state ?? 'ACTIVE', 'state');
  const where = and(eq(assignments.reviewerId, me.id), eq(assignments.state, state));
  return keysetPage(db.select().from(assignments).$dynamic(), soonestDueFirst, args, where, () => countWhere(db, assignments, where));
}

/** One claim, or null (staff only). */
export async function getClaim(loaders: Loaders, viewer: Viewer | null, id: string) {
  requireReader(viewer, 'Claim');
  return loaders.claim.load(id);
}

/** The verdicts of the claim's current round that the viewer may see (blind review). */
export async function claimVerdicts(loaders: Loaders, viewer: Viewer | null, claim: ClaimRow) {
  const me = requireReader(viewer, 'Verdict');
  return visibleVerdicts(me, await loaders.verdictsByRound.load({ claimId: claim.id, round: claim.round }));
}

/** Every change to the claim, oldest first (the notes hold no rating: blind review). */
export async function claimHistory(loaders: Loaders, viewer: Viewer | null, claim: ClaimRow) {
  requireReader(viewer, 'ClaimEvent');
  return loaders.eventsByClaim.load(claim.id);
}

/** The claim's fact check while partners may see it; null before publication and once retracted. */
export async function claimFactCheck(loaders: Loaders, claim: ClaimRow) {
  const factCheck = await loaders.factCheckByClaim.load(claim.id);
  return factCheck && isPublicFactCheck(factCheck) ? factCheck : null;
}
