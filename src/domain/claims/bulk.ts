/**
 * Bulk actions on claims (DESIGN.md, "Desk work at scale"): 1..100 claims, each its own action. Every
 * item calls the single action's domain function (assignClaim, dismissClaim), so it gets that
 * action's own transaction, row lock, version check and ClaimEvent, and fails with the code and
 * message the single action would give. One failure does not undo the others.
 *
 * Items run one after another in the order of their claims' row ids, and each transaction locks
 * one claim only, so two bulk calls over overlapping claims never wait on each other in a cycle.
 * Results come back in input order.
 */
import type { Database } from '../../db/connection.js';
import type { ClaimRow } from '../../db/schema.js';
import { badInput, DomainError } from '../coded-errors.js';
import { fromGlobalId } from '../global-ids.js';
import { parseInput } from '../validation.js';
import { requireRole, type Viewer } from '../viewer.js';
import { allowedRoles } from '../workflow.js';
import { reasonInput, dismissClaim } from './editorial.js';
import { assignClaim, assignInput } from './reviewer-actions.js';

export const BULK_MAX_CLAIMS = 100;

/** What an item's outcome is remembered as (JSON): success, or the error the single action gave. */
export type StoredItemOutcome = { ok: true } | { ok: false; code: string; message: string };

/**
 * Runs item `index`'s attempt in one transaction together with the record of its outcome, unless
 * an earlier attempt of the same request recorded one; answers the recorded outcome. (An
 * Idempotency-Key's per-item store: src/db/idempotency-keys.ts.) The attempt gets the transaction
 * as its database: the single action's transaction nests in it.
 */
export type ItemJournal = (index: number, attempt: (db: Database) => Promise<StoredItemOutcome>) => Promise<StoredItemOutcome>;

export interface BulkItemResult {
  /** The claim's global ID as given. */
  claimId: string;
  /** The claim's row id, when the global ID was one. */
  rowId: string | null;
  /** The claim after this call's action; null when it failed, or when a retry found it done before (then read it by rowId). */
  claim: ClaimRow | null;
  error: { code: string; message: string } | null;
}

export interface BulkResult {
  results: BulkItemResult[];
  succeeded: number;
  failed: number;
}

/** 1..100 claims, none twice (as row ids: two spellings of one ID are one claim). */
function checkClaimIds(globalIds: readonly string[]): (string | DomainError)[] {
  if (globalIds.length === 0) throw badInput('claimIds', 'claimIds must name at least one claim');
  if (globalIds.length > BULK_MAX_CLAIMS) throw badInput('claimIds', `claimIds must name at most ${BULK_MAX_CLAIMS} claims (got ${globalIds.length})`);
  const decoded = globalIds.map((g) => {
    try {
      return fromGlobalId(g, 'Claim', 'claimId');
    } catch (error) {
      if (error instanceof DomainError) return error;
      throw error;
    }
  });
  const seen = new Set<string>();
  decoded.forEach((d, i) => {
    const key = typeof d === 'string' ? d : `invalid:${globalIds[i]}`;
    if (seen.has(key)) throw badInput('claimIds', `claimIds names ${globalIds[i]} more than once`);
    seen.add(key);
  });
  return decoded;
}

async function runBulk(
  db: Database,
  globalIds: readonly string[],
  journal: ItemJournal | null,
  action: (db: Database, claimId: string) => Promise<ClaimRow>,
  decoded: (string | DomainError)[],
): Promise<BulkResult> {
  const results: BulkItemResult[] = globalIds.map((claimId, i) => {
    const d = decoded[i]!;
    return typeof d === 'string'
      ? { claimId, rowId: d, claim: null, error: null }
      : { claimId, rowId: null, claim: null, error: { code: d.code, message: d.message } };
  });
  // One lock order for every bulk call: the claims' row ids, ascending.
  const order = results.map((r, i) => ({ rowId: r.rowId, i })).filter((x): x is { rowId: string; i: number } => x.rowId !== null);
  order.sort((a, b) => (a.rowId < b.rowId ? -1 : a.rowId > b.rowId ? 1 : 0));
  for (const { rowId, i } of order) {
    let fresh: ClaimRow | null = null;
    const attempt = async (itemDb: Database): Promise<StoredItemOutcome> => {
      try {
        fresh = await action(itemDb, rowId);
        return { ok: true };
      } catch (error) {
        // The single action's refusal is this item's answer; anything unforeseen stops the call
        // (the items done so far stay done, and a retry with the same Idempotency-Key resumes).
        if (error instanceof DomainError) return { ok: false, code: error.code, message: error.message };
        throw error;
      }
    };
    const outcome = journal ? await journal(i, attempt) : await attempt(db);
    results[i] = outcome.ok ? { ...results[i]!, claim: fresh } : { ...results[i]!, error: { code: outcome.code, message: outcome.message } };
  }
  const succeeded = results.filter((r) => r.error === null).length;
  return { results, succeeded, failed: results.length - succeeded };
}

/** assignClaim on each claim, with the same reviewers and due date. */
export async function bulkAssignClaims(
  db: Database,
  viewer: Viewer | null,
  input: { claimIds: readonly string[]; reviewerIds: string[]; dueAt?: Date | null },
  journal: ItemJournal | null = null,
): Promise<BulkResult> {
  requireRole(viewer, allowedRoles.assignClaim);
  const decoded = checkClaimIds(input.claimIds);
  // What every item shares is checked once: bad input fails the whole call and changes nothing.
  parseInput(assignInput, { claimId: '', reviewerIds: input.reviewerIds, dueAt: input.dueAt });
  return runBulk(
    db,
    input.claimIds,
    journal,
    async (itemDb, claimId) => (await assignClaim(itemDb, viewer, { claimId, reviewerIds: input.reviewerIds, dueAt: input.dueAt })).claim,
    decoded,
  );
}

/** dismissClaim on each claim, with one reason. */
export async function bulkDismissClaims(
  db: Database,
  viewer: Viewer | null,
  input: { claimIds: readonly string[]; reason: string },
  journal: ItemJournal | null = null,
): Promise<BulkResult> {
  requireRole(viewer, allowedRoles.dismissClaim);
  const decoded = checkClaimIds(input.claimIds);
  parseInput(reasonInput, { claimId: '', reason: input.reason });
  return runBulk(db, input.claimIds, journal, (itemDb, claimId) => dismissClaim(itemDb, viewer, { claimId, reason: input.reason }), decoded);
}
