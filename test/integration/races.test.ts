/**
 * Concurrent actions on one claim serialize on its row lock: no lost update, no double verdict.
 * On Postgres the requests really run in parallel on a pool of connections; on PGlite they queue.
 */
import { and, eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { claimEvents, claims, verdicts } from '../../src/db/schema.js';
import { isDuplicateClaimViolation } from '../../src/domain/claims/duplicates.js';
import { fromGlobalId } from '../../src/domain/global-ids.js';
import { ok, type GraphQLResponse, type TestApp } from '../support/app.js';
import { testDatabaseKind } from '../support/database.js';
import { CREATE_CLAIM, createClaim, ingestArticle, type Desk, startDeskApp } from '../support/factories.js';
import { claimState, mutate } from '../support/workflow.js';
import { checkInvariants } from '../support/invariants.js';
import { DEFAULT_RATING_SCALE } from '../../src/domain/rating-scale/scale.js';

let app: TestApp;
let desk: Desk;
let articleId: string;
beforeAll(async () => {
  ({ app, desk } = await startDeskApp());
  articleId = (await ingestArticle(app, desk.editor.token, { body: 'Claim one. Claim two. Claim three. Claim four.' })).id;
});
afterAll(() => app?.stop());

const tally = (responses: { errors?: { extensions?: { code?: string } }[] }[]) => {
  const counts: Record<string, number> = {};
  for (const r of responses) {
    const key = r.errors?.[0]?.extensions?.code ?? 'OK';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
};

test('20 concurrent identical submitVerdict calls by one reviewer: one verdict, one event', async () => {
  const { id: claimId } = await createClaim(app, desk.editor.token, { articleId, quote: 'Claim one.', requiredVerdicts: 2 });
  ok(await mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer1.globalId, desk.reviewer2.globalId] }));
  const input = { claimId, rating: 'FALSE', confidence: 'HIGH', rationale: 'Same verdict, sent twenty times.' };
  const responses = await Promise.all(Array.from({ length: 20 }, () => mutate(app, desk.reviewer1.token, 'verdict', input)));
  expect(responses.every((r) => r.status < 500)).toBe(true);
  expect(tally(responses)).toEqual({ OK: 1, CONFLICT: 19 });
  const uuid = fromGlobalId(claimId, 'Claim', 'claimId');
  expect(await app.database.db.select().from(verdicts).where(eq(verdicts.claimId, uuid))).toHaveLength(1);
  const events = await app.database.db.select().from(claimEvents).where(eq(claimEvents.claimId, uuid));
  expect(events.filter((e) => e.type === 'VERDICT_SUBMITTED')).toHaveLength(1);
  const state = await claimState(app, desk.editor.token, claimId);
  expect(state.version).toBe(state.history.length);
});

test('4 concurrent publishFactCheck with the same expectedVersion: one wins, three CONFLICT', async () => {
  const { id: claimId } = await createClaim(app, desk.editor.token, { articleId, quote: 'Claim two.' });
  ok(await mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer1.globalId] }));
  const { version } = ok(await mutate(app, desk.reviewer1.token, 'verdict', { claimId, rating: 'TRUE', confidence: 'HIGH', rationale: 'Fine.' })).submitVerdict
    .claim;
  const responses = await Promise.all(
    ['TRUE', 'MOSTLY_TRUE', 'MIXED', 'FALSE'].map((rating) =>
      mutate(app, desk.editor.token, 'publish', { claimId, rating, summary: `Published as ${rating}.`, expectedVersion: version }),
    ),
  );
  expect(tally(responses)).toEqual({ OK: 1, CONFLICT: 3 });
  const winner = responses.find((r) => !r.errors)!.data.publishFactCheck;
  const state = await claimState(app, desk.editor.token, claimId);
  expect(state).toMatchObject({ status: 'PUBLISHED', version: version + 1, factCheck: { rating: winner.factCheck.rating } });
  expect(state.history.filter((h) => h.type === 'PUBLISHED' || h.type === 'CORRECTED')).toHaveLength(1);
});

test('concurrent conflicting actions (assign, dismiss, evidence, update) keep version = events', async () => {
  const { id: claimId } = await createClaim(app, desk.editor.token, { articleId, quote: 'Claim three.' });
  const responses = await Promise.all([
    mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer1.globalId] }),
    mutate(app, desk.editor.token, 'dismiss', { claimId, reason: 'Racing.' }),
    mutate(app, desk.editor.token, 'evidence', { claimId, kind: 'OTHER', title: 'E', stance: 'CONTEXT' }),
    mutate(app, desk.editor.token, 'update', { claimId, priority: 'HIGH' }),
    mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer2.globalId] }),
  ]);
  expect(responses.every((r) => r.status < 500 && (r.errors ?? []).every((e) => e.extensions?.code === 'CONFLICT'))).toBe(true);
  const state = await claimState(app, desk.editor.token, claimId);
  const succeeded = responses.filter((r) => !r.errors).length;
  expect(state.version).toBe(1 + succeeded);
  expect(state.history).toHaveLength(state.version);
  const active = state.assignments.filter((a) => a.state === 'ACTIVE');
  if (state.status === 'DISMISSED') expect(active).toEqual([]);
  expect(new Set(active.map((a) => a.reviewer.name)).size).toBe(active.length);
});

/** One claim created, every other response the same CONFLICT naming it; one claim and one CREATED event in the database. */
async function expectOneClaimCreated(responses: GraphQLResponse[], statement: string) {
  expect(responses.every((r) => r.status < 500)).toBe(true);
  expect(tally(responses)).toEqual({ OK: 1, CONFLICT: responses.length - 1 });
  const winner = responses.find((r) => !r.errors)!.data.createClaim.claim.id as string;
  for (const r of responses.filter((r) => r.errors)) {
    expect(r.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', existingClaimId: winner });
    expect(r.errors![0]!.message).toContain(winner);
  }
  const rows = await app.database.db
    .select({ id: claims.id })
    .from(claims)
    .where(and(eq(claims.articleId, fromGlobalId(articleId, 'Article', 'articleId')), eq(claims.statement, statement)));
  expect(rows.map((r) => r.id)).toEqual([fromGlobalId(winner, 'Claim', 'id')]);
  const events = await app.database.db.select().from(claimEvents).where(eq(claimEvents.claimId, rows[0]!.id));
  expect(events.map((e) => e.type)).toEqual(['CREATED']);
}

test('8 concurrent identical createClaim calls: one claim, seven CONFLICT naming it', async () => {
  const input = { articleId, quote: 'Claim four.', statement: 'Sent eight times at once.' };
  const responses = await Promise.all(Array.from({ length: 8 }, () => app.gql(CREATE_CLAIM, { input }, desk.editor.token)));
  await expectOneClaimCreated(responses, input.statement);
});

// Forces what the test above may or may not hit: every request passes the look-up before any has
// inserted, so only the unique index can tell them apart. (PGlite serializes requests; it cannot race.)
test.runIf(testDatabaseKind === 'postgres')(
  'identical createClaims that all pass the look-up: the unique index lets one in, the others get the same CONFLICT',
  async () => {
    const input = { articleId, quote: 'Claim four.', statement: 'Raced past the look-up.' };
    const locker = postgres(app.database.url!, { max: 1, onnotice: () => {} });
    try {
      let pending: Promise<GraphQLResponse[]> | undefined;
      await locker.begin(async (tx) => {
        // Reads go on, inserts wait: each request looks, finds nothing, and queues on its insert.
        await tx`LOCK TABLE claims IN EXCLUSIVE MODE`;
        pending = Promise.all(Array.from({ length: 4 }, () => app.gql(CREATE_CLAIM, { input }, desk.editor.token)));
        for (let polls = 0; ; polls++) {
          const [row] = await tx<{ waiting: number }[]>`select count(*)::int as waiting from pg_locks
          where relation = 'claims'::regclass and mode = 'RowExclusiveLock' and not granted`;
          const waiting = row?.waiting ?? 0;
          if (waiting === 4) break;
          if (polls > 2_000) throw new Error(`only ${waiting} of 4 inserts queued on the lock`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      });
      await expectOneClaimCreated(await pending!, input.statement);
    } finally {
      await locker.end();
    }
  },
);

test('the unique index refuses a duplicate that bypasses the domain, as the violation createClaim maps', async () => {
  const existing = await createClaim(app, desk.editor.token, { articleId, quote: 'Claim four.', statement: 'Written past the API.' });
  const [row] = await app.database.db
    .select()
    .from(claims)
    .where(eq(claims.id, fromGlobalId(existing.id, 'Claim', 'id')));
  const { id: _id, searchVector: _generated, ...copy } = row!;
  const error = await app.database.db
    .insert(claims)
    .values(copy)
    .then(
      () => null,
      (e: unknown) => e,
    );
  expect(isDuplicateClaimViolation(error)).toBe(true);
  expect(isDuplicateClaimViolation(new Error('something else'))).toBe(false);
});

// A publication holds the rating scale (FOR SHARE) from reading its label to its commit, so that
// setRatingScale cannot remove the label in between: forced here by making the publication wait on
// its insert, after it has read the label, while setRatingScale runs.
test.runIf(testDatabaseKind === 'postgres')(
  'setRatingScale removing a label while a publication with it is in flight waits for it, then is CONFLICT',
  async () => {
    const SET = 'mutation($i: SetRatingScaleInput!) { setRatingScale(input: $i) { ratingScale { labels { key } } } }';
    const labels = DEFAULT_RATING_SCALE.labels.map(({ key, rating, names }) => ({ key, rating, names }));
    ok(
      await app.gql(
        SET,
        {
          i: {
            name: 'With a temporary label',
            defaultLocale: 'en',
            labels: [{ key: 'temporary', rating: 'FALSE', names: [{ locale: 'en', text: 'Temporary' }] }, ...labels],
          },
        },
        desk.admin.token,
      ),
    );
    const { id: claimId } = await createClaim(app, desk.editor.token, { articleId, quote: 'Claim one.', statement: 'Published with a label being removed.' });
    ok(await mutate(app, desk.editor.token, 'assign', { claimId, reviewerIds: [desk.reviewer2.globalId] }));
    ok(await mutate(app, desk.reviewer2.token, 'verdict', { claimId, rating: 'FALSE', confidence: 'HIGH', rationale: 'No.' }));

    const locker = postgres(app.database.url!, { max: 1, onnotice: () => {} });
    const waitingLocks = async (sql: postgres.TransactionSql, n: number) => {
      for (let polls = 0; ; polls++) {
        const [row] = await sql<{ waiting: number }[]>`select count(*)::int as waiting from pg_locks where not granted`;
        if ((row?.waiting ?? 0) >= n) return;
        if (polls > 2_000) throw new Error(`only ${row?.waiting} of ${n} requests are waiting`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    try {
      let publishing: Promise<GraphQLResponse> | undefined;
      let replacing: Promise<GraphQLResponse> | undefined;
      await locker.begin(async (tx) => {
        await tx`LOCK TABLE fact_checks IN EXCLUSIVE MODE`;
        publishing = mutate(app, desk.editor.token, 'publish', { claimId, ratingLabel: 'temporary', summary: 'Published while the scale changes.' });
        await waitingLocks(tx, 1); // the publication read the label and waits on its insert
        replacing = app.gql(SET, { i: { name: 'Default again', defaultLocale: 'en', labels } }, desk.admin.token);
        await waitingLocks(tx, 2); // setRatingScale waits on the scale the publication holds
      });
      expect(ok(await publishing!).publishFactCheck.claim.status).toBe('PUBLISHED');
      const replaced = await replacing!;
      expect(replaced.errors?.map((e) => e.extensions?.code)).toEqual(['CONFLICT']);
      expect(replaced.errors![0]!.message).toContain('"temporary"');
      expect((await checkInvariants(app.database.db)).violations).toEqual([]);
    } finally {
      await locker.end();
    }
  },
);
