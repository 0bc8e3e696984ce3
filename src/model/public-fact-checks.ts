/**
 * DESIGN.md: partners see a fact check while it is published and not retracted (dismissing its
 * claim retracts it; republishing lifts that). A fact_checks row exists only once published, so
 * "not retracted" is the whole rule. Written once, as a row test and as SQL, here where every layer
 * may read it: the domain's visibility and filters, and the loaders' similarity search.
 */
import { isNull, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

export const isPublicFactCheck = (row: { retractedAt: Date | string | null }): boolean => row.retractedAt === null;

/** The same rule on fact_checks, or on a subquery carrying its retracted_at. */
export const publicFactCheckCondition = (f: { retractedAt: AnyPgColumn }): SQL => isNull(f.retractedAt);
