/**
 * Access that runs for years (issue 12), through the API: token expiry on GraphQL and REST, token
 * lists and who may read them, lastUsedAt at most once a minute, updateUser and the last-admin
 * guard, per-token request budgets with their headers, and TRUST_PROXY. Across processes:
 * access-processes.test.ts.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiTokens, users } from '../../src/db/schema.js';
import { parseGlobalId } from '../../src/domain/global-ids.js';
import { codes, ok, startTestApp, type TestApp } from '../support/app.js';
import { createClaim, createUser, ingestArticle, startDeskApp, type Desk } from '../support/factories.js';
import { M, mutate } from '../support/workflow.js';

const ISSUE =
  'mutation($i: IssueApiTokenInput!) { issueApiToken(input: $i) { token tokenId apiToken { id label createdAt expiresAt lastUsedAt revokedAt rateLimitPerMinute user { id } } } }';
const REVOKE = 'mutation($i: RevokeApiTokenInput!) { revokeApiToken(input: $i) { revoked } }';
const UPDATE_USER = 'mutation($i: UpdateUserInput!) { updateUser(input: $i) { user { id name role active } } }';
const TOKENS_OF = 'query($id: ID!) { node(id: $id) { ... on User { id apiTokens { id label expiresAt lastUsedAt revokedAt rateLimitPerMinute } } } }';
const VIEWER = '{ viewer { id role } }';

/** Sentences of the seed article, each found once in it. */
const QUOTES = [
  'has been routinely hijacked by Hamas terrorists',
  'is apparently holding Israel responsible for the distribution of aid',
  'the reason for Blinken’s statement is unclear',
];
const uuidOf = (globalId: string) => parseGlobalId(globalId)!.id;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let app: TestApp;
let desk: Desk;
beforeAll(async () => {
  // A long cache TTL: whatever is refused below is refused by invalidation or by the expiry check, not by the TTL.
  ({ app, desk } = await startDeskApp({ TOKEN_CACHE_TTL_MS: 600_000 }));
});
afterAll(() => app?.stop());

const issue = async (input: Record<string, unknown>) => ok(await app.gql(ISSUE, { i: { label: 'app', ...input } }, desk.admin.token)).issueApiToken;
const search = (token: string, query = 'aid') => fetch(`${app.url}/v1alpha1/claims:search?query=${query}`, { headers: { authorization: `Bearer ${token}` } });

describe('token expiry', () => {
  test('a token works until its expiresAt, then is UNAUTHENTICATED (401) saying it expired, on GraphQL and REST', async () => {
    const expiresAt = new Date(Date.now() + 3_000);
    const { token } = await issue({ userId: desk.partner.globalId, expiresAt: expiresAt.toISOString() });
    expect(ok(await app.gql(VIEWER, {}, token)).viewer.id).toBe(desk.partner.globalId); // cached from here on
    const before = await search(token);
    expect(before.status, await before.clone().text()).toBe(200);
    await sleep(expiresAt.getTime() - Date.now() + 50);

    const refused = await app.gql(VIEWER, {}, token);
    expect(refused.status).toBe(401);
    expect(codes(refused)).toEqual(['UNAUTHENTICATED']);
    expect(refused.errors![0]!.message).toMatch(/expired/);
    const rest = await search(token);
    expect(rest.status).toBe(401);
    expect(await rest.json()).toEqual({ error: { code: 401, status: 'UNAUTHENTICATED', message: expect.stringMatching(/expired/) } });
  });

  test('expiresAt in the past, or a budget outside 1..100000, is BAD_USER_INPUT and issues nothing', async () => {
    const before = await app.database.db.select().from(apiTokens);
    const past = await app.gql(
      ISSUE,
      { i: { userId: desk.partner.globalId, label: 'x', expiresAt: new Date(Date.now() - 1000).toISOString() } },
      desk.admin.token,
    );
    expect(past.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'expiresAt' });
    for (const rateLimitPerMinute of [0, -1, 100_001]) {
      const bad = await app.gql(ISSUE, { i: { userId: desk.partner.globalId, label: 'x', rateLimitPerMinute } }, desk.admin.token);
      expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rateLimitPerMinute' });
    }
    expect(await app.database.db.select().from(apiTokens)).toHaveLength(before.length);
  });
});

describe('listing tokens', () => {
  test('issueApiToken returns the record; User.apiTokens lists newest first, with revokedAt once revoked', async () => {
    const owner = await createUser(app.database.db, 'PARTNER', 'Lister App');
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const first = await issue({ userId: owner.globalId, label: 'first', expiresAt, rateLimitPerMinute: 120 });
    expect(first.apiToken).toEqual({
      id: first.tokenId,
      label: 'first',
      createdAt: expect.any(String),
      expiresAt,
      lastUsedAt: null,
      revokedAt: null,
      rateLimitPerMinute: 120,
      user: { id: owner.globalId },
    });
    const second = await issue({ userId: owner.globalId, label: 'second' });
    ok(await app.gql(REVOKE, { i: { tokenId: first.tokenId } }, desk.admin.token));

    const listed = ok(await app.gql(TOKENS_OF, { id: owner.globalId }, desk.admin.token)).node.apiTokens;
    expect(listed.map((t: any) => t.label)).toEqual(['second', 'first', 'test']);
    expect(listed[0]).toMatchObject({ id: second.tokenId, expiresAt: null, rateLimitPerMinute: null, revokedAt: null });
    expect(listed[1]).toMatchObject({ id: first.tokenId, revokedAt: expect.any(String) });
    // The user themself reads the same list, through viewer.
    const own = ok(await app.gql('{ viewer { apiTokens { id } } }', {}, second.token)).viewer.apiTokens;
    expect(own.map((t: any) => t.id)).toEqual(listed.map((t: any) => t.id));
  });

  test("others' tokens are FORBIDDEN to everyone but admins; node(ApiToken) is null for them", async () => {
    const { tokenId } = await issue({ userId: desk.reviewer1.globalId, label: 'reviewer laptop' });
    for (const user of [desk.editor, desk.reviewer2, desk.partner]) {
      const refused = await app.gql(TOKENS_OF, { id: desk.reviewer1.globalId }, user.token);
      // A partner and a co-reviewer may not see the user at all (node is null); an editor may, but not the tokens.
      if (user === desk.editor) {
        expect(codes(refused)).toEqual(['FORBIDDEN']);
        expect(refused.errors![0]!.path).toEqual(['node', 'apiTokens']);
      } else expect(refused.data?.node ?? null).toBeNull();
      const viaNode = ok(await app.gql('query($id: ID!) { node(id: $id) { id } }', { id: tokenId }, user.token));
      expect(viaNode.node).toBeNull();
    }
    const users = await app.gql('{ users(role: REVIEWER) { edges { node { name apiTokens { id } } } } }', {}, desk.editor.token);
    expect(codes(users)).toContain('FORBIDDEN');
    for (const user of [desk.admin, desk.reviewer1]) {
      const node = ok(await app.gql('query($id: ID!) { node(id: $id) { id ... on ApiToken { label user { id } } } }', { id: tokenId }, user.token)).node;
      expect(node).toEqual({ id: tokenId, label: 'reviewer laptop', user: { id: desk.reviewer1.globalId } });
    }
  });
});

describe('lastUsedAt', () => {
  /** The row's xmin: a new one for every write of the row, whatever the write. */
  const rowVersion = async (tokenId: string) =>
    (
      await app.database.db
        .select({ v: sql<string>`xmin::text` })
        .from(apiTokens)
        .where(eq(apiTokens.id, uuidOf(tokenId)))
    )[0]!.v;
  const lastUsed = async (tokenId: string) =>
    (
      await app.database.db
        .select({ at: apiTokens.lastUsedAt })
        .from(apiTokens)
        .where(eq(apiTokens.id, uuidOf(tokenId)))
    )[0]!.at;

  test('is the first use of the minute, written once: more requests in that minute write nothing', async () => {
    // Start early in a minute, so that every request below falls into the same one.
    if (new Date().getSeconds() >= 45) await sleep((60 - new Date().getSeconds()) * 1000 + 100);
    const { token, tokenId } = await issue({ userId: desk.partner.globalId, label: 'busy app' });
    const issuedVersion = await rowVersion(tokenId);
    const sent = new Date();
    ok(await app.gql(VIEWER, {}, token));
    const answered = new Date();
    let at: Date | null = null;
    while (!(at = await lastUsed(tokenId))) await sleep(50);
    expect(at.getTime()).toBeGreaterThanOrEqual(sent.getTime());
    expect(at.getTime()).toBeLessThanOrEqual(answered.getTime());
    const stampedVersion = await rowVersion(tokenId);
    expect(stampedVersion).not.toBe(issuedVersion);

    for (let i = 0; i < 20; i++) ok(await app.gql(VIEWER, {}, token));
    await sleep(600); // longer than the recorder's flush delay: a write would have happened by now
    expect(await lastUsed(tokenId)).toEqual(at);
    expect(await rowVersion(tokenId)).toBe(stampedVersion);
    const listed = ok(await app.gql(TOKENS_OF, { id: desk.partner.globalId }, desk.partner.token)).node.apiTokens;
    expect(listed.find((t: any) => t.id === tokenId).lastUsedAt).toBe(at.toISOString());
  });
});

describe('updateUser', () => {
  test('renames, changes the role (effective on the next request) and deactivates; reactivation brings the same token back', async () => {
    const user = await createUser(app.database.db, 'EDITOR', 'Ed Changing');
    const articleId = (await ingestArticle(app, user.token)).id;
    expect(ok(await app.gql(VIEWER, {}, user.token)).viewer.role).toBe('EDITOR');
    const quote = QUOTES[0];

    const renamed = ok(await app.gql(UPDATE_USER, { i: { userId: user.globalId, name: 'Ed Renamed', role: 'REVIEWER' } }, desk.admin.token)).updateUser.user;
    expect(renamed).toEqual({ id: user.globalId, name: 'Ed Renamed', role: 'REVIEWER', active: true });
    expect(ok(await app.gql('{ viewer { name role } }', {}, user.token)).viewer).toEqual({ name: 'Ed Renamed', role: 'REVIEWER' });
    expect(
      codes(await app.gql('mutation($i: CreateClaimInput!) { createClaim(input: $i) { claim { id } } }', { i: { articleId, quote } }, user.token)),
    ).toEqual(['FORBIDDEN']);

    const off = ok(await app.gql(UPDATE_USER, { i: { userId: user.globalId, active: false } }, desk.admin.token)).updateUser.user;
    expect(off).toMatchObject({ active: false, role: 'REVIEWER', name: 'Ed Renamed' });
    const refused = await app.gql(VIEWER, {}, user.token);
    expect(refused.status).toBe(401);
    expect(refused.errors![0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/deactivated/) });
    expect((await search(user.token)).status).toBe(401);

    ok(await app.gql(UPDATE_USER, { i: { userId: user.globalId, active: true, role: 'PARTNER' } }, desk.admin.token));
    expect(ok(await app.gql(VIEWER, {}, user.token)).viewer).toEqual({ id: user.globalId, role: 'PARTNER' });
    expect((await search(user.token)).status).toBe(200);
  });

  test('a change made in the database by hand reaches the cache too (NOTIFY from the triggers)', async () => {
    const user = await createUser(app.database.db, 'PARTNER', 'Hand Edited');
    // Postgres delivers the notification on another connection: allow it a moment, far below the cache's 10-minute TTL.
    const refusedSoon = async () => {
      let response = await app.gql(VIEWER, {}, user.token);
      for (let i = 0; i < 100 && response.status !== 401; i++) response = (await sleep(20), await app.gql(VIEWER, {}, user.token));
      return response.status;
    };
    expect(ok(await app.gql(VIEWER, {}, user.token)).viewer.role).toBe('PARTNER');
    await app.database.db.update(users).set({ active: false }).where(eq(users.id, user.id));
    expect(await refusedSoon()).toBe(401);
    await app.database.db.update(users).set({ active: true }).where(eq(users.id, user.id));
    expect(ok(await app.gql(VIEWER, {}, user.token)).viewer.role).toBe('PARTNER');
    await app.database.db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.userId, user.id));
    expect(await refusedSoon()).toBe(401);
  });

  test('a deactivated reviewer keeps their verdicts and ACTIVE assignments, shows as inactive, and cannot be assigned again', async () => {
    const reviewer = await createUser(app.database.db, 'REVIEWER', 'Rita Leaving');
    const articleId = (await ingestArticle(app, desk.editor.token)).id;
    const done = (await createClaim(app, desk.editor.token, { articleId, quote: QUOTES[0] })).id;
    const pending = (await createClaim(app, desk.editor.token, { articleId, quote: QUOTES[1] })).id;
    ok(await mutate(app, desk.editor.token, 'assign', { claimId: done, reviewerIds: [reviewer.globalId] }));
    ok(await mutate(app, desk.editor.token, 'assign', { claimId: pending, reviewerIds: [reviewer.globalId] }));
    ok(await mutate(app, reviewer.token, 'verdict', { claimId: done, rating: 'TRUE', confidence: 'HIGH', rationale: 'Seen on video.' }));

    ok(await app.gql(UPDATE_USER, { i: { userId: reviewer.globalId, active: false } }, desk.admin.token));
    const claimsOf = 'query($id: ID!) { claim(id: $id) { status verdicts { reviewer { id } } assignments { state reviewer { id active } } } }';
    const doneNow = ok(await app.gql(claimsOf, { id: done }, desk.editor.token)).claim;
    expect(doneNow.verdicts).toEqual([{ reviewer: { id: reviewer.globalId } }]);
    const pendingNow = ok(await app.gql(claimsOf, { id: pending }, desk.editor.token)).claim;
    expect(pendingNow).toMatchObject({ status: 'IN_REVIEW', assignments: [{ state: 'ACTIVE', reviewer: { id: reviewer.globalId, active: false } }] });
    const listed = ok(await app.gql('{ users(role: REVIEWER, first: 100) { edges { node { id active } } } }', {}, desk.editor.token)).users.edges;
    expect(listed.find((e: any) => e.node.id === reviewer.globalId).node.active).toBe(false);
    const again = await app.gql(
      M.assign,
      { i: { claimId: (await createClaim(app, desk.editor.token, { articleId, quote: QUOTES[2] })).id, reviewerIds: [reviewer.globalId] } },
      desk.editor.token,
    );
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reviewerIds' });
  });

  test('the last active admin cannot be deactivated or demoted (CONFLICT); with a second admin it can', async () => {
    const solo = await startDeskApp();
    try {
      const { admin } = solo.desk;
      for (const change of [{ active: false }, { role: 'EDITOR' }]) {
        const refused = await solo.app.gql(UPDATE_USER, { i: { userId: admin.globalId, ...change } }, admin.token);
        expect(codes(refused)).toEqual(['CONFLICT']);
      }
      const second = await createUser(solo.app.database.db, 'EDITOR', 'Second Admin');
      ok(await solo.app.gql(UPDATE_USER, { i: { userId: second.globalId, role: 'ADMIN' } }, admin.token));
      ok(await solo.app.gql(UPDATE_USER, { i: { userId: admin.globalId, role: 'EDITOR' } }, second.token));
      expect(codes(await solo.app.gql(UPDATE_USER, { i: { userId: second.globalId, active: false } }, second.token))).toEqual(['CONFLICT']);
      // An inactive admin is no admin: it does not count as the other one.
      ok(await solo.app.gql(UPDATE_USER, { i: { userId: admin.globalId, role: 'ADMIN', active: false } }, second.token));
      expect(codes(await solo.app.gql(UPDATE_USER, { i: { userId: second.globalId, role: 'PARTNER' } }, second.token))).toEqual(['CONFLICT']);
    } finally {
      await solo.app.stop();
    }
  });

  test('two admins demoting each other at the same time: exactly one succeeds', async () => {
    const race = await startDeskApp();
    try {
      for (let round = 0; round < 5; round++) {
        const a = await createUser(race.app.database.db, 'ADMIN', `Admin A${round}`);
        const b = await createUser(race.app.database.db, 'ADMIN', `Admin B${round}`);
        // The desk's own admin steps aside, so that a and b are the only active admins.
        await race.app.database.db.update(users).set({ active: false }).where(eq(users.role, 'ADMIN'));
        await race.app.database.db
          .update(users)
          .set({ active: true })
          .where(sql`${users.id} in (${a.id}, ${b.id})`);
        const results = await Promise.all([
          race.app.gql(UPDATE_USER, { i: { userId: b.globalId, active: false } }, a.token),
          race.app.gql(UPDATE_USER, { i: { userId: a.globalId, role: 'EDITOR' } }, b.token),
        ]);
        const outcomes = results.map((r) => codes(r)[0] ?? (r.status === 401 ? 'UNAUTHENTICATED' : 'ok'));
        expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
        const admins = await race.app.database.db
          .select()
          .from(users)
          .where(sql`${users.role} = 'ADMIN' and ${users.active}`);
        expect(admins).toHaveLength(1);
      }
    } finally {
      await race.app.stop();
    }
  });

  test('non-admins may not update users; bad input is BAD_USER_INPUT with the field; an unknown user NOT_FOUND', async () => {
    for (const user of [desk.editor, desk.reviewer1, desk.partner]) {
      expect(codes(await app.gql(UPDATE_USER, { i: { userId: user.globalId, role: 'ADMIN' } }, user.token))).toEqual(['FORBIDDEN']);
    }
    expect((await app.gql(UPDATE_USER, { i: { userId: desk.partner.globalId, name: ' ' } }, desk.admin.token)).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'name',
    });
    expect((await app.gql(UPDATE_USER, { i: { userId: 'nope' } }, desk.admin.token)).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'userId',
    });
    const missing = Buffer.from('User:00000000-0000-4000-8000-000000000000').toString('base64url');
    expect(codes(await app.gql(UPDATE_USER, { i: { userId: missing, active: false } }, desk.admin.token))).toEqual(['NOT_FOUND']);
  });
});

describe('per-token request budgets', () => {
  const policy = (response: { headers: Headers }) => ({ policy: response.headers.get('ratelimit-policy'), state: response.headers.get('ratelimit') });

  test("a budget of 5 serves 5 requests and refuses the 6th with 429, Retry-After and TOO_MANY_REQUESTS; every response says what's left", async () => {
    const { token } = await issue({ userId: desk.partner.globalId, rateLimitPerMinute: 5 });
    for (let i = 4; i >= 0; i--) {
      const response = await app.gql(VIEWER, {}, token);
      expect(response.status).toBe(200);
      expect(policy(response)).toEqual({ policy: '"token";q=5;w=60', state: expect.stringMatching(new RegExp(`^"token";r=${i};t=\\d+$`)) });
    }
    const refused = await app.gql(VIEWER, {}, token);
    expect(refused.status).toBe(429);
    expect(codes(refused)).toEqual(['TOO_MANY_REQUESTS']);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(policy(refused).state).toMatch(/^"token";r=0;t=\d+$/);
    const rest = await search(token);
    expect(rest.status).toBe(429);
    expect(rest.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await rest.json()).toEqual({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: expect.any(String) } });
  });

  test('without a budget of its own a token has its role default; budgets are per token', async () => {
    const limited = await startDeskApp({ RATE_LIMIT_PARTNER_PER_MINUTE: 3, RATE_LIMIT_STAFF_PER_MINUTE: 4 });
    try {
      const { desk: d, app: a } = limited;
      for (let i = 0; i < 3; i++) expect((await a.gql(VIEWER, {}, d.partner.token)).status).toBe(200);
      expect((await a.gql(VIEWER, {}, d.partner.token)).status).toBe(429);
      const other = ok(await a.gql(ISSUE, { i: { userId: d.partner.globalId, label: 'second app' } }, d.admin.token)).issueApiToken;
      expect((await a.gql(VIEWER, {}, other.token)).status).toBe(200);
      const editorResponse = await a.gql(VIEWER, {}, d.editor.token);
      expect(policy(editorResponse).policy).toBe('"token";q=4;w=60');
      // No token, no budget: anonymous responses carry no RateLimit fields.
      expect(policy(await a.gql('{ __typename }')).policy).toBeNull();
    } finally {
      await limited.app.stop();
    }
  });
});

describe('TRUST_PROXY and the failed-authentication budget', () => {
  const guess = (target: TestApp, forwardedFor: string) =>
    fetch(`${target.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer fc_guess', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ query: VIEWER }),
    });

  test('without it (the default), X-Forwarded-For is ignored: one address, one budget', async () => {
    const direct = await startTestApp({ AUTH_FAILURES_PER_MINUTE: 2 });
    try {
      expect((await guess(direct, '203.0.113.1')).status).toBe(401);
      expect((await guess(direct, '203.0.113.2')).status).toBe(401);
      const third = await guess(direct, '203.0.113.3');
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await direct.stop();
    }
  });

  test('behind a trusted proxy, each forwarded client has its own budget', async () => {
    const proxied = await startTestApp({ AUTH_FAILURES_PER_MINUTE: 2, TRUST_PROXY: ['loopback'] });
    try {
      expect((await guess(proxied, '203.0.113.1')).status).toBe(401);
      expect((await guess(proxied, '203.0.113.1')).status).toBe(401);
      expect((await guess(proxied, '203.0.113.1')).status).toBe(429);
      expect((await guess(proxied, '203.0.113.2')).status).toBe(401);
    } finally {
      await proxied.stop();
    }
  });
});
