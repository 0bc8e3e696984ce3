/** The bulkhead of token lookups (src/domain/access/bulkhead.ts): at most its size at once, the rest in order, a failure frees its place. */
import { expect, test } from 'vitest';
import { Bulkhead } from '../../src/domain/access/bulkhead.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

test('runs at most `size` calls at once, the others in the order they came, and a failed call hands over its place', async () => {
  const bulkhead = new Bulkhead(2);
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const calls = Array.from({ length: 8 }, (_, i) =>
    bulkhead.run(async () => {
      started.push(i);
      most = Math.max(most, ++running);
      await tick();
      running--;
      if (i === 3) throw new Error('lookup failed');
      return i;
    }),
  );
  const outcomes = await Promise.allSettled(calls);
  expect(most).toBe(2);
  expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
  // Everything finished: the next call starts at once.
  expect(await bulkhead.run(async () => 'free')).toBe('free');
});
