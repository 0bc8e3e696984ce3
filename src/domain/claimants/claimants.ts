/**
 * Adding and editing claimants (docs/design.md, Claimants and topics). Editors and admins; a Wikidata
 * ID names one live claimant (CONFLICT with `extensions.claimantId` otherwise). An edit of what
 * ClaimReview shows (name, kind, Wikidata ID, site) changes each claim of the claimant as a merge
 * does: speakers.ts, `touchClaimsOf`.
 */
import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Database, Queryable, Transaction } from '../../db/connection.js';
import { claimantNames, claimants, claimantWords, type ClaimantRow } from '../../db/schema.js';
import { isUniqueViolation } from '../../db/unique-violation.js';
import { nameSearchRows, nameWords, searchKey } from '../../model/search-key.js';
import { badInput, DomainError } from '../coded-errors.js';
import { parseInput } from '../validation.js';
import { EDITORS, requireRole, type Viewer } from '../viewer.js';
import { createClaimantInput, updateClaimantInput, type CreateClaimantInput, type UpdateClaimantInput } from './inputs.js';
import { lockLiveClaimant, touchClaimsOf } from './speakers.js';

/** CONFLICT naming the claimant that has the Wikidata ID; the API layer names it by its global ID. */
export class WikidataConflictError extends DomainError {
  constructor(
    readonly claimantId: string,
    publicId = claimantId,
  ) {
    super('CONFLICT', `Another claimant has this Wikidata ID: ${publicId}`, 'wikidataId', { claimantId: publicId });
  }

  withPublicId(publicId: string): WikidataConflictError {
    return new WikidataConflictError(this.claimantId, publicId);
  }
}

async function refuseTakenWikidataId(tx: Queryable, wikidataId: string | null | undefined, exceptId?: string) {
  if (!wikidataId) return;
  const [holder] = await tx
    .select({ id: claimants.id })
    .from(claimants)
    .where(and(eq(claimants.wikidataId, wikidataId), isNull(claimants.mergedInto), exceptId ? ne(claimants.id, exceptId) : undefined));
  if (holder) throw new WikidataConflictError(holder.id);
}

const isWikidataViolation = (error: unknown) => isUniqueViolation(error, 'claimants_wikidata_id_unique');

/**
 * The rows search reads (src/model/search-key.ts, `nameSearchRows`): each name and alias from each of
 * its words on; and the names' words for correcting misspelt ones, added if new (never removed).
 */
export async function writeSearchNames(tx: Transaction, claimant: Pick<ClaimantRow, 'id' | 'name' | 'aliases'>) {
  await tx.delete(claimantNames).where(eq(claimantNames.claimantId, claimant.id));
  const rows = nameSearchRows(claimant.name, claimant.aliases);
  if (rows.length === 0) return;
  await tx.insert(claimantNames).values(rows.map((r) => ({ claimantId: claimant.id, ...r })));
  await tx
    .insert(claimantWords)
    .values(nameWords(rows).map((word) => ({ word })))
    .onConflictDoNothing();
}

/** Two writers of one Wikidata ID: the unique index refuses the second; name the first once its transaction is over. */
async function namingWikidataHolder<T>(db: Database, wikidataId: string | null | undefined, exceptId: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isWikidataViolation(error)) await refuseTakenWikidataId(db, wikidataId, exceptId);
    throw error;
  }
}

export async function createClaimant(db: Database, viewer: Viewer | null, input: CreateClaimantInput): Promise<ClaimantRow> {
  const actor = requireRole(viewer, EDITORS);
  const data = parseInput(createClaimantInput, input);
  return namingWikidataHolder(db, data.wikidataId, undefined, () =>
    db.transaction(async (tx) => {
      await refuseTakenWikidataId(tx, data.wikidataId);
      const [created] = await tx
        .insert(claimants)
        .values({
          name: data.name,
          sortKey: searchKey(data.name),
          kind: data.kind,
          aliases: withoutName(data.aliases ?? [], data.name),
          wikidataId: data.wikidataId ?? null,
          website: data.website ?? null,
          description: data.description ?? null,
          createdBy: actor.id,
        })
        .returning();
      await writeSearchNames(tx, created!);
      return created!;
    }),
  );
}

const withoutName = (aliases: readonly string[], name: string) => aliases.filter((a) => a.toLowerCase() !== name.toLowerCase());

/** The fields that ClaimReview's `itemReviewed.author` shows: a change of one changes the claimant's fact checks. */
const SHOWN_IN_CLAIM_REVIEW = ['name', 'kind', 'wikidataId', 'website'] as const;

export async function updateClaimant(db: Database, viewer: Viewer | null, input: UpdateClaimantInput): Promise<ClaimantRow> {
  const actor = requireRole(viewer, EDITORS);
  if (input.name === null) throw badInput('name', 'name cannot be removed');
  if (input.kind === null) throw badInput('kind', 'kind cannot be removed');
  const data = parseInput(updateClaimantInput, input);
  return namingWikidataHolder(db, data.wikidataId, data.claimantId, () =>
    db.transaction(async (tx) => {
      const claimant = await lockLiveClaimant(tx, data.claimantId, 'claimantId', 'update');
      const next = {
        name: data.name ?? claimant.name,
        kind: data.kind ?? claimant.kind,
        aliases: data.aliases === undefined ? claimant.aliases : (data.aliases ?? []),
        wikidataId: data.wikidataId === undefined ? claimant.wikidataId : data.wikidataId,
        website: data.website === undefined ? claimant.website : data.website,
        description: data.description === undefined ? claimant.description : data.description,
      };
      next.aliases = withoutName(next.aliases, next.name);
      const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(claimant[k]));
      if (changed.length === 0) return claimant;
      if (next.wikidataId !== claimant.wikidataId) await refuseTakenWikidataId(tx, next.wikidataId, claimant.id);
      const [updated] = await tx
        .update(claimants)
        .set({ ...next, sortKey: searchKey(next.name), updatedAt: new Date() })
        .where(eq(claimants.id, claimant.id))
        .returning();
      if (changed.includes('name') || changed.includes('aliases')) await writeSearchNames(tx, updated!);
      const shown = changed.filter((k) => (SHOWN_IN_CLAIM_REVIEW as readonly string[]).includes(k));
      if (shown.length) await touchClaimsOf(tx, actor, updated!.id, `Speaker ${updated!.name}: changed ${shown.join(', ')}`);
      return updated!;
    }),
  );
}
