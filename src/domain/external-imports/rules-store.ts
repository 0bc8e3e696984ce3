/**
 * The desk's rating rules (external_rating_rules) and re-mapping what is stored when they change.
 *
 * No rating computed with rules that a committed change replaced is left stored once the change's
 * re-map has ended. Every transaction that writes ratings (an import batch, a re-map batch) takes
 * RULES_LOCK shared, then reads the rules, computes and writes under them, and commits; a change of
 * rules takes it exclusive to write the new rules. So a change waits for the batches that read the
 * old rules to commit, and every batch that starts later reads the new rules (READ COMMITTED: its
 * read is a statement after the lock was granted, so its snapshot has the change). The change's
 * re-map then walks every row, after its commit, and rates it with the rules it reads in each batch;
 * a row that an import changed since the re-map read it (content_hash differs) is left to that
 * import, which rated it under the same rules. Hence, once the last change's re-map has ended, every
 * row is rated by the rules in force. A re-map whose rules a newer change replaced stops: the newer
 * re-map walks every row again. This writes no row whose rating stays.
 *
 * The re-map owed is kept in the database (external_rating_remap, one row): the change writes it
 * with the rules (a new generation, pending, from the first ID), and each batch advances it in its
 * own transaction (the last ID done, the ratings changed so far). A re-map cut short (its process
 * killed, a deploy) is thus resumed where its last committed batch left it, by the job every server
 * process runs (src/jobs/rating-remap.ts), and a batch rolled back is done again. Each batch locks
 * that row, after RULES_LOCK (the order a change takes them in too), so two walkers of one re-map
 * (the mutation and a job, or two jobs) take turns, never doing a batch twice or skipping one; the
 * job skips the row while another holds it. Chosen over a generation stored on every row: that
 * would rewrite every row (and its search vector and index entries) at each change, where this
 * writes only the rows whose rating changes. Imports need not record anything: what they write is
 * rated by the rules in force, under the lock.
 *
 * Re-mapping walks external_fact_checks by ID in batches, each its own short transaction (read a
 * page, update the rows whose rating changes, advance the row): one statement over a million rows
 * would meet the statement timeout and hold its locks for as long.
 */
import { asc, eq, gt, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import { externalFactChecks, externalRatingRemap, externalRatingRules } from '../../db/schema.js';
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

/**
 * Replaces the desk's rules, in one transaction that waits for every batch rating under the old ones,
 * and owes their re-map (a new generation, pending from the first row); answers that generation.
 */
export async function replaceDeskRules(db: Queryable, rules: readonly RatingRule[]): Promise<number> {
  return db.transaction(async (tx) => {
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
    // An upsert: the row is the migration's, but a database without it still gets one.
    const owed = { pending: true, afterId: null, changed: 0, updatedAt: sql`now()` };
    const [remap] = await tx
      .insert(externalRatingRemap)
      .values({ single: true, generation: 1, ...owed })
      .onConflictDoUpdate({ target: externalRatingRemap.single, set: { generation: sql`${externalRatingRemap.generation} + 1`, ...owed } })
      .returning({ generation: externalRatingRemap.generation });
    return remap!.generation;
  });
}

/**
 * What one step of a re-map found or did: `more` (a batch done, rows left), `finished` (a batch
 * done, the last), `idle` (nothing pending: another walker finished it, or none was owed), `busy`
 * (another walker holds the re-map's row; only when not waiting), `overtaken` (a newer change owes
 * its own re-map). `generation` and `changed` are the re-map's as the step left them (for `busy`
 * and `overtaken`, null and 0: not read).
 */
export interface RemapStep {
  kind: 'more' | 'finished' | 'idle' | 'busy' | 'overtaken';
  generation: number | null;
  changed: number;
}

/**
 * One batch of the re-map owed, in a transaction of its own: `generation`'s (the mutation's; a
 * newer one is `overtaken`), or whichever is pending (null: the job). `wait: false` skips the row
 * another walker holds rather than queueing behind its batch.
 */
export async function remapStep(db: Queryable, options: { generation: number | null; batchSize: number; wait: boolean }): Promise<RemapStep> {
  return db.transaction(async (tx): Promise<RemapStep> => {
    const rules = await rulesForWriting(tx);
    const [remap] = await tx
      .select()
      .from(externalRatingRemap)
      .for('update', options.wait ? {} : { skipLocked: true });
    if (!remap) return { kind: options.wait ? 'idle' : 'busy', generation: null, changed: 0 };
    if (options.generation !== null && remap.generation !== options.generation) return { kind: 'overtaken', generation: null, changed: 0 };
    if (!remap.pending) return { kind: 'idle', generation: remap.generation, changed: remap.changed };
    const page = await remapPage(tx, ratingRules(rules), remap.afterId, options.batchSize);
    const changed = remap.changed + page.changed;
    await tx
      .update(externalRatingRemap)
      .set({ pending: page.last !== null, afterId: page.last, changed, updatedAt: sql`now()` })
      .where(eq(externalRatingRemap.single, true));
    return { kind: page.last === null ? 'finished' : 'more', generation: remap.generation, changed };
  });
}

/**
 * Re-maps every stored external fact check after the change `generation` set the rules, `batchSize`
 * rows at a time, taking turns with any other walker of the same re-map; answers how many ratings
 * that re-map changed (whoever walked). Stops early once a newer change overtook it (its own re-map
 * goes over every row), answering the count as it last saw it.
 */
export async function remapRatings(db: Queryable, generation: number, batchSize: number): Promise<number> {
  let changed = 0;
  for (;;) {
    const step = await remapStep(db, { generation, batchSize, wait: true });
    if (step.kind === 'overtaken') return changed;
    changed = step.changed;
    if (step.kind !== 'more') return changed;
  }
}

/** What is owed now (null without the row). */
export async function readRemap(db: Queryable) {
  const [remap] = await db.select().from(externalRatingRemap);
  return remap ?? null;
}

/** One page after `after`: its rows whose rating `ratingOf` changes are updated; `last` is null after the last page. */
async function remapPage(tx: Queryable, ratingOf: RatingOf, after: string | null, batchSize: number) {
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
