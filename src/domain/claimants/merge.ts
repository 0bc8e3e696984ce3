/**
 * mergeClaimants: a duplicate (the source) disappears into the claimant kept (the target), in one
 * transaction (docs/design.md, Claimants and topics).
 *
 * - Merges run one at a time (a transaction-scoped advisory lock): two merges over the same claimants
 *   (A into B while B into A, or A into B while B into C) cannot interleave, lose a claim or deadlock.
 * - Every claim of the source moves to the target: version + 1 and one UPDATED event each; partners
 *   hear FACT_CHECK_UPDATED for each fact check they see whose ClaimReview author changes by it.
 * - The source's name and aliases become the target's aliases (all of them: the alias limit is for
 *   what editors send); its Wikidata ID passes to a target without one. Its row stays, pointing at
 *   the target (`merged_into`), as do the rows merged into it before: every ID leads to the target.
 */
import { eq, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/connection.js';
import { claimantNames, claimants, type ClaimantRow } from '../../db/schema.js';
import { badInput } from '../coded-errors.js';
import { parseInput } from '../validation.js';
import { EDITORS, requireRole, type Viewer } from '../viewer.js';
import { writeSearchNames } from './claimants.js';
import { mergeClaimantsInput, type MergeClaimantsInput } from './inputs.js';
import { lockLiveClaimant, touchClaimsOf } from './speakers.js';

/** The advisory lock key of merges: "claimant merge" as two int4 (pg_advisory_xact_lock(int, int)). */
const MERGE_LOCK = sql`pg_advisory_xact_lock(1667788141, 1835364199)`;

/** What ClaimReview shows of a claimant: a merge that changes it is news to partners. */
const shown = (c: Pick<ClaimantRow, 'name' | 'kind' | 'wikidataId' | 'website'>) => JSON.stringify([c.name, c.kind, c.wikidataId, c.website]);

export async function mergeClaimants(db: Database, viewer: Viewer | null, input: MergeClaimantsInput): Promise<{ claimant: ClaimantRow; movedClaims: number }> {
  const actor = requireRole(viewer, EDITORS);
  const data = parseInput(mergeClaimantsInput, input);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select ${MERGE_LOCK}`);
    const [source, target] = await lockInIdOrder(tx, data.sourceId, data.targetId);
    if (source.id === target.id) throw badInput('targetId', 'A claimant cannot be merged into itself');

    const names = new Map<string, string>();
    for (const alias of [...target.aliases, source.name, ...source.aliases]) {
      if (alias.toLowerCase() !== target.name.toLowerCase()) names.set(alias.toLowerCase(), names.get(alias.toLowerCase()) ?? alias);
    }
    const now = new Date();
    await tx.update(claimants).set({ mergedInto: target.id, mergedAt: now, updatedAt: now }).where(eq(claimants.id, source.id));
    await tx.update(claimants).set({ mergedInto: target.id }).where(eq(claimants.mergedInto, source.id));
    await tx.delete(claimantNames).where(eq(claimantNames.claimantId, source.id));
    const takesWikidataId = !target.wikidataId && !!source.wikidataId;
    const [kept] = await tx
      .update(claimants)
      .set({ aliases: [...names.values()], updatedAt: now, ...(takesWikidataId ? { wikidataId: source.wikidataId } : {}) })
      .where(eq(claimants.id, target.id))
      .returning();
    await writeSearchNames(tx, kept!);

    // The target's own claims show its new Wikidata ID; the source's now show the target.
    if (takesWikidataId) await touchClaimsOf(tx, actor, target.id, `Speaker ${target.name}: Wikidata ID ${source.wikidataId} from ${source.name}`);
    const movedClaims = await touchClaimsOf(tx, actor, source.id, `Speaker ${source.name} merged into ${target.name}`, {
      moveTo: target.id,
      announce: shown(source) !== shown(kept!),
    });
    return { claimant: kept!, movedClaims };
  });
}

/**
 * Both claimants, each the live one its ID leads to, locked in the order of the IDs as sent (not
 * always the live ones': with a merged ID the order may differ). Deadlock-free because merges are
 * serialised by MERGE_LOCK, and other writers lock one claimant at most: keep the advisory lock.
 */
async function lockInIdOrder(tx: Transaction, sourceId: string, targetId: string): Promise<[ClaimantRow, ClaimantRow]> {
  const fields = { [sourceId]: 'sourceId', [targetId]: 'targetId' };
  const [first, second] = [sourceId, targetId].sort();
  const a = await lockLiveClaimant(tx, first!, fields[first!]!, 'update');
  const b = await lockLiveClaimant(tx, second!, fields[second!]!, 'update');
  return first === sourceId ? [a, b] : [b, a];
}
