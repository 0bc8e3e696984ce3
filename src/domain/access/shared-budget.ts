import { lt } from 'drizzle-orm';
import { RateLimiterDrizzle } from 'rate-limiter-flexible';
import type { Database } from '../../db/connection.js';
import { rateLimits } from '../../db/schema.js';

export const WINDOW_SECONDS = 60;

/** What a budget says about one request. */
export interface BudgetDecision {
  allowed: boolean;
  /** The budget per window. */
  limit: number;
  /** Requests left in this window, across every process, as far as this process knows. */
  remaining: number;
  /** Milliseconds until the window ends (and the budget is whole again). */
  resetMs: number;
}

/**
 * Points a process takes from the shared counter at once: 2 % of the budget. At most that many
 * (less one) per other process are left unused when a window ends, and a token costs the database
 * one statement per lease, not per request.
 */
export const leaseSize = (budget: number) => Math.max(1, Math.floor(budget / 50));

interface KeyState {
  /** Points leased and not yet spent, valid until windowEndsAt. */
  left: number;
  windowEndsAt: number;
  /** What the shared counter had left for everyone when this process last leased. */
  othersLeft: number;
  /** The shared counter said no: refuse locally until the window ends. */
  refusedUntil: number;
  leasing: Promise<void> | null;
}

/**
 * Per-key budgets per minute, counted across every process on one database without a database
 * round trip per request. A process leases points from one shared counter per key (rate-limiter-
 * flexible's RateLimiterDrizzle, an atomic upsert) and spends them locally; requests beyond the
 * lease wait for the next one. A lease that crosses the budget grants only what was left before
 * it, so the sum admitted by all processes never exceeds the budget; one process alone enforces it
 * exactly (a budget of 5 refuses the 6th request).
 */
export class SharedBudget {
  private readonly store: RateLimiterDrizzle;
  private readonly states = new Map<string, KeyState>();

  constructor(
    private readonly db: Database,
    private readonly onError: (error: unknown) => void,
  ) {
    this.store = new RateLimiterDrizzle({
      storeClient: db,
      schema: rateLimits,
      keyPrefix: 'budget',
      points: Number.MAX_SAFE_INTEGER,
      duration: WINDOW_SECONDS,
      clearExpiredByTimeout: false,
    });
  }

  /** Spends one point of `key`'s budget, leasing more from the shared counter when the lease is spent. */
  async take(key: string, budget: number): Promise<BudgetDecision> {
    for (;;) {
      const now = Date.now();
      const state = this.stateOf(key);
      if (state.refusedUntil > now) return { allowed: false, limit: budget, remaining: 0, resetMs: state.refusedUntil - now };
      if (state.left > 0 && state.windowEndsAt > now) {
        state.left--;
        return { allowed: true, limit: budget, remaining: state.left + state.othersLeft, resetMs: state.windowEndsAt - now };
      }
      state.leasing ??= this.lease(key, budget, state).finally(() => (state.leasing = null));
      try {
        await state.leasing;
      } catch (error) {
        // The counter is out of reach (so is the database): let the request through rather than
        // refuse every client for an outage; it fails on its own statements if the outage is real.
        this.onError(error);
        return { allowed: true, limit: budget, remaining: budget, resetMs: WINDOW_SECONDS * 1000 };
      }
    }
  }

  /** Milliseconds until `key` may be spent again, from what this process knows; null while it may. */
  refusedFor(key: string): number | null {
    const wait = (this.states.get(key)?.refusedUntil ?? 0) - Date.now();
    return wait > 0 ? wait : null;
  }

  /** Deletes counters whose window ended more than a window ago (their keys start afresh anyway). */
  async sweep() {
    await this.db.delete(rateLimits).where(lt(rateLimits.expire, new Date(Date.now() - WINDOW_SECONDS * 1000)));
    const now = Date.now();
    for (const [key, state] of this.states) if (!state.leasing && state.windowEndsAt < now && state.refusedUntil < now) this.states.delete(key);
  }

  private stateOf(key: string): KeyState {
    let state = this.states.get(key);
    if (!state) this.states.set(key, (state = { left: 0, windowEndsAt: 0, othersLeft: 0, refusedUntil: 0, leasing: null }));
    return state;
  }

  private async lease(key: string, budget: number, state: KeyState) {
    const size = leaseSize(budget);
    const counted = await this.store.penalty(key, size);
    const usedBefore = counted.consumedPoints - size;
    const granted = Math.max(0, Math.min(size, budget - usedBefore));
    const now = Date.now();
    state.windowEndsAt = now + Math.max(counted.msBeforeNext, 1);
    state.left = granted;
    state.othersLeft = Math.max(0, budget - counted.consumedPoints);
    if (granted === 0) state.refusedUntil = state.windowEndsAt;
  }
}
