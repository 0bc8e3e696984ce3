/**
 * The feed fetcher: a background loop inside every server process. Every `pollMs` it takes due
 * feeds, one lease at a time (src/domain/external-sources/lease.ts), and fetches them without
 * waiting, up to CONCURRENCY at once; the lease keeps every other process off a feed while it is
 * fetched. A fetch never throws (its failure is the feed's lastError); a failed claim is logged and
 * tried again at the next poll.
 */
import type { DatabaseHandle } from '../db/connection.js';
import { takeDueLease } from '../domain/external-sources/lease.js';
import { runLeasedFetch } from '../domain/external-sources/run-fetch.js';
import type { FeedRuntime } from '../domain/external-sources/settings.js';
import type { Logger } from 'pino';
import { WakeablePause } from './wakeable-pause.js';

const CONCURRENCY = 4;
/** How long stop() waits for fetches in flight; their leases let another process take over after that. */
const STOP_GRACE_MS = 2_000;

export interface ExternalSourceFetcher {
  stop(): Promise<void>;
}

export function startExternalSourceFetcher(database: DatabaseHandle, runtime: FeedRuntime, pollMs: number, logger: Logger): ExternalSourceFetcher {
  let stopped = false;
  const between = new WakeablePause();
  const inFlight = new Set<Promise<unknown>>();

  const loop = (async () => {
    while (!stopped) {
      let took = false;
      if (inFlight.size < CONCURRENCY) {
        try {
          const lease = await takeDueLease(database.db, runtime.settings, runtime.processId);
          if (lease && !stopped) {
            took = true;
            const run = runLeasedFetch(database.db, runtime, lease).finally(() => {
              inFlight.delete(run);
              between.wake();
            });
            inFlight.add(run);
          }
        } catch (error) {
          if (!stopped) logger.warn({ err: error }, 'could not take a due feed; retrying at the next poll');
        }
      }
      if (!took) await between.pause(pollMs);
    }
  })();

  return {
    async stop() {
      stopped = true;
      between.wake();
      await loop;
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
    },
  };
}
