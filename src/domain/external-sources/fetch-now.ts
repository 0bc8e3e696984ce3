/**
 * fetchExternalSource: fetch a feed now, whatever its schedule, under the same lease as the job. If
 * another fetch holds the lease (this process's job or another process), wait for it to end (the
 * lease released, or run out) and answer its result from the row: lastFetchedAt, lastError, and
 * the report it stored (null if it failed).
 */
import type { Database } from '../../db/connection.js';
import type { ExternalSourceRow } from '../../db/schema.js';
import { notFound } from '../coded-errors.js';
import type { ImportReport } from '../external-imports/report.js';
import { EDITORS, requireRole, type Viewer } from '../viewer.js';
import { readSource, takeLeaseOf } from './lease.js';
import { runLeasedFetch, type FetchResult } from './run-fetch.js';
import { leaseMs, type FeedRuntime } from './settings.js';

const POLL_MS = 100;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const answerOf = (source: ExternalSourceRow): FetchResult => ({
  source,
  report: source.lastError === null ? ((source.lastReport as ImportReport | null) ?? null) : null,
});

export async function fetchExternalSource(
  db: Database,
  viewer: Viewer | null,
  runtime: FeedRuntime,
  sourceId: string,
): Promise<FetchResult & { source: ExternalSourceRow }> {
  requireRole(viewer, EDITORS);
  // At most one lease's length of waiting for others, then the row as it is.
  const deadline = Date.now() + leaseMs(runtime.settings);
  for (;;) {
    const lease = await takeLeaseOf(db, runtime.settings, runtime.processId, sourceId);
    if (lease) {
      const result = await runLeasedFetch(db, runtime, lease);
      if (!result.source) throw notFound('External source', 'sourceId');
      return { source: result.source, report: result.report };
    }
    const held = await readSource(db, sourceId);
    if (!held) throw notFound('External source', 'sourceId');
    const holder = held.leaseOwner;
    for (;;) {
      await delay(POLL_MS);
      const now = await readSource(db, sourceId);
      if (!now) throw notFound('External source', 'sourceId');
      // Released by its holder: that fetch's result is ours.
      if (now.leaseOwner === null || (now.leaseOwner !== holder && now.lastFetchedAt?.getTime() !== held.lastFetchedAt?.getTime()))
        return { ...answerOf(now), source: now };
      if (Date.now() > deadline) return { ...answerOf(now), source: now };
      // Run out (a crashed holder) or taken by someone else without a result: try to take it ourselves.
      if (now.leaseOwner !== holder || (now.leaseExpiresAt && now.leaseExpiresAt.getTime() < Date.now() + runtime.settings.clock.offsetMs())) break;
    }
  }
}
