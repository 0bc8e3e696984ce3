/**
 * Finishing a re-map of external ratings that was cut short: a background loop inside every server
 * process. At once on start, then every `pollMs`, it reads the re-map owed
 * (src/domain/external-imports/rules-store.ts) and, while one is pending, walks it batch by batch from
 * where its last committed batch left it, each batch its own short transaction under RULES_LOCK and
 * the re-map's row lock. Any number of processes may run it: a batch locks the re-map's row, and a
 * job that finds it held by another walker (setExternalRatingRules' own re-map, or another process's
 * job) leaves it to that one until its next poll; walkers that do take turns share one cursor, so no
 * batch is done twice. A failed batch rolls back and is tried again at the next poll.
 */
import type { Logger } from 'pino';
import type { DatabaseHandle } from '../db/connection.js';
import { remapStep } from '../domain/external-imports/rules-store.js';
import { pollingLoop, type PollingLoop } from './wakeable-pause.js';

/** How often each process looks for a re-map left pending by a process that stopped mid-way. */
export const RATING_REMAP_POLL_MS = 30_000;

export type RatingRemapJob = PollingLoop;

/** Told about the re-maps this job finished (tests, logs). */
export interface RemapObserver {
  finished(generation: number, changed: number): void;
}

export function startRatingRemap(
  database: DatabaseHandle,
  settings: { batchSize: number; pollMs?: number },
  logger: Logger,
  observer?: RemapObserver,
): RatingRemapJob {
  const pollMs = settings.pollMs ?? RATING_REMAP_POLL_MS;
  // The generation whose re-map this job is walking: one log line when it takes one up, one when it ends it.
  let walking: number | null = null;
  return pollingLoop(
    async () => {
      const step = await remapStep(database.db, { generation: null, batchSize: settings.batchSize, wait: false });
      if (step.kind === 'more' || step.kind === 'finished') {
        if (walking !== step.generation)
          logger.debug({ generation: step.generation }, 're-mapping external ratings: a re-map is pending (cut short, or under way in another request)');
        walking = step.generation;
      } else walking = null;
      if (step.kind === 'finished') {
        // News when it changed ratings (the re-map a stopped process left); a fresh database's first pass changes none.
        logger[step.changed > 0 ? 'info' : 'debug']({ generation: step.generation, changed: step.changed }, 're-map of external ratings finished');
        observer?.finished(step.generation!, step.changed);
        walking = null;
      }
      return step.kind === 'more';
    },
    pollMs,
    logger,
    'a re-map batch of external ratings failed; retrying at the next poll',
  );
}
