import { LRUCache } from 'lru-cache';
import type { ApiTokenRow, UserRow } from '../../db/schema.js';

/** A token that was valid when looked up, with its user as they were then. */
export interface VerifiedToken {
  token: Pick<ApiTokenRow, 'id' | 'expiresAt' | 'rateLimitPerMinute'>;
  user: UserRow;
}

const MAX_ENTRIES = 10_000;

/**
 * Verified tokens by hash, for `ttlMs`, so that a request costs no token lookup. Entries are
 * dropped the moment a change is heard (NOTIFY factcheck_access from the database's triggers, or
 * this process's own mutation); the TTL only bounds what a lost notification could cost. While
 * the LISTEN session is down (`deaf`) nothing is served from or kept in the cache, and it is
 * emptied when the session comes back, since notifications may have been missed meanwhile.
 */
export class TokenCache {
  private readonly entries: LRUCache<string, VerifiedToken> | null;
  /**
   * Hashes this process has found valid since it started, whatever became of them since: not a
   * verdict (a remembered token is still looked up), only leave to look it up while its client's
   * address is over its failure budget (src/domain/access/access-control.ts). Never emptied by an
   * invalidation: it grants no access.
   */
  private readonly foundValid = new LRUCache<string, true>({ max: MAX_ENTRIES });
  private deaf = true;
  /** Bumped by every invalidation: a lookup that began before one must not be cached after it. */
  private generation = 0;

  constructor(ttlMs: number) {
    this.entries = ttlMs > 0 ? new LRUCache({ max: MAX_ENTRIES, ttl: ttlMs }) : null;
  }

  get(tokenHash: string): VerifiedToken | undefined {
    return this.deaf ? undefined : this.entries?.get(tokenHash);
  }

  /** A stamp to hand back to set(): the result is kept only if nothing was invalidated since. */
  stamp(): number {
    return this.generation;
  }

  set(tokenHash: string, value: VerifiedToken, stamp: number) {
    if (!this.deaf && stamp === this.generation) this.entries?.set(tokenHash, value);
  }

  rememberValid(tokenHash: string) {
    this.foundValid.set(tokenHash, true);
  }

  /** Whether this process has found `tokenHash` valid before (src/domain/access/access-control.ts). */
  wasValid(tokenHash: string): boolean {
    return this.foundValid.has(tokenHash);
  }

  forgetUser(userId: string) {
    this.generation++;
    for (const [hash, entry] of this.entries?.entries() ?? []) if (entry.user.id === userId) this.entries!.delete(hash);
  }

  forgetToken(tokenId: string) {
    this.generation++;
    for (const [hash, entry] of this.entries?.entries() ?? []) if (entry.token.id === tokenId) this.entries!.delete(hash);
  }

  clear() {
    this.generation++;
    this.entries?.clear();
  }

  /** A notification from the factcheck_access channel: `user:<id>` or `token:<id>`; anything else empties the cache. */
  onNotification(payload: string) {
    const [kind, id] = payload.split(':');
    if (kind === 'user' && id) this.forgetUser(id);
    else if (kind === 'token' && id) this.forgetToken(id);
    else this.clear();
  }

  setDeaf(deaf: boolean) {
    this.deaf = deaf;
    this.clear();
  }
}

export const ACCESS_CHANNEL = 'factcheck_access';
