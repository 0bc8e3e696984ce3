import type { Logger } from 'pino';

/**
 * The pause between a job's polls, cut short by a wake-up: new work (a webhook queued, a feed's
 * fetch ended) or stop(). A wake-up that comes while the job is busy is kept, so that its next pause
 * ends at once: the job looks again rather than sleeping through the news (or through stop()).
 */
export class WakeablePause {
  #end: (() => void) | null = null;
  #woken = false;

  /** Resolves after `ms`, or at the first wake-up (at once if one came since the last pause). */
  pause(ms: number): Promise<void> {
    if (this.#woken) {
      this.#woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#ended(resolve), ms);
      this.#end = () => {
        clearTimeout(timer);
        this.#ended(resolve);
      };
    });
  }

  wake(): void {
    if (this.#end) this.#end();
    else this.#woken = true;
  }

  #ended(resolve: () => void) {
    this.#end = null;
    resolve();
  }
}

export interface PollingLoop {
  /** Ends the loop: wakes it from its pause and waits for the step under way. */
  stop(): Promise<void>;
}

/**
 * A job's loop: `step` at once, again at once while it answers true (more to do), else after a pause
 * of `pollMs`; a step that throws is logged (unless stopping) with `failure` and tried at the next poll.
 * `stopping()` tells a long step that stop() was called.
 */
export function pollingLoop(step: (stopping: () => boolean) => Promise<boolean>, pollMs: number, logger: Logger, failure: string): PollingLoop {
  let stopped = false;
  const between = new WakeablePause();
  const loop = (async () => {
    while (!stopped) {
      let more = false;
      try {
        more = await step(() => stopped);
      } catch (error) {
        if (!stopped) logger.warn({ err: error }, failure);
      }
      if (!more) await between.pause(pollMs);
    }
  })();
  return {
    async stop() {
      stopped = true;
      between.wake();
      await loop;
    },
  };
}
