import type { DatabaseHandle } from '../../db/connection.js';
import type { UserRow } from '../../db/schema.js';
import type { Role } from '../../model/enums.js';
import { LastUsedRecorder } from './last-used.js';
import { SharedBudget, type BudgetDecision } from './shared-budget.js';
import { ACCESS_CHANNEL, TokenCache } from './token-cache.js';
import { cachedToken, hashToken, isIssuedShape, lookUpToken, MIN_TOKEN_LENGTH, unknownToken, type TokenCheck } from './verify.js';

export interface AccessSettings {
  /** Failed authentications per minute and client address, across every process. */
  failuresPerMinute: number;
  /** Requests per minute of a token without its own rateLimitPerMinute, by its user's role. */
  partnerPerMinute: number;
  staffPerMinute: number;
  /** How long a verified token is trusted without a lookup, unless a change is heard first; 0: never. */
  tokenCacheTtlMs: number;
}

export type Authentication =
  | { viewer: UserRow | null; budget?: BudgetDecision }
  | { refusal: 'UNAUTHENTICATED' | 'TOO_MANY_REQUESTS'; message: string; retryAfterMs?: number; budget?: BudgetDecision };

/** What a mutation that changes who a token stands for tells this process, right after its commit. */
export interface AccessInvalidation {
  forgetUser(userId: string): void;
  forgetToken(tokenId: string): void;
}

const SWEEP_EVERY_MS = 5 * 60_000;
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Authentication for every entry point, per process: verified tokens cached and invalidated over
 * LISTEN/NOTIFY, per-token request budgets and the per-address failure budget on shared counters,
 * lastUsedAt kept to the minute.
 */
export async function createAccessControl(database: DatabaseHandle, settings: AccessSettings, onError: (error: unknown, what: string) => void) {
  const cache = new TokenCache(settings.tokenCacheTtlMs);
  const budgets = new SharedBudget(database.db, (error) => onError(error, 'rate-limit counter unavailable; request let through'));
  const lastUsed = new LastUsedRecorder(database.db, (error) => onError(error, 'could not write lastUsedAt'));
  const unlisten =
    settings.tokenCacheTtlMs > 0
      ? await database.listen(ACCESS_CHANNEL, {
          onNotify: (payload) => cache.onNotification(payload),
          onListening: () => cache.setDeaf(false),
          onDeaf: () => cache.setDeaf(true),
        })
      : async () => {};
  const sweeper = setInterval(() => budgets.sweep().catch((error) => onError(error, 'could not sweep rate-limit counters')), SWEEP_EVERY_MS);
  sweeper.unref();

  /**
   * A token's check, from memory where it can be: what no token can be (empty, shorter than any
   * token) is refused without a statement, a cached token costs none, any other one lookup; but
   * while `failureKey` is over its budget, a token that is neither of the issued shape nor found
   * valid by this process before is refused without one (guessing a secret of the operator's
   * choosing, ADMIN_TOKEN, stays throttled; guessing an issued token is hopeless anyway).
   */
  const checkToken = async (token: string, failureKey: string): Promise<TokenCheck> => {
    if (token.length < MIN_TOKEN_LENGTH) return token ? unknownToken() : { refusal: 'unknown', message: 'The Authorization header is not "Bearer <token>"' };
    const now = new Date();
    const tokenHash = hashToken(token);
    const cached = cachedToken(cache, tokenHash, now);
    if (cached) return cached;
    if (budgets.refusedFor(failureKey) !== null && !isIssuedShape(token) && !cache.wasValid(tokenHash)) return unknownToken();
    return lookUpToken(database.db, cache, tokenHash, now);
  };

  const budgetOf = (rateLimitPerMinute: number | null, role: Role) =>
    rateLimitPerMinute ?? (role === 'PARTNER' ? settings.partnerPerMinute : settings.staffPerMinute);

  return {
    /**
     * Who a request's token stands for. No token: anonymous. A token that is unknown or revoked is
     * refused (and counts against the address); so are expired tokens and deactivated users' (they
     * do not count: their holder knew a real token). Past its failure budget an address is refused
     * its failures only (429): a valid token still authenticates, whatever else its address sends.
     * What each case costs in statements is in docs/security.md ("The lock-out"). A token over its
     * request budget is refused before anything runs.
     */
    async authenticate(token: string | null, address: string): Promise<Authentication> {
      if (token === null) return { viewer: null };
      const failureKey = `auth:${address}`;
      const check = await checkToken(token, failureKey);
      if ('refusal' in check) {
        if (check.refusal === 'unknown') {
          // Once this process knows the address is over its budget, take() refuses from memory.
          const failures = await budgets.take(failureKey, settings.failuresPerMinute);
          if (!failures.allowed) return tooManyFailures(failures.resetMs);
        }
        return { refusal: 'UNAUTHENTICATED', message: check.message };
      }
      const { token: record, user } = check.verified;
      const budget = await budgets.take(`token:${record.id}`, budgetOf(record.rateLimitPerMinute, user.role));
      if (!budget.allowed) {
        return {
          refusal: 'TOO_MANY_REQUESTS',
          message: `This token may make ${budget.limit} requests per minute; retry in ${seconds(budget.resetMs)} s`,
          retryAfterMs: budget.resetMs,
          budget,
        };
      }
      lastUsed.touch(record.id);
      return { viewer: user, budget };
    },
    forgetUser: (userId: string) => cache.forgetUser(userId),
    forgetToken: (tokenId: string) => cache.forgetToken(tokenId),
    async close() {
      clearInterval(sweeper);
      await lastUsed.flush();
      await unlisten();
    },
  };
}
export type AccessControl = Awaited<ReturnType<typeof createAccessControl>>;

function tooManyFailures(waitMs: number): Authentication {
  return { refusal: 'TOO_MANY_REQUESTS', message: `Too many failed authentications; retry in ${seconds(waitMs)} s`, retryAfterMs: waitMs };
}
