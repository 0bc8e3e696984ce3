/**
 * The failed-authentication budget locks out failures, not an address (issue 32): past the budget
 * of an address, its wrong tokens are refused with 429 while a valid token from the same address
 * is served, and a refusal costs no statement beyond the one lookup an issued-shape token needs.
 * The addresses are told apart through X-Forwarded-For (TRUST_PROXY=loopback); http.test.ts and
 * http-errors.test.ts check the same without a proxy.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiTokens } from '../../src/db/schema.js';
import { hashToken, newToken } from '../../src/domain/access/users.js';
import { ok, startTestApp, type TestApp } from '../support/app.js';
import { createDesk, createUser, type Desk } from '../support/factories.js';

const VIEWER = '{ viewer { id } }';
const BUDGET = 3;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Access bookkeeping of a served request: its token's budget lease and the lastUsedAt stamp (sql-count.test.ts). */
const BOOKKEEPING = /^(update "api_tokens" set last_used_at|insert into "rate_limits")/i;
const TOKEN_LOOKUP = /^select .* from "api_tokens" inner join "users"/i;

interface World {
  app: TestApp;
  desk: Desk;
  statements: string[];
}

async function startWorld(config: Record<string, number>): Promise<World> {
  const statements: string[] = [];
  const app = await startTestApp(
    { AUTH_FAILURES_PER_MINUTE: BUDGET, TRUST_PROXY: ['loopback'], ...config },
    { onQuery: (sql) => void statements.push(sql.trim()) },
  );
  return { app, desk: await createDesk(app.database.db), statements };
}

/** One request with `token` from client address `from`: GraphQL, or the REST search with ?key=. */
async function ask(world: World, token: string, from: string, via: 'graphql' | 'rest' = 'graphql') {
  const forwarded = { 'x-forwarded-for': from };
  const response =
    via === 'graphql'
      ? await fetch(`${world.app.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...forwarded },
          body: JSON.stringify({ query: VIEWER }),
        })
      : await fetch(`${world.app.url}/v1alpha1/claims:search?query=ferry&key=${encodeURIComponent(token)}`, { headers: forwarded });
  const body = (await response.json()) as any;
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
}

/** Spends the address's budget with wrong tokens: BUDGET answers 401, the next one 429. */
async function exhaust(world: World, from: string) {
  for (let i = 0; i < BUDGET; i++) expect((await ask(world, newToken(), from)).status).toBe(401);
  const refused = await ask(world, newToken(), from);
  expect(refused.status).toBe(429);
  expect(refused.body.errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
}

/** The statements one request sends (after the lastUsedAt writes of earlier requests are done). */
async function statementsOf<T>(world: World, request: () => Promise<T>) {
  await sleep(400);
  world.statements.length = 0;
  const answer = await request();
  const all = [...world.statements];
  return { answer, all, own: all.filter((s) => !BOOKKEEPING.test(s)) };
}

describe('with the token cache (the default)', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ TOKEN_CACHE_TTL_MS: 600_000 });
  });
  afterAll(() => world?.app.stop());

  test('past the budget, wrong tokens get 429 with Retry-After; valid tokens from the same address 200, on GraphQL and REST', async () => {
    const office = '198.51.100.10';
    const { editor, partner } = world.desk;
    // The editor's token is cached before the guesser starts; the partner's is first seen after.
    expect(ok(await world.app.gql(VIEWER, {}, editor.token)).viewer.id).toBe(editor.globalId);
    await exhaust(world, office);
    for (const via of ['graphql', 'rest'] as const) {
      const wrong = await ask(world, newToken(), office, via);
      expect(wrong.status).toBe(429);
      expect(Number(wrong.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(wrong.retryAfter)).toBeLessThanOrEqual(60);
      for (const user of [editor, partner]) expect((await ask(world, user.token, office, via)).status).toBe(200);
    }
    expect((await ask(world, partner.token, office)).body.data.viewer.id).toBe(partner.globalId);
    // A token issued after the address was blocked works from it at once; the same token revoked is a failure again.
    const newcomer = await createUser(world.app.database.db, 'EDITOR');
    expect((await ask(world, newcomer.token, office)).status).toBe(200);
    await world.app.database.db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.userId, newcomer.id));
    await sleep(300); // the revocation's NOTIFY reaches the cache
    expect((await ask(world, newcomer.token, office)).status).toBe(429);
    expect((await ask(world, editor.token, office)).status).toBe(200);
    // Another address keeps its own budget.
    expect((await ask(world, newToken(), '198.51.100.11')).status).toBe(401);
  });

  test('a refused failure past the budget costs no statement, or the one token lookup for an issued-shape token; a cached valid token none', async () => {
    const office = '198.51.100.20';
    const { editor } = world.desk;
    await exhaust(world, office);
    const malformed = await statementsOf(world, () => ask(world, 'fc_guess', office));
    expect(malformed.answer.status).toBe(429);
    expect(malformed.all).toEqual([]);
    const garbled = await statementsOf(world, async () => {
      const response = await fetch(`${world.app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer', 'x-forwarded-for': office },
        body: JSON.stringify({ query: VIEWER }),
      });
      return response.status;
    });
    expect(garbled.answer).toBe(429);
    expect(garbled.all).toEqual([]);
    // Answered before the body is read: not even a body that is no JSON gets as far as its 400.
    const unread = await fetch(`${world.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer fc_guess', 'x-forwarded-for': office },
      body: '{ not json',
    });
    expect([unread.status, ((await unread.json()) as any).errors[0].extensions.code]).toEqual([429, 'TOO_MANY_REQUESTS']);
    const otherShape = await statementsOf(world, () => ask(world, 'a-long-guess-that-is-no-issued-token', office));
    expect(otherShape.answer.status).toBe(429);
    expect(otherShape.all).toEqual([]);
    const issuedShape = await statementsOf(world, () => ask(world, newToken(), office));
    expect(issuedShape.answer.status).toBe(429);
    expect(issuedShape.all).toHaveLength(1);
    expect(issuedShape.all[0]).toMatch(TOKEN_LOOKUP);
    await ask(world, editor.token, office);
    const cached = await statementsOf(world, () => ask(world, editor.token, office));
    expect(cached.answer.status).toBe(200);
    expect(cached.own).toEqual([]);
    const stranger = await createUser(world.app.database.db, 'PARTNER');
    const uncached = await statementsOf(world, () => ask(world, stranger.token, office));
    expect(uncached.answer.status).toBe(200);
    expect(uncached.own).toHaveLength(1);
    expect(uncached.own[0]).toMatch(TOKEN_LOOKUP);
  });

  test('an office under a flood of wrong tokens: every valid request is served', async () => {
    const office = '198.51.100.30';
    const { editor, partner } = world.desk;
    const flood = Array.from({ length: 150 }, (_, i) => ask(world, i % 3 ? newToken() : `guess-${i}`, office));
    const valid = Array.from({ length: 30 }, (_, i) => ask(world, i % 2 ? editor.token : partner.token, office, i % 3 ? 'graphql' : 'rest'));
    const [wrong, right] = await Promise.all([Promise.all(flood), Promise.all(valid)]);
    expect(right.map((r) => r.status)).toEqual(right.map(() => 200));
    expect(new Set(wrong.map((r) => r.status))).toEqual(new Set([401, 429]));
    expect(wrong.filter((r) => r.status === 401)).toHaveLength(BUDGET);
  });
});

describe('without the token cache (TOKEN_CACHE_TTL_MS=0: every valid token looked up)', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ TOKEN_CACHE_TTL_MS: 0 });
  });
  afterAll(() => world?.app.stop());

  test('past the budget a valid issued token costs its one lookup and is served', async () => {
    const office = '198.51.100.40';
    await exhaust(world, office);
    const valid = await statementsOf(world, () => ask(world, world.desk.reviewer1.token, office));
    expect(valid.answer.status).toBe(200);
    expect(valid.own).toHaveLength(1);
    expect(valid.own[0]).toMatch(TOKEN_LOOKUP);
  });

  test("a token of the operator's own shape (ADMIN_TOKEN) is looked up past the budget once this process has found it valid; until then it is refused without a statement", async () => {
    const office = '198.51.100.50';
    const secret = 'operator-chosen-admin-secret-0001';
    await world.app.database.db.insert(apiTokens).values({ userId: world.desk.admin.id, label: 'ADMIN_TOKEN', tokenHash: hashToken(secret) });
    await exhaust(world, office);
    const unseen = await statementsOf(world, () => ask(world, secret, office));
    expect(unseen.answer.status).toBe(429);
    expect(unseen.all).toEqual([]);
    // Found valid from elsewhere (an address within its budget), it is looked up from the blocked one too.
    expect((await ask(world, secret, '198.51.100.51')).status).toBe(200);
    const seen = await statementsOf(world, () => ask(world, secret, office));
    expect(seen.answer.status).toBe(200);
    expect(seen.own).toHaveLength(1);
    expect(seen.own[0]).toMatch(TOKEN_LOOKUP);
  });
});
