/**
 * The release of scheduled publications: a background loop inside every server process. Every
 * POLL_MS (and at once on start, so that what fell due during an outage goes out first) it reads
 * the schedules due now and releases each (src/domain/scheduling/release.ts). Any number of
 * processes may run it: each release is one transaction under the claim's lock that re-reads the
 * schedule, so a process that comes second finds nothing to release; no lease is needed, since
 * nothing is held across I/O to a third party (fact_check.published goes through the outbox).
 */
import type { Logger } from 'pino';
import type { DatabaseHandle } from '../db/connection.js';
import { dueScheduledPublications, releaseScheduledPublication, type Release } from '../domain/scheduling/release.js';
import { pollingLoop } from './wakeable-pause.js';

/** How many due schedules one pass reads; a longer backlog continues at once. */
const BATCH = 100;

export interface PublicationRelease {
  stop(): Promise<void>;
}

/** Told about each release (metrics). */
export interface ReleaseObserver {
  released(release: Release): void;
}

export function startPublicationRelease(database: DatabaseHandle, pollMs: number, logger: Logger, observer?: ReleaseObserver): PublicationRelease {
  /** One pass: releases what is due; true when more may be due at once. */
  async function pass(stopping: () => boolean): Promise<boolean> {
    const due = await dueScheduledPublications(database.db, BATCH);
    let released = 0;
    for (const item of due) {
      if (stopping()) return false;
      try {
        const release = await releaseScheduledPublication(database.db, item);
        if (release) {
          released++;
          observer?.released(release);
          logger.info(
            { factCheckId: release.factCheckId, lateSeconds: (release.publishedAt.getTime() - release.publishAt.getTime()) / 1000 },
            'scheduled publication released',
          );
        }
      } catch (error) {
        // Left scheduled: the next pass tries again.
        logger.warn({ err: error, claimId: item.claimId }, 'could not release a scheduled publication; retrying');
      }
    }
    // A full batch of which nothing could be released waits for the next poll instead of spinning.
    return due.length === BATCH && released > 0;
  }

  return pollingLoop(pass, pollMs, logger, 'could not read the scheduled publications due; retrying');
}
