/** The feeds' loaders (createLoaders spreads them in): a feed by ID, and how many external fact checks each brought in. */
import DataLoader from 'dataloader';
import { count, inArray } from 'drizzle-orm';
import type { Queryable } from './connection.js';
import { externalFactChecks, externalSources, type ExternalSourceRow } from './schema.js';

export function externalSourceLoaders(db: Queryable) {
  return {
    /** ExternalSource by ID (ExternalFactCheck.source, node(id)). */
    externalSource: new DataLoader<string, ExternalSourceRow | null>(async (ids) => {
      const rows = await db
        .select()
        .from(externalSources)
        .where(inArray(externalSources.id, ids as string[]));
      const found = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    /** ExternalSource.factCheckCount, one statement per page (served by external_fact_checks_source_idx). */
    externalFactCheckCountBySource: new DataLoader<string, number>(async (ids) => {
      const rows = await db
        .select({ sourceId: externalFactChecks.sourceId, n: count() })
        .from(externalFactChecks)
        .where(inArray(externalFactChecks.sourceId, ids as string[]))
        .groupBy(externalFactChecks.sourceId);
      const found = new Map(rows.map((r) => [r.sourceId, Number(r.n)]));
      return ids.map((id) => found.get(id) ?? 0);
    }),
  };
}
