import type { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import type { ConnectionTarget } from './hosts.js';

/** What a LISTEN subscriber hears: payloads, and whether it may have missed some. */
export interface ListenHandlers {
  onNotify(payload: string): void;
  /** The LISTEN session is up (again): notifications from now on arrive. */
  onListening(): void;
  /** The LISTEN session was lost: notifications may be missed until onListening. */
  onDeaf(): void;
}

const RETRY_MS = { first: 250, max: 5_000 };

/**
 * LISTEN on a connection of its own. postgres.js' sql.listen() gives up for good when its reconnect
 * fails (the error is swallowed), so this one keeps retrying, with backoff, and reports each loss.
 */
export function listenPostgres(target: ConnectionTarget, channel: string, handlers: ListenHandlers): () => Promise<void> {
  let stopped = false;
  let listening = false;
  let retryTimer: NodeJS.Timeout | undefined;
  // onnotify is a postgres.js option that its typings leave out (sql.listen() is built on it).
  const options = {
    ...target.options,
    max: 1,
    idle_timeout: 0,
    max_lifetime: null,
    fetch_types: false,
    onnotice: () => {},
    // Named after its channel, so an operator (or a test) can tell the LISTEN connections apart.
    connection: { application_name: `factcheck-api-listen:${channel}` },
    onnotify: (name: string, payload: string) => {
      if (name === channel) handlers.onNotify(payload);
    },
    onclose: () => {
      if (stopped) return;
      if (listening) {
        listening = false;
        handlers.onDeaf();
      }
      schedule(RETRY_MS.first);
    },
  };
  const client = postgres(target.url, options as postgres.Options<Record<string, postgres.PostgresType>>);
  const subscribe = async (waitMs: number) => {
    retryTimer = undefined;
    if (stopped || listening) return;
    try {
      await client.unsafe(`listen "${channel.replace(/"/g, '""')}"`);
      if (stopped) return;
      listening = true;
      handlers.onListening();
    } catch {
      schedule(Math.min(waitMs * 2, RETRY_MS.max));
    }
  };
  function schedule(waitMs: number) {
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => void subscribe(waitMs), waitMs);
    retryTimer.unref();
  }
  void subscribe(RETRY_MS.first);
  return async () => {
    stopped = true;
    if (retryTimer) clearTimeout(retryTimer);
    await client.end({ timeout: 1 });
  };
}

/** PGlite is one process and one connection: its LISTEN is never lost. */
export async function listenPglite(client: PGlite, channel: string, handlers: ListenHandlers): Promise<() => Promise<void>> {
  const unlisten = await client.listen(channel, (payload) => handlers.onNotify(payload));
  handlers.onListening();
  return async () => {
    if (!client.closed) await unlisten();
  };
}
