/**
 * The webhook dispatcher: a background loop inside every server process. It claims one due
 * delivery at a time (src/domain/webhooks/dispatch.ts) and makes its HTTP attempt without waiting
 * for it, up to CONCURRENCY attempts at once and PER_ENDPOINT per endpoint, so a receiver that
 * hangs holds at most PER_ENDPOINT slots until its timeout while other endpoints keep being served.
 * It wakes on NOTIFY (sent when an outbox or redelivery commits), when a retry it scheduled comes
 * due, and every POLL_MS (retries scheduled by another process, a missed notification).
 */
import type { DatabaseHandle } from '../db/connection.js';
import { claimNextDelivery, recordAttempt, type ClaimedDelivery, type DispatchSettings } from '../domain/webhooks/dispatch.js';
import { DELIVERIES_CHANNEL } from '../domain/webhooks/outbox.js';
import { postWebhook } from '../domain/webhooks/send.js';
import type { Logger } from 'pino';
import { WakeablePause } from './wakeable-pause.js';

const CONCURRENCY = 16;
const PER_ENDPOINT = 4;
const POLL_MS = 500;
/** How long stop() waits for attempts in flight; their leases let another process take over after that. */
const STOP_GRACE_MS = 2_000;

export interface WebhookDispatcher {
  stop(): Promise<void>;
}

/** Told about each attempt (metrics): how late it started, and what it made of the delivery. */
export interface DispatchObserver {
  attemptStarted(lagSeconds: number): void;
  attemptEnded(state: AttemptState): void;
}

export type AttemptState = 'DELIVERED' | 'PENDING' | 'FAILED' | 'LEASE_LOST' | 'UNRECORDED';

/** What became of one attempt: its state, and the receiver's HTTP status if it answered. */
export interface AttemptOutcome {
  state: AttemptState;
  status: number | null;
}

/** Runs one attempt inside a trace span (src/server/tracing-spans.ts); unset when tracing is off. */
export type AttemptTracer = (claimed: ClaimedDelivery, run: () => Promise<AttemptOutcome>) => Promise<AttemptOutcome>;

export async function startWebhookDispatcher(
  database: DatabaseHandle,
  settings: DispatchSettings,
  logger: Logger,
  observer?: DispatchObserver,
  traced?: AttemptTracer,
): Promise<WebhookDispatcher> {
  let stopped = false;
  const between = new WakeablePause();
  const perEndpoint = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();

  const wake = () => between.wake();
  const busyEndpoints = () => [...perEndpoint].filter(([, n]) => n >= PER_ENDPOINT).map(([id]) => id);
  // Whether the last look for a due delivery left some aside (no free slot, or endpoints at their
  // limit): an attempt's end looks again only then. Otherwise that look found nothing due, and what
  // falls due later wakes the loop itself (NOTIFY, a retry's timer, the poll).
  let heldBack = false;

  function attempt(claimed: ClaimedDelivery) {
    perEndpoint.set(claimed.endpointId, (perEndpoint.get(claimed.endpointId) ?? 0) + 1);
    observer?.attemptStarted(claimed.lagSeconds);
    const attemptOnce = async (): Promise<AttemptOutcome> => {
      const result = claimed.request
        ? await postWebhook({ url: claimed.url, ...claimed.request, timeoutMs: settings.timeoutMs, allowPrivate: settings.allowPrivateUrls })
        : { delivered: false, status: null, error: claimed.error };
      try {
        const { state, nextAttemptAt } = await recordAttempt(database.db, settings, claimed, result);
        observer?.attemptEnded(state);
        // Wake for the retry when it comes due, not at the next poll: the gaps stay as drawn.
        if (state === 'PENDING') setTimeout(wake, Math.max(0, nextAttemptAt.getTime() - Date.now())).unref();
        logger[state === 'DELIVERED' ? 'debug' : 'info'](
          { deliveryId: claimed.deliveryId, endpointId: claimed.endpointId, status: result.status, error: result.error, state },
          'webhook attempt',
        );
        return { state, status: result.status };
      } catch (error) {
        // The lease runs out and the delivery is tried again: at least once, never lost.
        observer?.attemptEnded('UNRECORDED');
        logger.warn({ err: error, deliveryId: claimed.deliveryId }, 'could not record a webhook attempt');
        return { state: 'UNRECORDED', status: result.status };
      }
    };
    const run = (traced ? traced(claimed, attemptOnce) : attemptOnce())
      .then(() => {})
      .finally(() => {
        const left = (perEndpoint.get(claimed.endpointId) ?? 1) - 1;
        if (left > 0) perEndpoint.set(claimed.endpointId, left);
        else perEndpoint.delete(claimed.endpointId);
        inFlight.delete(run);
        if (heldBack) wake();
      });
    inFlight.add(run);
  }

  const loop = (async () => {
    while (!stopped) {
      let claimed: ClaimedDelivery | null = null;
      let more = false;
      heldBack = inFlight.size >= CONCURRENCY;
      if (!heldBack) {
        try {
          const busy = busyEndpoints();
          heldBack = busy.length > 0;
          ({ delivery: claimed, more } = await claimNextDelivery(database.db, settings, busy));
        } catch (error) {
          if (!stopped) logger.warn({ err: error }, 'could not claim a webhook delivery; retrying');
        }
      }
      if (claimed && !stopped) attempt(claimed);
      // Nothing else due as the claim saw it: no second look until something wakes the loop.
      if (!claimed || !more) await between.pause(POLL_MS);
    }
  })();

  let unlisten: (() => Promise<void>) | null = null;
  try {
    // Back from a lost LISTEN session, notifications may have been missed: look at once.
    unlisten = await database.listen(DELIVERIES_CHANNEL, { onNotify: wake, onListening: wake, onDeaf: () => {} });
  } catch (error) {
    logger.warn({ err: error }, 'LISTEN failed; webhook deliveries are picked up by polling');
  }

  return {
    async stop() {
      stopped = true;
      between.wake();
      await loop;
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
      await unlisten?.().catch(() => {});
    },
  };
}
