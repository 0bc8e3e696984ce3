/**
 * Keeping a feed's lease while its fetch and import run: every leaseRenewMs (a third of the lease)
 * the lease is extended by a whole lease from now, as long as it is still this fetch's. A fetch whose
 * lease another process took (this one stalled past it) is told through `signal`, and its import
 * stops at the next batch: the other process fetches the feed again anyway, and this one's outcome
 * would not be recorded. A renewal the database does not answer is tried again at the next tick.
 */
import type { Database } from '../../db/connection.js';
import { renewLease, type Lease } from './lease.js';
import { leaseRenewMs, type FeedSettings } from './settings.js';

export class LeaseLostError extends Error {
  constructor() {
    super('its lease was taken by another fetch');
  }
}

export interface LeaseRenewal {
  /** Aborted (with a LeaseLostError) once the lease is found to be another's. */
  signal: AbortSignal;
  /** Stops renewing; resolves once a renewal under way has ended, so none follows the final write. */
  stop(): Promise<void>;
}

export function keepLease(db: Database, settings: FeedSettings, lease: Lease): LeaseRenewal {
  const controller = new AbortController();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let renewing: Promise<void> = Promise.resolve();
  const schedule = () => {
    timer = setTimeout(() => (renewing = renew()), leaseRenewMs(settings));
    // A process that is ending does not wait for it: its lease then runs out.
    timer.unref();
  };
  const renew = async () => {
    try {
      if (!(await renewLease(db, settings, lease))) return controller.abort(new LeaseLostError());
    } catch {
      // The database did not answer: the lease lasts three intervals, the next tick tries again.
    }
    if (!stopped) schedule();
  };
  schedule();
  return {
    signal: controller.signal,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await renewing;
    },
  };
}
