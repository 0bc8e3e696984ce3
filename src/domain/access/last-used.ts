import { sql } from 'drizzle-orm';
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
    const current = minuteOf(Date.now());
    for (const [id, minute] of this.noted) if (minute < current - 1) this.noted.delete(id);
    if (!batch.size) return;
    // Each token gets the instant of its own first use; ISO strings, since postgres.js takes no Date in raw SQL.
    const rows = sql.join(
      [...batch].map(([id, at]) => sql`(${id}::uuid, ${at.toISOString()}::timestamptz)`),
      sql`, `,
    );
    try {
      await this.db.execute(sql`
        update ${apiTokens} set last_used_at = used.at
        from (values ${rows}) as used (id, at)
        where ${apiTokens.id} = used.id and (${apiTokens.lastUsedAt} is null or ${apiTokens.lastUsedAt} < date_trunc('minute', used.at))`);
    } catch (error) {
      this.onError(error);
    }
  }
}
