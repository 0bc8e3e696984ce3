import { RateLimiterMemory } from 'rate-limiter-flexible';

/**
 * Slows token guessing: after `failures` failed authentications from one address within a minute,
 * that address is refused (429) until the minute has passed. Per process, in memory: a guesser
 * spread over N processes gets N times the budget, which still makes guessing a 256-bit token hopeless.
 */
export function createAuthLimiter(failuresPerMinute: number) {
  const limiter = new RateLimiterMemory({ points: failuresPerMinute, duration: 60 });
  return {
    /** Milliseconds until the address may try again; null while it may. */
    async retryAfterMs(address: string): Promise<number | null> {
      const state = await limiter.get(address);
      return state && state.remainingPoints <= 0 ? state.msBeforeNext : null;
    },
    async recordFailure(address: string) {
      await limiter.consume(address).catch(() => undefined);
    },
  };
}
export type AuthLimiter = ReturnType<typeof createAuthLimiter>;
