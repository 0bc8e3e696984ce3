import { RateLimiterMemory } from 'rate-limiter-flexible';
import { httpGraphQLError } from './errors.js';

/**
 * Slows token guessing: after `failures` failed authentications from one address within a minute,
 * that address is refused (429) until the minute has passed. Per process, in memory: a guesser
 * spread over N processes gets N times the budget, which still makes guessing a 256-bit token hopeless.
 */
export function createAuthLimiter(failuresPerMinute: number) {
  const limiter = new RateLimiterMemory({ points: failuresPerMinute, duration: 60 });
  return {
    async assertAllowed(address: string) {
      const state = await limiter.get(address);
      if (state && state.remainingPoints <= 0) {
        throw httpGraphQLError('TOO_MANY_REQUESTS', `Too many failed authentications; retry in ${Math.ceil(state.msBeforeNext / 1000)} s`);
      }
    },
    async recordFailure(address: string) {
      await limiter.consume(address).catch(() => undefined);
    },
  };
}
export type AuthLimiter = ReturnType<typeof createAuthLimiter>;
