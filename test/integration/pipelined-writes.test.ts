/**
 * A claim action sends its reads behind the lock, and its writes with the claim's update, its
 * ClaimEvent and the partners' rows in one round trip, the commit right behind them
 * (src/domain/claims/lock.ts, src/db/pipeline.ts). What that must not change: what runs under the
 * lock sees every action committed before it, and a failure anywhere in a batch commits nothing
 * (the failure itself is what the caller sees). On Postgres the requests run in parallel; on PGlite they queue.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { claimEvents, factCheckChanges, factChecks, webhookEvents } from '../../src/db/schema.js';
import { publishFactCheck } from '../../src/domain/claims/editorial.js';
import { fromGlobalId } from '../../src/domain/global-ids.js';
import { ok, type TestApp } from '../support/app.js';
import { createUser, type Desk, startDeskApp } from '../support/factories.js';
import { testDatabaseKind } from '../support/database.js';
import { checkInvariants } from '../support/invariants.js';
import { createEndpoint, reviewedClaim } from '../support/webhooks.js';
import { claimState, mutate } from '../support/workflow.js';

let app: TestApp;
let desk: Desk;
beforeAll(async () => {
  ({ app, desk } = await startDeskApp());
  // Every published fact check is an outbox row too: the batches below carry the partners' rows.
  await createEndpoint(app, desk.admin.token, 'http://127.0.0.1:9/never-called', ['FACT_CHECK_PUBLISHED', 'FACT_CHECK_CORRECTED']);
});
afterAll(() => app?.stop());

const codes = (responses: { errors?: { extensions?: { code?: string } }[] }[]) =>
  responses.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK').sort((a, b) => a.localeCompare(b));

const uuidOf = (claimId: string) => fromGlobalId(claimId, 'Claim', 'claimId');

test('concurrent publishes of one claim: the first publishes, each later one reads its fact check under the lock and corrects it', async () => {
  const claimId = await reviewedClaim(app, desk);
  const responses = await Promise.all(
    [1, 2, 3, 4].map((n) => mutate(app, desk.editor.token, 'publish', { claimId, rating: 'FALSE', summary: `Summary ${n}.`, correctionNote: `Note ${n}.` })),
  );
  expect(codes(responses)).toEqual(['OK', 'OK', 'OK', 'OK']);
  const [factCheck, ...more] = await app.database.db
    .select()
    .from(factChecks)
    .where(eq(factChecks.claimId, uuidOf(claimId)));
  expect(more).toEqual([]);
  const state = await claimState(app, desk.editor.token, claimId);
  expect(state.history.map((h) => h.type).slice(-4)).toEqual(['PUBLISHED', 'CORRECTED', 'CORRECTED', 'CORRECTED']);
  const feed = await app.database.db.select().from(factCheckChanges).where(eq(factCheckChanges.factCheckId, factCheck!.id));
  expect(feed.map((f) => f.type).sort()).toEqual(['CORRECTED', 'CORRECTED', 'CORRECTED', 'PUBLISHED']);
  expect((await checkInvariants(app.database.db)).violations).toEqual([]);
});

test('concurrent publishes without a correction note: one publishes, the others are refused for want of one (none writes a second fact check)', async () => {
  const claimId = await reviewedClaim(app, desk);
  const responses = await Promise.all(
    [1, 2, 3, 4].map((n) => mutate(app, desk.editor.token, 'publish', { claimId, rating: 'FALSE', summary: `Summary ${n}.` })),
  );
  expect(codes(responses)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'OK']);
  expect(
    await app.database.db
      .select()
      .from(factChecks)
      .where(eq(factChecks.claimId, uuidOf(claimId))),
  ).toHaveLength(1);
  expect((await checkInvariants(app.database.db)).violations).toEqual([]);
});

test("concurrent verdicts of a claim's reviewers: the status counts every verdict committed before the lock was granted", async () => {
  const reviewer3 = await createUser(app.database.db, 'REVIEWER');
  const claimIds: string[] = [];
  for (let i = 0; i < 4; i++) {
    const claimId = await reviewedClaim(app, desk); // reviewer1's verdict (FALSE), REVIEWED
    ok(
      await app.gql('mutation($i: UpdateClaimInput!) { updateClaim(input: $i) { claim { id } } }', { i: { claimId, requiredVerdicts: 3 } }, desk.editor.token),
    );
    ok(await mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer2.globalId, reviewer3.globalId] }));
    claimIds.push(claimId);
  }
  const responses = await Promise.all(
    claimIds.flatMap((claimId) =>
      [desk.reviewer2, reviewer3].map((reviewer) =>
        mutate(app, reviewer.token, 'verdict', { claimId, rating: 'FALSE', confidence: 'HIGH', rationale: 'Agrees, at the same time.' }),
      ),
    ),
  );
  expect(codes(responses).every((c) => c === 'OK')).toBe(true);
  for (const claimId of claimIds) expect((await claimState(app, desk.editor.token, claimId)).status).toBe('REVIEWED');
  expect((await checkInvariants(app.database.db)).violations).toEqual([]);
});

/** Makes inserts into `table` fail while `condition` (on NEW) holds, for the test's length. */
async function failing(table: string, condition: string, message: string, run: () => Promise<void>) {
  const db = app.database.db;
  await db.execute(
    sql.raw(`create function test_fail() returns trigger language plpgsql as $$
    begin if ${condition} then raise exception '${message}'; end if; return new; end $$`),
  );
  await db.execute(sql.raw(`create trigger test_fail before insert on ${table} for each row execute function test_fail()`));
  try {
    await run();
  } finally {
    await db.execute(sql.raw(`drop trigger test_fail on ${table}`));
    await db.execute(sql.raw('drop function test_fail()'));
  }
}

/** What a publication that failed must have left: the claim as it was, no fact check (nor its feed rows), no event, no outbox row. */
async function expectUnpublished(claimId: string, before: { version: number; status: string }) {
  const state = await claimState(app, desk.editor.token, claimId);
  expect({ version: state.version, status: state.status, factCheck: state.factCheck }).toEqual({ ...before, factCheck: null });
  expect(
    await app.database.db
      .select()
      .from(claimEvents)
      .where(eq(claimEvents.claimId, uuidOf(claimId))),
  ).toHaveLength(before.version);
  const outbox = await app.database.db
    .select({ id: webhookEvents.id })
    .from(webhookEvents)
    .where(sql`${webhookEvents.data} -> 'factCheck' ->> 'summary' like 'Fail%'`);
  expect(outbox).toEqual([]);
}

const failureOf = (action: Promise<unknown>) =>
  action.then(
    () => 'no failure',
    (error: Error & { cause?: Error }) => error.cause?.message ?? error.message,
  );

const editorViewer = () => ({ id: desk.editor.id, name: desk.editor.name, role: desk.editor.role });

for (const [where, table, condition] of [
  ['the fact check, first of the writes sent together', 'fact_checks', `new.summary like 'Fail%'`],
  ["the claim's update with its record, last of them (the commit right behind it)", 'claim_events', `new.type = 'PUBLISHED' and new.note = 'FALSE'`],
] as const) {
  test(`a failure at ${where} commits nothing, and is the failure the caller sees`, async () => {
    const claimId = await reviewedClaim(app, desk);
    const before = await claimState(app, desk.editor.token, claimId);
    await failing(table, condition, 'refused by the test trigger', async () => {
      const response = await mutate(app, desk.editor.token, 'publish', { claimId, rating: 'FALSE', summary: 'Fail through the API.' });
      expect(codes([response])).toEqual(['INTERNAL_SERVER_ERROR']);
      // The statement's own failure (drizzle's error around the driver's), not the commit's refusal.
      expect(
        await failureOf(publishFactCheck(app.database.db, editorViewer(), { claimId: uuidOf(claimId), rating: 'FALSE', summary: 'Fail in the domain.' })),
      ).toMatch(/refused by the test trigger/);
      // Inside a request's own transaction (Idempotency-Key) the action is a savepoint: its failure
      // undoes the savepoint only, and the request's transaction goes on.
      await app.database.db.transaction(async (tx) => {
        expect(await failureOf(publishFactCheck(tx, editorViewer(), { claimId: uuidOf(claimId), rating: 'FALSE', summary: 'Fail in a savepoint.' }))).toMatch(
          /refused by the test trigger/,
        );
        expect(
          (
            await tx
              .select({ id: factChecks.id })
              .from(factChecks)
              .where(eq(factChecks.claimId, uuidOf(claimId)))
          ).length,
        ).toBe(0);
      });
      await expectUnpublished(claimId, { version: before.version, status: before.status });
    });
    // The connections that failed serve the next publication as usual.
    const published = ok(await mutate(app, desk.editor.token, 'publish', { claimId, rating: 'FALSE', summary: 'Published after all.' })).publishFactCheck;
    expect(published.claim.version).toBe(before.version + 1);
    expect((await checkInvariants(app.database.db)).violations).toEqual([]);
  });
}

test("a failure of the write mix's writes commits nothing, reaches the caller, and leaves the server serving", async () => {
  const claimId = await reviewedClaim(app, desk);
  ok(await app.gql('mutation($i: UpdateClaimInput!) { updateClaim(input: $i) { claim { id } } }', { i: { claimId, requiredVerdicts: 2 } }, desk.editor.token));
  ok(await mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer2.globalId] }));
  const before = await claimState(app, desk.editor.token, claimId);
  await failing('evidence', `new.title = 'Refused evidence'`, 'refused by the test trigger', async () => {
    const refused = await mutate(app, desk.editor.token, 'evidence', { claimId, kind: 'OTHER', title: 'Refused evidence', stance: 'CONTEXT' });
    expect(codes([refused])).toEqual(['INTERNAL_SERVER_ERROR']);
  });
  await failing('verdicts', `new.rationale = 'Refused verdict.'`, 'refused by the test trigger', async () => {
    const refused = await mutate(app, desk.reviewer2.token, 'verdict', { claimId, rating: 'FALSE', confidence: 'HIGH', rationale: 'Refused verdict.' });
    expect(codes([refused])).toEqual(['INTERNAL_SERVER_ERROR']);
  });
  const after = await claimState(app, desk.editor.token, claimId);
  expect({ status: after.status, version: after.version, verdicts: after.verdicts.length }).toEqual({
    status: before.status,
    version: before.version,
    verdicts: before.verdicts.length,
  });
  expect(after.assignments.filter((a) => a.state === 'ACTIVE')).toHaveLength(1);
  ok(await mutate(app, desk.reviewer2.token, 'verdict', { claimId, rating: 'FALSE', confidence: 'HIGH', rationale: 'Accepted verdict.' }));
  expect((await claimState(app, desk.editor.token, claimId)).status).toBe('REVIEWED');
  expect((await checkInvariants(app.database.db)).violations).toEqual([]);
});

test.runIf(testDatabaseKind === 'postgres')(
  "a Postgres transaction (BEGIN sent with its first statements) refuses statements once it ended, and its failure is its statement's",
  async () => {
    let leaked: Parameters<Parameters<typeof app.database.db.transaction>[0]>[0] | undefined;
    const count = await app.database.db.transaction(async (tx) => {
      leaked = tx;
      return (await tx.execute(sql`select 1 as one`)) as unknown as { one: number }[];
    });
    expect(count[0]!.one).toBe(1);
    expect(await failureOf(leaked!.execute(sql`select 1`))).toMatch(/The transaction has ended/);
    // The first statement's failure is thrown, not BEGIN's or the rollback's.
    expect(await failureOf(app.database.db.transaction((tx) => tx.execute(sql`select * from no_such_table`)))).toMatch(/no_such_table/);
    expect(((await app.database.db.execute(sql`select 2 as two`)) as unknown as { two: number }[])[0]!.two).toBe(2);
  },
);
