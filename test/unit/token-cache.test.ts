/** The token cache's rules (src/domain/access/token-cache.ts): what it forgets, and when it serves nothing. */
import { describe, expect, test } from 'vitest';
import type { UserRow } from '../../src/db/schema.js';
import { leaseSize } from '../../src/domain/access/shared-budget.js';
import { TokenCache, type VerifiedToken } from '../../src/domain/access/token-cache.js';

const user = (id: string): UserRow => ({
  id,
  name: id,
  email: `${id}@test.local`,
  role: 'PARTNER',
  active: true,
  embargoAccess: false,
  createdAt: new Date(0),
});
const entry = (tokenId: string, userId: string): VerifiedToken => ({ token: { id: tokenId, expiresAt: null, rateLimitPerMinute: null }, user: user(userId) });

/** A cache that is listening (a fresh one is deaf until its LISTEN session is up). */
function listeningCache(ttlMs = 60_000) {
  const cache = new TokenCache(ttlMs);
  cache.setDeaf(false);
  return cache;
}

describe('TokenCache', () => {
  test('serves nothing until listening, and forgets everything when the LISTEN session is lost', () => {
    const cache = new TokenCache(60_000);
    cache.set('h1', entry('t1', 'u1'), cache.stamp());
    expect(cache.get('h1')).toBeUndefined();
    cache.setDeaf(false);
    cache.set('h1', entry('t1', 'u1'), cache.stamp());
    expect(cache.get('h1')?.token.id).toBe('t1');
    cache.setDeaf(true);
    expect(cache.get('h1')).toBeUndefined();
    cache.setDeaf(false);
    expect(cache.get('h1')).toBeUndefined();
  });

  test('a notification forgets the tokens of that user, or that token, and nothing else', () => {
    const cache = listeningCache();
    cache.set('a1', entry('ta1', 'ua'), cache.stamp());
    cache.set('a2', entry('ta2', 'ua'), cache.stamp());
    cache.set('b1', entry('tb1', 'ub'), cache.stamp());
    cache.onNotification('user:ua');
    expect([cache.get('a1'), cache.get('a2'), cache.get('b1')?.token.id]).toEqual([undefined, undefined, 'tb1']);
    cache.set('a1', entry('ta1', 'ua'), cache.stamp());
    cache.onNotification('token:tb1');
    expect([cache.get('a1')?.token.id, cache.get('b1')]).toEqual(['ta1', undefined]);
    cache.onNotification('something else');
    expect(cache.get('a1')).toBeUndefined();
  });

  test('a lookup that began before an invalidation is not cached after it', () => {
    const cache = listeningCache();
    const stamp = cache.stamp();
    cache.forgetUser('ua');
    cache.set('a1', entry('ta1', 'ua'), stamp);
    expect(cache.get('a1')).toBeUndefined();
  });

  test('what was found valid is remembered through invalidations, deafness and a TTL of 0 (it only earns a lookup)', () => {
    const cache = new TokenCache(0);
    cache.rememberValid('a1');
    cache.forgetUser('ua');
    cache.onNotification('something else');
    cache.setDeaf(true);
    expect([cache.wasValid('a1'), cache.wasValid('b1'), cache.get('a1')]).toEqual([true, false, undefined]);
  });

  test('a TTL of 0 caches nothing', () => {
    const cache = listeningCache(0);
    cache.set('a1', entry('ta1', 'ua'), cache.stamp());
    expect(cache.get('a1')).toBeUndefined();
  });
});

test('leases are 2 % of the budget, at least 1', () => {
  expect([1, 5, 99, 100, 600, 6000, 100_000].map(leaseSize)).toEqual([1, 1, 1, 2, 12, 120, 2000]);
});
