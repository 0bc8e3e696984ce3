/**
 * Reading claimants: one by ID (a merged one's ID gives its target), lists by name, and the search
 * for editors' typeahead and partners (search.ts). Every role may read them.
 */
import { eq, getTableColumns, isNull } from 'drizzle-orm';
import type { Loaders } from '../../db/loaders.js';
import type { Queryable } from '../../db/connection.js';
import { countWhere } from '../../db/keyset.js';
import { claimants, claims, type ClaimantRow } from '../../db/schema.js';
import type { ClaimRecord } from '../records.js';
import { claimOrders } from '../claims/queries.js';
import { listFactChecks } from '../fact-checks/queries.js';
import { cursorString, cursorUuid, keysetPage, pageLimit, type KeysetOrder, type Page, type PageArgs } from '../pagination.js';
import { LIMITS, optionalText, parseInput } from '../validation.js';
import type { Viewer } from '../viewer.js';
import { requireReader } from '../visibility.js';
import { searchClaimants } from './search.js';

export async function getClaimant(loaders: Loaders, viewer: Viewer | null, id: string): Promise<ClaimantRow | null> {
  requireReader(viewer, 'Claimant');
  return loaders.liveClaimant.load(id);
}

const byName: KeysetOrder<ClaimantRow> = {
  keys: [claimants.sortKey, claimants.id],
  direction: 'asc',
  cursorOf: (c) => [c.sortKey, c.id],
  parse: ([key, id]) => [cursorString(key), cursorUuid(id)],
};

const searchArg = optionalText(LIMITS.name);

export async function listClaimants(db: Queryable, viewer: Viewer | null, args: PageArgs & { search?: string | null }): Promise<Page<ClaimantRow>> {
  requireReader(viewer, 'Claimant');
  const search = parseInput(searchArg, args.search, 'search');
  if (search) return searchClaimants(db, search, args.after, pageLimit(args.first));
  const live = isNull(claimants.mergedInto);
  return keysetPage(db.select().from(claimants).$dynamic(), byName, args, live, () => countWhere(db, claimants, live));
}

const { searchVector: _vector, ...claimColumns } = getTableColumns(claims);

/** Claimant.claims: claims attributed to it, newest first (staff only: FORBIDDEN for partners). */
export async function claimantClaims(db: Queryable, viewer: Viewer | null, claimantId: string, args: PageArgs): Promise<Page<ClaimRecord>> {
  requireReader(viewer, 'Claim');
  const where = eq(claims.speakerId, claimantId);
  return keysetPage(db.select(claimColumns).from(claims).$dynamic(), claimOrders.CREATED_AT_DESC, args, where, () => countWhere(db, claims, where));
}

/** Claimant.factChecks: published fact checks of its claims, newest first (retracted never). */
export const claimantFactChecks = (db: Queryable, viewer: Viewer | null, claimantId: string, args: PageArgs) =>
  listFactChecks(db, viewer, { ...args, filter: { speakerId: claimantId } });
