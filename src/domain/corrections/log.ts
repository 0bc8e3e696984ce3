/**
 * The public corrections log (docs/design.md, Corrections and transparency): every correction and
 * every retraction of a published fact check, newest first. One statement per page: each table's
 * own keyset window (its index on (at, id), scanned backwards, one row more than the page), the
 * union of the two cut to the page, joined to the fact checks for the claim and whether partners
 * still see it. A retraction shows its public note, never the dismissal's internal reason (that
 * stays in the claim's history, for staff).
 */
import { count, desc, eq, sql } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import type { Queryable } from '../../db/connection.js';
import { inKeysetWindow, type Keyset } from '../../db/keyset.js';
import { corrections, factChecks, retractions } from '../../db/schema.js';
import type { CorrectionLogKind, Rating } from '../../model/enums.js';
import { isPublicFactCheck } from '../../model/public-fact-checks.js';
import { resultColumns, type FactCheckResult } from '../fact-checks/filter.js';
import { cursorTime, cursorUuid, decodeCursor, pageLimit, toPage, type Page, type PageArgs } from '../pagination.js';
import { EVERYONE, requireRole, type Viewer } from '../viewer.js';

export interface CorrectionLogEntry {
  kind: CorrectionLogKind;
  /** The correction's or the retraction's own row: an entry's stable identity (the Atom entry's id). */
  id: string;
  at: Date;
  note: string;
  previousRating: Rating;
  previousTextualRating: string;
  /** After a correction; null for a retraction. */
  rating: Rating | null;
  textualRating: string | null;
  /** The fact check as it is now; partners see it only while `visible`. */
  factCheck: FactCheckResult;
  visible: boolean;
}

/** The HTML page's and the Atom feed's size. */
export const LOG_PAGE_SIZE = 50;

const cursorOf = (e: Pick<CorrectionLogEntry, 'at' | 'id'>) => [e.at.toISOString(), e.id];

/** A page of the log, newest first; public (the HTML page and the feed): no viewer. BAD_USER_INPUT for a bad `after` or `first`. */
export async function correctionLogPage(db: Queryable, args: PageArgs): Promise<Page<CorrectionLogEntry>> {
  const size = pageLimit(args.first);
  const after = args.after ? (([at, id]) => [cursorTime(at), cursorUuid(id)])(decodeCursor(args.after, 2)) : null;
  const window = { after, limit: size + 1 };
  const byTime = (table: typeof corrections | typeof retractions): Keyset => ({ keys: [table.at, table.id], direction: 'desc' });
  const corrected = inKeysetWindow(
    db
      .select({
        kind: sql<CorrectionLogKind>`'CORRECTED'`.as('log_kind'),
        id: corrections.id,
        at: corrections.at,
        factCheckId: corrections.factCheckId,
        note: corrections.note,
        previousRating: corrections.previousRating,
        previousTextualRating: corrections.previousTextualRating,
        rating: sql<Rating | null>`${corrections.rating}`.as('log_rating'),
        textualRating: sql<string | null>`${corrections.textualRating}`.as('log_textual_rating'),
      })
      .from(corrections)
      .$dynamic(),
    byTime(corrections),
    window,
  );
  const retracted = inKeysetWindow(
    db
      .select({
        kind: sql<CorrectionLogKind>`'RETRACTED'`.as('log_kind'),
        id: retractions.id,
        at: retractions.at,
        factCheckId: retractions.factCheckId,
        note: retractions.publicNote,
        previousRating: retractions.previousRating,
        previousTextualRating: retractions.previousTextualRating,
        rating: sql<Rating | null>`null::rating`.as('log_rating'),
        textualRating: sql<string | null>`null::text`.as('log_textual_rating'),
      })
      .from(retractions)
      .$dynamic(),
    byTime(retractions),
    window,
  );
  // The aliases are the log's own: drizzle names an aliased column of a subquery unqualified outside it.
  const log = unionAll(corrected, retracted).as('log');
  const rows = await db
    .select({
      kind: log.kind,
      id: log.id,
      at: log.at,
      note: log.note,
      previousRating: log.previousRating,
      previousTextualRating: log.previousTextualRating,
      rating: log.rating,
      textualRating: log.textualRating,
      factCheck: resultColumns,
    })
    .from(log)
    .innerJoin(factChecks, eq(factChecks.id, log.factCheckId))
    .orderBy(desc(log.at), desc(log.id))
    .limit(size + 1);
  const entries: CorrectionLogEntry[] = rows.map((row) => ({ ...row, at: new Date(row.at), visible: isPublicFactCheck(row.factCheck) }));
  return toPage(entries, size, cursorOf, () => countEntries(db));
}

async function countEntries(db: Queryable): Promise<number> {
  const [[c], [r]] = await Promise.all([db.select({ n: count() }).from(corrections), db.select({ n: count() }).from(retractions)]);
  return Number(c?.n ?? 0) + Number(r?.n ?? 0);
}

/** Query.corrections: every role (the same log is public as a page and a feed). */
export async function listCorrectionLog(db: Queryable, viewer: Viewer | null, args: PageArgs): Promise<Page<CorrectionLogEntry>> {
  requireRole(viewer, EVERYONE);
  return correctionLogPage(db, args);
}
