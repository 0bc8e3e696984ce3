/** What the metrics read of the feeds at each scrape. */
import { isNotNull } from 'drizzle-orm';
import type { Queryable } from '../../db/connection.js';
import { externalSources } from '../../db/schema.js';
import { toGlobalId } from '../global-ids.js';

/** Each feed's last successful fetch, by its global ID, in unix seconds (feeds never fetched successfully are left out). */
export async function lastSuccesses(db: Queryable): Promise<{ id: string; seconds: number }[]> {
  const rows = await db
    .select({ id: externalSources.id, at: externalSources.lastSuccessAt })
    .from(externalSources)
    .where(isNotNull(externalSources.lastSuccessAt));
  return rows.map((r) => ({ id: toGlobalId('ExternalSource', r.id), seconds: r.at!.getTime() / 1000 }));
}
