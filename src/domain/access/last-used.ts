import { and, inArray, isNull, lt, or } from 'drizzle-orm';
import type { Database } from '../../db/connection.js';
import { apiTokens } from '../../db/schema.js';

const FLUSH_AFTER_MS = 250;
const minuteOf = (ms: number) => Math.floor(ms / 60_000);

/**
 * Keeps api_tokens.last_used_at to the minute without a write per request: the first use of a
 * token in a minute is noted in memory and written within FLUSH_AFTER_MS, in one statement for
 * every token noted meanwhile. The statement skips rows already stamped in that minute, so that
 * however many processes note the same token, its row is written at most once a minute. It runs
 * after the response and never fails a request.
 */
export class LastUsedRecorder {
  /** The minute each token was last noted in, by this process. */
  private readonly noted = new Map<string, number>();
  /** Tokens to stamp, with the instant of their first use in the minute. */
  private pending = new Map<string, Date>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly onError: (error: unknown) => void,
  ) {}

  touch(tokenId: string, now = Date.now()) {
    const minute = minuteOf(now);
    if (this.noted.get(tokenId) === minute) return;
    this.noted.set(tokenId, minute);
    this.pending.set(tokenId, new Date(now));
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_AFTER_MS);
  }

  /** Writes what is pending (also on shutdown). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  private async write(batch: Map<string, Date>) {
    if (!batch.size) return;
    const byMinute = new Map<number, { at: Date; ids: string[] }>();
    for (const [id, at] of batch) {
      const group = byMinute.get(minuteOf(at.getTime())) ?? { at, ids: [] };
      if (at < group.at) group.at = at;
      group.ids.push(id);
      byMinute.set(minuteOf(at.getTime()), group);
    }
    const current = minuteOf(Date.now());
    for (const [id, minute] of this.noted) if (minute < current - 1) this.noted.delete(id);
    for (const [minute, { at, ids }] of byMinute) {
      try {
        await this.db
          .update(apiTokens)
          .set({ lastUsedAt: at })
          .where(and(inArray(apiTokens.id, ids), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, new Date(minute * 60_000)))));
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
