/**
 * fetchExternalSource: fetch a feed now, whatever its schedule, under the same lease as the job. If
 * another fetch holds the lease (this process's job or another process), wait for it to end and
 * answer its result from the row: lastFetchedAt, lastError, and the report it stored (null if it
 * failed). A lease that runs out meanwhile (its holder died) is taken, and the feed fetched here.
 *
 * The wait is bounded: a live holder renews its lease for as long as its import runs, however long,
 * and an HTTP request (and the proxies in front of it) must not hang for that long. Past
 * `settings.waitMs` (EXTERNAL_FETCH_WAIT_MS) it answers CONFLICT, having changed nothing; the other
 * fetch goes on and records its outcome in the row. A caller that goes away (`signal`: the client
 * closed its connection) stops the wait at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '../../db/connection.js';
import type { ExternalSourceRow } from '../../db/schema.js';
import { conflict, notFound } from '../coded-errors.js';
import { storedReport } from '../external-imports/report.js';
import { EDITORS, requireRole, type Viewer } from '../viewer.js';
import { readSource, takeLeaseOf } from './lease.js';
import { runLeasedFetch } from './run-fetch.js';
import { clockMillis, type FeedClock, type FeedRuntime } from './settings.js';

const POLL_MS = 100;

const existing = async (db: Database, sourceId: string) => (await readSource(db, sourceId)) ?? Promise.reject(notFound('External source', 'sourceId'));

/** What a fetch that ended left in the row. */
const answerOf = (source: ExternalSourceRow) => ({
  source,
  report: source.lastError === null ? storedReport(source.lastReport) : null,
});

/** The row's lease has run out, by the feeds' clock (approximately: taking it again is what decides). */
const ranOut = (source: ExternalSourceRow, clock: FeedClock) => source.leaseExpiresAt !== null && source.leaseExpiresAt.getTime() < clockMillis(clock);

const seconds = (ms: number) => Math.max(1, Math.round(ms / 1000));

/** The answer once the wait's limit has passed: nothing was done, and the other fetch will record its own outcome. */
const stillRunning = (waitMs: number) =>
  conflict(
    `Another fetch of this feed is still running (a long download or import) after ${seconds(waitMs)} s of waiting; nothing was done. ` +
      "Its outcome will be the feed's lastFetchedAt and lastError: read the feed later, or retry fetchExternalSource in a minute " +
      "(it answers that fetch's result once it has ended)",
  );

/** The answer to a caller that went away: nobody reads it, but it must not be logged as a failure. */
const abandoned = () => conflict('The request was closed by its client while it waited for another fetch of this feed; nothing was done');

/** A wait that ends early, without a rejection of its own, when `signal` aborts. */
const pause = (ms: number, signal: AbortSignal | undefined) => sleep(ms, undefined, signal ? { signal } : {}).catch(() => {});

/**
 * Polls the row while `held`'s fetch runs: the row once that fetch ended (its lease released, or a
 * later fetch under way, which means it ended), or null once its lease ran out unreleased. A live
 * holder renews its lease (lease-renewal.ts), so that may take as long as its fetch and import: past
 * `deadline` (on the feeds' clock) it throws CONFLICT; once `signal` aborts, it throws at once. A dead
 * holder's lease runs out within one lease.
 */
async function whenEnded(
  db: Database,
  held: ExternalSourceRow,
  runtime: FeedRuntime,
  deadline: number,
  signal?: AbortSignal,
): Promise<ExternalSourceRow | null> {
  const { clock, waitMs } = runtime.settings;
  for (;;) {
    await pause(POLL_MS, signal);
    if (signal?.aborted) throw abandoned();
    const now = await existing(db, held.id);
    const ended = now.leaseOwner === null || (now.leaseOwner !== held.leaseOwner && now.lastFetchedAt?.getTime() !== held.lastFetchedAt?.getTime());
    if (ended) return now;
    if (now.leaseOwner !== held.leaseOwner || ranOut(now, clock)) return null;
    if (clockMillis(clock) >= deadline) throw stillRunning(waitMs);
  }
}

export async function fetchExternalSource(db: Database, viewer: Viewer | null, runtime: FeedRuntime, sourceId: string, signal?: AbortSignal) {
  requireRole(viewer, EDITORS);
  // One limit for the whole call: a holder that dies and another process that takes the lease after
  // it do not start the wait again.
  const deadline = clockMillis(runtime.settings.clock) + runtime.settings.waitMs;
  for (;;) {
    const lease = await takeLeaseOf(db, runtime.settings, runtime.processId, sourceId);
    if (lease) {
      // A fetch of our own (its GET bounded by the fetch timeout, its import by the document's size)
      // is not stopped by the caller going away: like the job's, it records its outcome for whoever
      // reads the feed next.
      const { source, report } = await runLeasedFetch(db, runtime, lease);
      if (!source) throw notFound('External source', 'sourceId');
      return { source, report };
    }
    const ended = await whenEnded(db, await existing(db, sourceId), runtime, deadline, signal);
    if (ended) return answerOf(ended);
  }
}
