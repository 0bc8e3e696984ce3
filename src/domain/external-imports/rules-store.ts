/**
 * The desk's rating rules (external_rating_rules) and re-mapping what is stored when they change.
 * Re-mapping walks external_fact_checks by ID in batches, each its own two short statements (read a
 * page, update the rows whose rating changes): one statement over a million rows would meet the
 * statement timeout and hold its locks for as long.
 */
import { asc, gt, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import { externalFactChecks, externalRatingRules } from '../../db/schema.js';
import type { Rating } from '../../model/enums.js';
import { ratingKey, type RatingOf, type RatingRule } from './rating-rules.js';

export async function readDeskRules(db: Queryable): Promise<RatingRule[]> {
  return db
    .select({ textualRating: externalRatingRules.textualRating, language: externalRatingRules.language, rating: externalRatingRules.rating })
    .from(externalRatingRules)
    .orderBy(asc(externalRatingRules.position));
}

/** Replaces the desk's rules, in one transaction. */
export async function replaceDeskRules(db: Queryable, rules: readonly RatingRule[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(externalRatingRules);
    if (rules.length)
      await tx.insert(externalRatingRules).values(
        rules.map((rule, position) => ({
          position,
          textualRating: rule.textualRating,
          textualRatingKey: ratingKey(rule.textualRating),
          language: rule.language,
          rating: rule.rating,
        })),
      );
  });
}

/** Re-maps every stored external fact check under `ratingOf`, `batchSize` rows at a time; answers how many changed rating. */
export async function remapRatings(db: Queryable, ratingOf: RatingOf, batchSize: number): Promise<number> {
  let after: string | null = null;
  let changed = 0;
  for (;;) {
    const page = await db
      .select({
        id: externalFactChecks.id,
        textualRatingKey: externalFactChecks.textualRatingKey,
        language: externalFactChecks.language,
        ratingPosition: externalFactChecks.ratingPosition,
        rating: externalFactChecks.rating,
      })
      .from(externalFactChecks)
      .where(after === null ? undefined : gt(externalFactChecks.id, after))
      .orderBy(asc(externalFactChecks.id))
      .limit(batchSize);
    if (!page.length) return changed;
    const updates = page.flatMap((row) => {
      const rating: Rating | null = ratingOf(row);
      return rating === row.rating ? [] : [{ id: row.id, key: row.textualRatingKey, rating }];
    });
    if (updates.length) {
      // An import that changed a row's rating text since it was read has rated it already.
      await db.execute(sql`
        update ${externalFactChecks} set rating = x.rating::rating
        from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as x(id uuid, key text, rating text)
        where ${externalFactChecks.id} = x.id and ${externalFactChecks.textualRatingKey} = x.key`);
      changed += updates.length;
    }
    after = page[page.length - 1]!.id;
    if (page.length < batchSize) return changed;
  }
}
