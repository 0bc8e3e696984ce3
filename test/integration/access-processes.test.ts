/**
 * Access across processes: two compiled servers on one Postgres database, each caching verified
 * tokens. A change made through one (deactivation, reactivation, role change, revocation) holds in
 * the other from its next request; a token's budget is shared by both; a lost LISTEN connection
 * does not leave a process serving what it may have missed; lastUsedAt is written once a minute
 * whichever process sees the token.
 *
 * Postgres only (it needs a database that several processes can open).
 */
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { apiTokens } from '../../src/db/schema.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/database.js';
import { createUser, type TestUser } from '../support/factories.js';
import { delay, killAllServers, okData, startServer, type Outcome, type ServerProcess } from '../support/processes.js';

const VIEWER = '{ viewer { id role } }';
const UPDATE_USER = 'mutation($i: UpdateUserInput!) { updateUser(input: $i) { user { role active } } }';
const ISSUE = 'mutation($i: IssueApiTokenInput!) { issueApiToken(input: $i) { token tokenId } }';
const REVOKE = 'mutation($i: RevokeApiTokenInput!) { revokeApiToken(input: $i) { revoked } }';
const status = (outcome: Outcome) => (outcome.kind === 'response' ? outcome.status : outcome.error);

describe.runIf(testDatabaseKind === 'postgres')('access across two server processes', () => {
  let testDb: TestDatabase;
  let db: Database;
  let admin: TestUser;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    testDb = await createTestDatabase({ poolSize: 2 });
    db = testDb.db;
    admin = await createUser(db, 'ADMIN', 'Ada Admin');
    // A cache TTL of ten minutes: nothing below may be explained by an entry simply expiring.
    const env = { DATABASE_URL: testDb.url!, DATABASE_POOL_SIZE: '4', LOG_LEVEL: 'info', TOKEN_CACHE_TTL_MS: '600000' };
    [a, b] = await Promise.all([startServer('access A', env), startServer('access B', env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()].filter(Boolean));
    await killAllServers();
    await testDb?.drop();
  });

  const issue = async (userId: string, extra: Record<string, unknown> = {}) =>
    okData(await a.gql(ISSUE, { i: { userId, label: 'cross-process', ...extra } }, admin.token)).issueApiToken as { token: string; tokenId: string };

  test('deactivation, reactivation, a role change and revocation through A hold in B from its next request', async () => {
    const user = await createUser(db, 'EDITOR', 'Eve Everywhere');
    for (const server of [a, b]) expect(okData(await server.gql(VIEWER, {}, user.token)).viewer.role).toBe('EDITOR'); // cached in both

    okData(await a.gql(UPDATE_USER, { i: { userId: user.globalId, active: false } }, admin.token));
    expect(status(await b.gql(VIEWER, {}, user.token))).toBe(401);
    expect(status(await a.gql(VIEWER, {}, user.token))).toBe(401);

    okData(await a.gql(UPDATE_USER, { i: { userId: user.globalId, active: true } }, admin.token));
    expect(okData(await b.gql(VIEWER, {}, user.token)).viewer.role).toBe('EDITOR');

    okData(await a.gql(UPDATE_USER, { i: { userId: user.globalId, role: 'PARTNER' } }, admin.token));
    const asPartner = await b.gql('{ claims { totalCount } }', {}, user.token);
    expect(asPartner.kind === 'response' && asPartner.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);

    const second = await issue(user.globalId);
    expect(okData(await b.gql(VIEWER, {}, second.token)).viewer.role).toBe('PARTNER');
    okData(await a.gql(REVOKE, { i: { tokenId: second.tokenId } }, admin.token));
    expect(status(await b.gql(VIEWER, {}, second.token))).toBe(401);
  });

  test("a token's budget is shared: hammered through both processes at once, the sum served stays within it", async () => {
    const partner = await createUser(db, 'PARTNER', 'Busy Partner');
    const budget = 200; // leases of 4: at most 3 left unused per process when the window ends
    const { token } = await issue(partner.globalId, { rateLimitPerMinute: budget });
    const hammer = async (server: ServerProcess) => {
      const statuses: (number | string)[] = [];
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          for (let i = 0; i < 16; i++) statuses.push(status(await server.gql('{ viewer { id } }', {}, token)));
        }),
      );
      return statuses;
    };
    const [fromA, fromB] = await Promise.all([hammer(a), hammer(b)]);
    const all = [...fromA, ...fromB];
    expect(
      all.every((s) => s === 200 || s === 429),
      JSON.stringify(all.filter((s) => s !== 200 && s !== 429)),
    ).toBe(true);
    const served = all.filter((s) => s === 200).length;
    console.log(`budget ${budget}: served ${served} of ${all.length} (A ${fromA.filter((s) => s === 200).length}, B ${fromB.filter((s) => s === 200).length})`);
    expect(served).toBeLessThanOrEqual(budget);
    expect(served).toBeGreaterThanOrEqual(budget - 2 * 3);
    expect(fromA.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(fromB.filter((s) => s === 200).length).toBeGreaterThan(0);
  });

  test('after its LISTEN connection is lost, a process does not serve what it may have missed', async () => {
    const user = await createUser(db, 'REVIEWER', 'Lou Lost');
    for (const server of [a, b]) expect(status(await server.gql(VIEWER, {}, user.token))).toBe(200);
    const superuser = postgres(testDb.url!, { max: 1, onnotice: () => {} });
    try {
      const killed =
        await superuser`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = 'factcheck-api-listen:factcheck_access'`;
      expect(killed.length).toBe(2);
      // Revoked while both processes are deaf (they re-LISTEN after 250 ms): neither hears of it.
      await db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.userId, user.id));
    } finally {
      await superuser.end();
    }
    for (const server of [a, b]) expect(status(await server.gql(VIEWER, {}, user.token))).toBe(401);
    // Both are listening again: a later change is heard as before.
    const again = await createUser(db, 'REVIEWER', 'Lou Later');
    for (const server of [a, b]) expect(status(await server.gql(VIEWER, {}, again.token))).toBe(200);
    let listening = 0;
    for (let i = 0; i < 100 && listening < 2; i++) {
      await delay(50);
      listening = (
        (await db.execute(
          sql`select 1 from pg_stat_activity where datname = current_database() and application_name = 'factcheck-api-listen:factcheck_access' and query ilike 'listen%'`,
        )) as unknown as unknown[]
      ).length;
    }
    expect(listening).toBe(2);
    okData(await a.gql(UPDATE_USER, { i: { userId: again.globalId, active: false } }, admin.token));
    expect(status(await b.gql(VIEWER, {}, again.token))).toBe(401);
  });

  test('lastUsedAt: one write a minute, however many requests and processes', async () => {
    if (new Date().getSeconds() >= 45) await delay((60 - new Date().getSeconds()) * 1000 + 100);
    const partner = await createUser(db, 'PARTNER', 'Stamp Once');
    const [{ id: tokenId }] = (await db.select({ id: apiTokens.id }).from(apiTokens).where(eq(apiTokens.userId, partner.id))) as [{ id: string }];
    const rowVersion = async () =>
      (
        await db
          .select({ v: sql<string>`xmin::text`, at: apiTokens.lastUsedAt })
          .from(apiTokens)
          .where(eq(apiTokens.id, tokenId!))
      )[0]!;
    const issued = await rowVersion();
    expect(status(await a.gql(VIEWER, {}, partner.token))).toBe(200);
    let stamped = await rowVersion();
    for (let i = 0; i < 40 && !stamped.at; i++) stamped = (await delay(50), await rowVersion());
    expect(stamped.at).not.toBeNull();
    expect(stamped.v).not.toBe(issued.v);
    for (let i = 0; i < 10; i++) for (const server of [a, b]) expect(status(await server.gql(VIEWER, {}, partner.token))).toBe(200);
    await delay(600); // past the recorder's flush delay in both processes
    expect(await rowVersion()).toEqual(stamped);
  });
});
