/**
 * Reading other publishers' fact checks (every role): the list, newest imported first or ranked by a
 * search; one by ID (node); and, for a claim, the fact checks of both kinds whose claims read like it.
 */
import type { Queryable } from '../../db/connection.js';
import { externalFactCheckColumns, type ExternalFactCheckRecord } from '../../db/external-fact-checks.js';
import { countWhere } from '../../db/keyset.js';
import type { Loaders } from '../../db/loaders.js';
import { externalFactChecks } from '../../db/schema.js';
import type { FactCheckRow } from '../../db/schema.js';
import { cursorTime, cursorUuid, keysetPage, pageLimit, type KeysetOrder, type Page, type PageArgs } from '../pagination.js';
import { parseInput, similarLimit } from '../validation.js';
import type { Viewer } from '../viewer.js';
import { mayRead, maySee, requireReader } from '../visibility.js';
import { externalConditions, externalFilterInput, type ExternalFactCheckFilter } from './filter.js';
import { searchExternalPage } from './search.js';

export type { ExternalFactCheckFilter, ExternalFactCheckRecord };

const newestImportedFirst: KeysetOrder<ExternalFactCheckRecord> = {
  keys: [externalFactChecks.importedAt, externalFactChecks.id],
  direction: 'desc',
  cursorOf: (f) => [f.importedAt.toISOString(), f.id],
  parse: ([at, id]) => [cursorTime(at), cursorUuid(id)],
};

export async function listExternalFactChecks(
  db: Queryable,
  viewer: Viewer | null,
  args: PageArgs & { filter?: ExternalFactCheckFilter },
): Promise<Page<ExternalFactCheckRecord & { rank?: number }>> {
  requireReader(viewer, 'ExternalFactCheck');
  const limit = pageLimit(args.first);
  const filter = parseInput(externalFilterInput, args.filter, 'filter') ?? {};
  if (filter.search) return searchExternalPage(db, { ...filter, search: filter.search }, args.after, limit);
  const where = externalConditions(db, { ...filter, publishedAfter: filter.publishedAfter?.toISOString() })(externalFactChecks);
  return keysetPage(db.select(externalFactCheckColumns).from(externalFactChecks).$dynamic(), newestImportedFirst, args, where, () =>
    countWhere(db, externalFactChecks, where),
  );
}

/** node(id): every role may read them. */
export const readExternalFactCheck = (loaders: Loaders, viewer: Viewer, id: string) =>
  mayRead(viewer, 'ExternalFactCheck') ? loaders.externalFactCheck.load(id) : null;

export type RelatedFactCheck =
  | { item: FactCheckRow & { __typename: 'FactCheck' }; similarity: number }
  | { item: ExternalFactCheckRecord & { __typename: 'ExternalFactCheck' }; similarity: number };

/**
 * Claim.relatedFactChecks: this desk's fact checks that partners may see (never the claim's own) and
 * other publishers', most like the claim's statement first (src/db/external-fact-checks.ts says how),
 * `limit` 1 to 20. Batched over every claim of a request that asks the same limit; the rows come
 * through the loaders, each checked again against its visibility rule.
 */
export async function relatedFactChecks(
  loaders: Loaders,
  viewer: Viewer | null,
  claimId: string,
  limit: number | null | undefined,
): Promise<RelatedFactCheck[]> {
  const me = requireReader(viewer, 'Claim');
  const matches = await loaders.relatedFactChecks(parseInput(similarLimit, limit ?? 5, 'limit')).load(claimId);
  const related = await Promise.all(
    matches.map(async (m): Promise<RelatedFactCheck | null> => {
      const similarity = Math.min(1, Math.max(0, m.similarity));
      if (m.kind === 'FactCheck') {
        const row = await loaders.factCheck.load(m.id);
        return row && maySee(me, 'FactCheck', row) ? { item: { ...row, __typename: 'FactCheck' }, similarity } : null;
      }
      const row = await loaders.externalFactCheck.load(m.id);
      return row ? { item: { ...row, __typename: 'ExternalFactCheck' }, similarity } : null;
    }),
  );
  return related.filter((r) => r !== null);
}
