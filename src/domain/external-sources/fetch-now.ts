/**
 * fetchExternalSource: fetch a feed now, whatever its schedule, under the same lease as the job. If
 * another fetch holds the lease (this process's job or another process), wait for it to end and
 * answer its result from the row: lastFetchedAt, lastError, and the report it stored (null if it
 * failed). A lease that runs out meanwhile (its holder died) is taken, and the feed fetched here.
 */
import type { Database } from '../../db/connection.js';
import type { ExternalSourceRow } from '../../db/schema.js';
import { notFound } from '../coded-errors.js';
import { storedReport } from '../external-imports/report.js';
import { EDITORS, requireRole, type Viewer } from '../viewer.js';
import { readSource, takeLeaseOf } from './lease.js';
import { runLeasedFetch } from './run-fetch.js';
import type { FeedClock, FeedRuntime } from './settings.js';

const POLL_MS = 100;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const existing = async (db: Database, sourceId: string) => (await readSource(db, sourceId)) ?? Promise.reject(notFound('External source', 'sourceId'));

/** What a fetch that ended left in the row. */
const answerOf = (source: ExternalSourceRow) => ({
  source,
  report: source.lastError === null ? storedReport(source.lastReport) : null,
});

/** The row's lease has run out, by the feeds' clock (approximately: taking it again is what decides). */
const ranOut = (source: ExternalSourceRow, clock: FeedClock) =>
  source.leaseExpiresAt !== null && source.leaseExpiresAt.getTime() < Date.now() + clock.offsetMs();

/**
 * Polls the row while `held`'s fetch runs: the row once that fetch ended (its lease released, or a
 * later fetch under way, which means it ended), or null once its lease ran out unreleased. A live
 * holder renews its lease (lease-renewal.ts), so the wait lasts as long as its fetch and import; a
 * dead one's lease runs out within one lease.
 */
async function whenEnded(db: Database, held: ExternalSourceRow, runtime: FeedRuntime): Promise<ExternalSourceRow | null> {
  for (;;) {
    await delay(POLL_MS);
    const now = await existing(db, held.id);
    const ended = now.leaseOwner === null || (now.leaseOwner !== held.leaseOwner && now.lastFetchedAt?.getTime() !== held.lastFetchedAt?.getTime());
    if (ended) return now;
    if (now.leaseOwner !== held.leaseOwner || ranOut(now, runtime.settings.clock)) return null;
  }
}

export async function fetchExternalSource(db: Database, viewer: Viewer | null, runtime: FeedRuntime, sourceId: string) {
  requireRole(viewer, EDITORS);
  for (;;) {
    const lease = await takeLeaseOf(db, runtime.settings, runtime.processId, sourceId);
    if (lease) {
      const { source, report } = await runLeasedFetch(db, runtime, lease);
      if (!source) throw notFound('External source', 'sourceId');
      return { source, report };
    }
    const ended = await whenEnded(db, await existing(db, sourceId), runtime);
    if (ended) return answerOf(ended);
  }
}
