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
