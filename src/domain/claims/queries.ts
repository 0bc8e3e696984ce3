import { and, eq, exists, inArray, lt, sql, type Placeholder } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/connection.js';
import { EVERY_CLAIM_COLUMN, preparedClaimPage, type ClaimPageSelection } from '../../db/claim-page.js';
import type { ClaimRecord, FactCheckRecord, VerdictRecord } from '../../db/records.js';
import { countWhere } from '../../db/keyset.js';
import type { Loaders } from '../../db/loaders.js';
import { assignments, claims, type AssignmentRow } from '../../db/schema.js';
import {
  cursorTime,
  cursorTimeOrInfinity,
  cursorUuid,
  invalidCursor,
  keysetPage,
  pageLimit,
  pageWindow,
  timeOrInfinity,
  toPage,
  type KeysetOrder,
  type Page,
  type PageArgs,
} from '../pagination.js';
import { isoTime } from '../../model/time.js';
import { LIMITS, optionalText, parseInput, validDate } from '../validation.js';
import type { Viewer } from '../viewer.js';
import { isPublicFactCheck, requireReader, visibleVerdicts } from '../visibility.js';
import { ASSIGNMENT_STATES, CLAIM_STATUSES, PRIORITIES, type AssignmentState, type ClaimOrder, type ClaimStatus, type Priority } from '../../model/enums.js';

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
export const claimOrders: Record<ClaimOrder, KeysetOrder<ClaimRecord>> = {
  CREATED_AT_DESC: {
    keys: [claims.createdAt, claims.id],
    direction: 'desc',
    cursorOf: (c) => [isoTime(c.createdAt), c.id],
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

/** A filter value, or a placeholder for it in the statement prepared once per shape of filter. */
type Bound<T> = T | Placeholder;
interface ClaimFilterValues {
  status: Bound<ClaimStatus>[];
  priority: Bound<Priority>[];
  articleId: Bound<string> | null;
  reviewerId: Bound<string> | null;
  search: Bound<string> | null;
  /** Run with the ISO string, the way postgres.js takes a timestamp parameter. */
  dueBefore: Bound<Date> | null;
}

function claimConditions(db: Queryable, filter: ClaimFilterValues) {
  return and(
    filter.status.length ? inArray(claims.status, filter.status) : undefined,
    filter.priority.length ? inArray(claims.priority, filter.priority) : undefined,
    filter.articleId ? eq(claims.articleId, filter.articleId) : undefined,
    filter.reviewerId
      ? exists(
          db
            .select({ one: sql`1` })
            .from(assignments)
            .where(and(eq(assignments.claimId, claims.id), eq(assignments.reviewerId, filter.reviewerId))),
        )
      : undefined,
    filter.search ? sql`${claims.searchVector} @@ websearch_to_tsquery('simple', ${filter.search})` : undefined,
    filter.dueBefore ? lt(claims.dueAt, filter.dueBefore) : undefined,
  );
}

/** The claims filter (validated; BAD_USER_INPUT naming `filter.<field>` otherwise) as a condition on claims, its values inline (the exports' batches). */
export function claimFilterCondition(db: Queryable, input: ClaimFilter) {
  const filter = parseInput(filterInput, input, 'filter') ?? {};
  return claimConditions(db, {
    status: filter.status ?? [],
    priority: filter.priority ?? [],
    articleId: filter.articleId ?? null,
    reviewerId: filter.reviewerId ?? null,
    search: filter.search ?? null,
    dueBefore: filter.dueBefore ?? null,
  });
}

/**
 * `selection`: what the query asks for of each claim (the look-ahead); the page's one statement
 * reads those columns and fetches those relations too, in each claim's `fetched`
 * (src/db/claim-page.ts). The statement is prepared once per shape: the order, the
 * selection, which filters are given (how many statuses and priorities) and whether a cursor is;
 * the values are its placeholders.
 */
export async function listClaims(
  db: Queryable,
  viewer: Viewer | null,
  args: PageArgs & { filter?: ClaimFilter; orderBy?: ClaimOrder | null },
  selection: ClaimPageSelection = EVERY_CLAIM_COLUMN,
): Promise<Page<ClaimRecord>> {
  requireReader(viewer, 'Claim');
  const orderName = args.orderBy ?? 'CREATED_AT_DESC';
  const order = claimOrders[orderName];
  const window = pageWindow(order, args);
  const filter = parseInput(filterInput, args.filter, 'filter') ?? {};
  const given: ClaimFilterValues = {
    status: [...new Set(filter.status ?? [])],
    priority: [...new Set(filter.priority ?? [])],
    articleId: filter.articleId ?? null,
    reviewerId: filter.reviewerId ?? null,
    search: filter.search ?? null,
    dueBefore: filter.dueBefore ?? null,
  };
  const values: Record<string, unknown> = {
    limit: window.limit,
    articleId: given.articleId,
    reviewerId: given.reviewerId,
    search: given.search,
    dueBefore: filter.dueBefore?.toISOString(),
  };
  given.status.forEach((s, i) => (values[`status${i}`] = s));
  given.priority.forEach((s, i) => (values[`priority${i}`] = s));
  window.after?.forEach((v, i) => (values[`after${i}`] = v));
  const p = (name: string) => sql.placeholder(name);
  const shape = {
    key: JSON.stringify([
      orderName,
      given.status.length,
      given.priority.length,
      !!given.articleId,
      !!given.reviewerId,
      !!given.search,
      !!given.dueBefore,
      !!window.after,
    ]),
    selection,
  };
  const statement = preparedClaimPage(db, shape, () => ({
    keyset: order,
    window: {
      where: claimConditions(db, {
        status: given.status.map((_, i) => p(`status${i}`)),
        priority: given.priority.map((_, i) => p(`priority${i}`)),
        articleId: given.articleId && p('articleId'),
        reviewerId: given.reviewerId && p('reviewerId'),
        search: given.search && p('search'),
        dueBefore: given.dueBefore && p('dueBefore'),
      }),
      after: window.after?.map((_, i) => p(`after${i}`)),
      limit: p('limit'),
    },
  }));
  const rows = await statement.page(values);
  return toPage(rows, window.pageSize, order.cursorOf, () => statement.count(values));
}

/**
 * Article.claims: newest first. The first page of every article on a page comes from one batched
 * statement (the loaders); a later page (`after`) is the filtered list of one article.
 */
export async function listArticleClaims(db: Queryable, loaders: Loaders, viewer: Viewer | null, articleId: string, args: PageArgs): Promise<Page<ClaimRecord>> {
  requireReader(viewer, 'Claim');
  if (args.after) return listClaims(db, viewer, { filter: { articleId }, orderBy: 'CREATED_AT_DESC', first: args.first, after: args.after });
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
export async function listMyAssignments(
  db: Queryable,
  viewer: Viewer | null,
  args: PageArgs & { state?: AssignmentState | null },
): Promise<Page<AssignmentRow>> {
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

/** The verdicts of the claim's current round that the viewer may see (blind review): those its page fetched, or from the loader. */
export function claimVerdicts(loaders: Loaders, viewer: Viewer | null, claim: ClaimRecord): readonly VerdictRecord[] | Promise<readonly VerdictRecord[]> {
  const me = requireReader(viewer, 'Verdict');
  const fetched = claim.fetched?.verdicts;
  if (fetched) return visibleVerdicts(me, fetched);
  return loaders.verdictsByRound.load({ claimId: claim.id, round: claim.round }).then((round) => visibleVerdicts(me, round));
}

/** Every change to the claim, oldest first (the notes hold no rating: blind review). */
export async function claimHistory(loaders: Loaders, viewer: Viewer | null, claim: ClaimRecord) {
  requireReader(viewer, 'ClaimEvent');
  return loaders.eventsByClaim.load(claim.id);
}

/** The claim's fact check while partners may see it; null before publication and once retracted. */
export function claimFactCheck(loaders: Loaders, claim: ClaimRecord): FactCheckRecord | null | Promise<FactCheckRecord | null> {
  const whilePublic = (factCheck: FactCheckRecord | null) => (factCheck && isPublicFactCheck(factCheck) ? factCheck : null);
  const fetched = claim.fetched?.factCheck;
  return fetched !== undefined ? whilePublic(fetched) : loaders.factCheckByClaim.load(claim.id).then(whilePublic);
}
