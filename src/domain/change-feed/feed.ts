/**
 * The partners' change feed: PUBLISHED, CORRECTED, UPDATED and RETRACTED changes in the order of their
 * transactions' IDs. IDs are handed out when a transaction starts writing, not when it commits, so
 * a change with a smaller ID can still commit after one with a larger ID was read. The feed
 * therefore hands out only changes of transactions older than the oldest one still running
 * (pg_snapshot_xmin of the statement's own snapshot): every such transaction has ended, so nothing
 * can appear behind a cursor later. A change waits, at worst, for the longest transaction that was
 * running when it committed (docs/api-guide.md, "The change feed").
 *
 * A position is the stored xid plus change_feed_offset's offset (0 unless the data was moved in from
 * another database by db:move, which keeps every position handed out before valid).
 */
import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import { invalidCursor, decodeCursor, encodeCursor, pageLimit, type PageArgs } from '../pagination.js';
import { EVERYONE, requireRole, type Viewer } from '../viewer.js';
import type { factCheckChanges } from '../../db/schema.js';

export type FactCheckChangeType = (typeof factCheckChanges.$inferSelect)['type'];

export interface FactCheckChange {
  type: FactCheckChangeType;
  at: Date;
  factCheckId: string;
}

export interface ChangePage {
  nodes: FactCheckChange[];
  cursors: string[];
  hasNextPage: boolean;
  /** Where to continue: the last change's position, or, on an empty page, the visibility horizon. */
  endCursor: string;
}

type RawRow = { id: string | null; xid: string | null; fact_check_id: string | null; type: FactCheckChangeType | null; at_ms: string | null; horizon: string };

const position = (value: unknown) => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalidCursor();
  return value;
};

export const DEFAULT_CHANGES_PAGE = 100;

export async function listFactCheckChanges(db: Queryable, viewer: Viewer | null, args: PageArgs): Promise<ChangePage> {
  requireRole(viewer, EVERYONE);
  const limit = pageLimit(args.first ?? DEFAULT_CHANGES_PAGE);
  const [afterXid, afterId] = (args.after ? decodeCursor(args.after, 2).map(position) : [0, 0]) as [number, number];
  // One statement, so that the horizon and the rows come from the same snapshot. Numbers travel as
  // text: the two drivers type int8 and timestamps differently in raw results.
  const result = await db.execute(sql`
    with horizon as (
      select (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint as xmin,
             coalesce((select position_offset from change_feed_offset), 0) as shift
    )
    select change.id::text as id, (change.xid + horizon.shift)::text as xid, change.fact_check_id, change.type,
           (extract(epoch from change.at) * 1000)::bigint::text as at_ms, (horizon.xmin + horizon.shift)::text as horizon
    from horizon
    left join lateral (
      select * from fact_check_changes
      where (xid, id) > (${afterXid}::bigint - horizon.shift, ${afterId}::bigint) and xid < horizon.xmin
      order by xid, id
      limit ${limit + 1}
    ) as change on true
    order by change.xid, change.id`);
  const rows = (Array.isArray(result) ? result : (result as unknown as { rows: RawRow[] }).rows) as RawRow[];
  const found = rows.filter((r) => r.id !== null);
  const page = found.slice(0, limit);
  const cursors = page.map((r) => encodeCursor([Number(r.xid), Number(r.id)]));
  // Every change below the horizon has been handed out: continue from the horizon (id 0 precedes every row of it).
  const horizon = Number(rows[0]!.horizon);
  const endCursor = cursors.at(-1) ?? encodeCursor(horizon > afterXid ? [horizon, 0] : [afterXid, afterId]);
  return {
    nodes: page.map((r) => ({ type: r.type!, at: new Date(Number(r.at_ms)), factCheckId: r.fact_check_id! })),
    cursors,
    hasNextPage: found.length > limit,
    endCursor,
  };
}
