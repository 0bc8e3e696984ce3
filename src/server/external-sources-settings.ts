import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { FEED_DEFAULTS, type Config } from '../config.js';
import { SYSTEM_CLOCK, type FeedClock, type FeedObserver, type FeedRuntime, type FeedSettings } from '../domain/external-sources/settings.js';
import { shown } from '../domain/external-sources/fetch-document.js';
import type { Logger } from './logger.js';

/** A feed's URL as the log and the traces show it (fetch-document.ts, `shown`): never its query string or user part. */
export const shownUrl = (url: string) => {
  try {
    return shown(new URL(url));
  } catch {
    return '(not a URL)';
  }
};

export type FeedConfig = Pick<Config, 'NODE_ENV'> &
  Partial<
    Pick<
      Config,
      | 'EXTERNAL_FETCH_TIMEOUT_MS'
      | 'EXTERNAL_FETCH_MAX_BYTES'
      | 'EXTERNAL_FETCH_WAIT_MS'
      | 'EXTERNAL_SOURCES_ALLOW_PRIVATE_URLS'
      | 'EXTERNAL_SOURCES_TRUSTED_ORIGINS'
      | 'EXTERNAL_SOURCES_POLL_MS'
      | 'EXTERNAL_SOURCES_CLOCK_FILE'
    >
  >;

/** Tests only (config refuses it elsewhere): the offset in the file, 0 while it is missing or unreadable. */
function fileClock(path: string): FeedClock {
  return {
    offsetMs() {
      try {
        const offset = Number(readFileSync(path, 'utf8').trim());
        return Number.isFinite(offset) ? offset : 0;
      } catch {
        return 0;
      }
    },
  };
}

/**
 * Private addresses are refused in production only, unless EXTERNAL_SOURCES_ALLOW_PRIVATE_URLS=true
 * (as webhooks). fetchExternalSource waits for another fetch at most EXTERNAL_FETCH_WAIT_MS, by
 * default that fetch's own deadline plus an import's allowance (config.ts, FEED_DEFAULTS).
 */
export function feedSettings(config: FeedConfig): FeedSettings {
  const timeoutMs = config.EXTERNAL_FETCH_TIMEOUT_MS ?? FEED_DEFAULTS.timeoutMs;
  return {
    allowPrivateUrls: config.NODE_ENV !== 'production' || config.EXTERNAL_SOURCES_ALLOW_PRIVATE_URLS === true,
    trustedOrigins: config.EXTERNAL_SOURCES_TRUSTED_ORIGINS ?? [],
    timeoutMs,
    waitMs: config.EXTERNAL_FETCH_WAIT_MS ?? timeoutMs + FEED_DEFAULTS.importAllowanceMs,
    maxBytes: config.EXTERNAL_FETCH_MAX_BYTES ?? FEED_DEFAULTS.maxBytes,
    clock: config.EXTERNAL_SOURCES_CLOCK_FILE ? fileClock(config.EXTERNAL_SOURCES_CLOCK_FILE) : SYSTEM_CLOCK,
  };
}

export const feedPollMs = (config: FeedConfig) => config.EXTERNAL_SOURCES_POLL_MS ?? FEED_DEFAULTS.pollMs;

/** The process's feed runtime: its settings, a lease name of its own, and one log line per failed fetch (plus the metrics). */
export function feedRuntime(config: FeedConfig, logger: Logger, metrics: FeedObserver | null): FeedRuntime {
  return {
    settings: feedSettings(config),
    processId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    observer: {
      fetched(outcome) {
        metrics?.fetched(outcome);
        const fields = { sourceId: outcome.sourceId, url: shownUrl(outcome.url), outcome: outcome.kind };
        // One line per failure; a success is news only when its outcome could not be recorded.
        if (outcome.kind === 'error') logger.warn({ ...fields, error: outcome.error, recorded: !outcome.leaseLost }, 'feed fetch failed');
        else if (outcome.leaseLost) logger.warn(fields, 'feed fetched, but its outcome was not recorded: another fetch took its lease or the feed was deleted');
        else logger.debug({ ...fields, created: outcome.created, updated: outcome.updated }, 'feed fetched');
      },
    },
  };
}
