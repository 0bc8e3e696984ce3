import { asc, eq } from 'drizzle-orm';
import type { Queryable } from './connection.js';
import { ratingLabels, ratingScales, type RatingLabelRow, type RatingScaleRow } from './schema.js';

export interface RatingScaleRows {
  scale: RatingScaleRow;
  /** In position order: worst to best, labels that mean UNPROVEN last. */
  labels: RatingLabelRow[];
}

/**
 * The scale in force, in two statements. `lock`: inside a transaction, FOR SHARE (a publication,
 * so that the labels it uses cannot be replaced before it commits) or FOR UPDATE (setRatingScale).
 */
export async function selectRatingScale(db: Queryable, lock?: 'share' | 'update'): Promise<RatingScaleRows> {
  const query = db.select().from(ratingScales).where(eq(ratingScales.id, 1));
  const [scale] = await (lock === 'share' ? query.for('share') : lock === 'update' ? query.for('update') : query);
  if (!scale) throw new Error('rating_scales has no row: the database was not migrated');
  const labels = await db.select().from(ratingLabels).orderBy(asc(ratingLabels.position));
  return { scale, labels };
}
