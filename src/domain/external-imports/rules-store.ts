/**
 * The desk's rating rules (external_rating_rules) and re-mapping what is stored when they change.
 *
 * No rating computed with rules that a committed change replaced is ever left stored. Every
 * transaction that writes ratings (an import batch, a re-map batch) takes RULES_LOCK shared, then
 * reads the rules, computes and writes under them, and commits; a change of rules takes it
 * exclusive to write the new rules. So a change waits for the batches that read the old rules to
 * commit, and every batch that starts later reads the new rules (READ COMMITTED: its read is a
 * statement after the lock was granted, so its snapshot has the change). The change's re-map then
 * walks every row, after its commit, and rates it with the rules it reads in each batch; a row that
 * an import changed since the re-map read it (content_hash differs) is left to that import, which
 * rated it under the same rules. Hence, once the last change's re-map has ended, every row is rated
 * by the rules in force. A re-map whose rules a newer change replaced stops: the newer re-map walks
 * every row again. This needs no version column and no write of a row whose rating stays.
 *
 * Re-mapping walks external_fact_checks by ID in batches, each its own short transaction (read a
 * page, update the rows whose rating changes): one statement over a million rows would meet the
 * statement timeout and hold its locks for as long.
 */
import { asc, gt, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import { externalFactChecks, externalRatingRules } from '../../db/schema.js';
import type { Rating } from '../../model/enums.js';
import { ratingKey, ratingRules, type RatingOf, type RatingRule } from './rating-rules.js';

/** The advisory lock of the rules (the one-bigint key space; 727271001..4 are taken elsewhere). */
const RULES_LOCK_KEY = sql.raw('727271005');

export async function readDeskRules(db: Queryable): Promise<RatingRule[]> {
  return db
    .select({ textualRating: externalRatingRules.textualRating, language: externalRatingRules.language, rating: externalRatingRules.rating })
    .from(externalRatingRules)
    .orderBy(asc(externalRatingRules.position));
}

/**
 * Inside a transaction that writes ratings: holds the rules as they are until it commits (no change
 * of rules can commit meanwhile) and answers them.
 */
export async function rulesForWriting(tx: Queryable): Promise<RatingRule[]> {
  await tx.execute(sql`select pg_advisory_xact_lock_shared(${RULES_LOCK_KEY})`);
  return readDeskRules(tx);
}

/** Replaces the desk's rules, in one transaction that waits for every batch rating under the old ones. */
export async function replaceDeskRules(db: Queryable, rules: readonly RatingRule[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${RULES_LOCK_KEY})`);
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

const sameRules = (a: readonly RatingRule[], b: readonly RatingRule[]) =>
  a.length === b.length && a.every((rule, i) => rule.textualRating === b[i]!.textualRating && rule.language === b[i]!.language && rule.rating === b[i]!.rating);

/**
 * Re-maps every stored external fact check after `rules` were set, `batchSize` rows at a time;
 * answers how many changed rating. Stops early once newer rules replaced `rules` (their own re-map
 * goes over every row).
 */
export async function remapRatings(db: Queryable, rules: readonly RatingRule[], batchSize: number): Promise<number> {
  let after: string | null = null;
  let changed = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const inForce = await rulesForWriting(tx);
      if (!sameRules(inForce, rules)) return null;
      return remapBatch(tx, ratingRules(inForce), after, batchSize);
    });
    if (!batch) return changed;
    changed += batch.changed;
    if (batch.last === null) return changed;
    after = batch.last;
  }
}

/** One page after `after`: its rows whose rating `ratingOf` changes are updated; `last` is null after the last page. */
async function remapBatch(tx: Queryable, ratingOf: RatingOf, after: string | null, batchSize: number) {
  const page = await tx
    .select({
      id: externalFactChecks.id,
      textualRatingKey: externalFactChecks.textualRatingKey,
      language: externalFactChecks.language,
      ratingPosition: externalFactChecks.ratingPosition,
      rating: externalFactChecks.rating,
      contentHash: externalFactChecks.contentHash,
    })
    .from(externalFactChecks)
    .where(after === null ? undefined : gt(externalFactChecks.id, after))
    .orderBy(asc(externalFactChecks.id))
    .limit(batchSize);
  const updates = page.flatMap((row) => {
    const rating: Rating | null = ratingOf(row);
    return rating === row.rating ? [] : [{ id: row.id, hash: row.contentHash, rating }];
  });
  if (updates.length)
    // A row an import changed since it was read (another hash) was rated by that import, under these same rules.
    await tx.execute(sql`
      update ${externalFactChecks} set rating = x.rating::rating
      from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as x(id uuid, hash text, rating text)
      where ${externalFactChecks.id} = x.id and ${externalFactChecks.contentHash} = x.hash`);
  return { changed: updates.length, last: page.length < batchSize ? null : page[page.length - 1]!.id };
}
