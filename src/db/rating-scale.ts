import { asc, eq, sql } from 'drizzle-orm';
import type { Queryable } from './connection.js';
import { ratingLabels, ratingScales, type RatingLabelRow, type RatingScaleRow } from './schema.js';

export interface RatingScaleRows {
  scale: RatingScaleRow;
  /** In position order: worst to best, labels that mean UNPROVEN last. */
  labels: RatingLabelRow[];
}

/**
 * The scale in force, in one statement (the scale's row beside each label). `lock`: inside a
 * transaction, FOR SHARE (a publication, so that the labels it uses cannot be replaced before it
 * commits) or FOR UPDATE (setRatingScale), of the scale's row only.
 */
export async function selectRatingScale(db: Queryable, lock?: 'share' | 'update'): Promise<RatingScaleRows> {
  const query = db
    .select({ scale: ratingScales, label: ratingLabels })
    .from(ratingScales)
    .leftJoin(ratingLabels, sql`true`)
    .where(eq(ratingScales.id, 1))
    .orderBy(asc(ratingLabels.position));
  const rows = await (lock ? query.for(lock, { of: ratingScales }) : query);
  if (!rows[0]) throw new Error('rating_scales has no row: the database was not migrated');
  return { scale: rows[0].scale, labels: rows.flatMap((r) => (r.label ? [r.label] : [])) };
}
