/** How this process fetches feeds (from config), and the clock their schedule runs on. */
import { sql, type SQL } from 'drizzle-orm';

/**
 * The database's now(), shifted by `offsetMs()`: 0 in production; tests move it forward to make an
 * interval pass without waiting. Every time of the schedule and the lease is read from it, so that
 * all processes on one database share one clock.
 */
export interface FeedClock {
  offsetMs(): number;
}

export const SYSTEM_CLOCK: FeedClock = { offsetMs: () => 0 };

/** Now on `clock`, in this process (Date.now() shifted like clockNow): for waits measured here, not written. */
export const clockMillis = (clock: FeedClock) => Date.now() + clock.offsetMs();

export const clockNow = (clock: FeedClock): SQL => {
  const offset = clock.offsetMs();
  return offset === 0 ? sql`now()` : sql`(now() + interval '1 millisecond' * ${offset}::float8)`;
};

export interface FeedPolicy {
  /** False in production unless EXTERNAL_SOURCES_ALLOW_PRIVATE_URLS=true. */
  allowPrivateUrls: boolean;
  /** Origins (scheme://host:port) exempt from the address rule: feeds on the operator's own internal servers (EXTERNAL_SOURCES_TRUSTED_ORIGINS). */
  trustedOrigins: readonly string[];
}

/** Whether `url` may be on a private address under `policy`. */
export const mayBePrivate = (policy: FeedPolicy, url: URL) => policy.allowPrivateUrls || policy.trustedOrigins.includes(url.origin);

export interface FeedSettings extends FeedPolicy {
  /** The whole fetch, redirects and body included (EXTERNAL_FETCH_TIMEOUT_MS). */
  timeoutMs: number;
  /** The largest body read (EXTERNAL_FETCH_MAX_BYTES). */
  maxBytes: number;
  /**
   * How long fetchExternalSource waits for another fetch of the same feed to end before it answers
   * CONFLICT (EXTERNAL_FETCH_WAIT_MS): a live holder renews its lease for as long as its import runs,
   * and an HTTP request must not hang for that long. Measured on `clock`.
   */
  waitMs: number;
  clock: FeedClock;
  /** How often a running fetch renews its lease; left out, a third of the lease (tests shorten it). */
  leaseRenewMs?: number;
}

/** What the server is told of each fetch: metrics and the log line of a failure. */
export interface FeedObserver {
  fetched(outcome: FetchOutcome): void;
}

export interface FetchOutcome {
  sourceId: string;
  url: string;
  kind: 'success' | 'not_modified' | 'error';
  /** The publisher's last HTTP status (after redirects); null if it answered none (DNS, refused, timeout before the headers). */
  status: number | null;
  created: number;
  updated: number;
  error: string | null;
  /** The lease ran out before the outcome could be written (another process may have fetched it since). */
  leaseLost: boolean;
}

/** Everything a fetch needs of the process: its settings, the name its leases carry, who hears the outcome. */
export interface FeedRuntime {
  settings: FeedSettings;
  /** This process, in the leases it takes (a random ID per process). */
  processId: string;
  observer: FeedObserver;
  /** How a fetched document is imported: the desk's own base URL (its fact checks are left out) and the batch size. */
  importing?: { ownBaseUrl: () => string; batchSize: number };
  /** Runs a fetch (the GET, the import, the outcome's write) inside a trace span (src/server/tracing-spans.ts); unset when tracing is off. */
  traced?: FetchTracer;
}

/** The feed being fetched, as a span may show it: its ID and URL (the span drops the query string and user part). */
export interface FetchedFeed {
  id: string;
  url: string;
}

export type FetchTracer = (feed: FetchedFeed, run: () => Promise<FetchOutcome>) => Promise<FetchOutcome>;

/** A lease lasts the fetch's timeout plus this, from its taking or its last renewal. */
export const LEASE_MARGIN_MS = 60_000;
export const leaseMs = (settings: Pick<FeedSettings, 'timeoutMs'>) => settings.timeoutMs + LEASE_MARGIN_MS;
/** A third of the lease: two renewals in a row may fail (the database away a moment) before it runs out. */
export const leaseRenewMs = (settings: Pick<FeedSettings, 'timeoutMs' | 'leaseRenewMs'>) => settings.leaseRenewMs ?? Math.floor(leaseMs(settings) / 3);
