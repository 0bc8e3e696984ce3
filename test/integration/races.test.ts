/**
 * Concurrent actions on one claim serialize on its row lock: no lost update, no double verdict.
 * On Postgres the requests really run in parallel on a pool of connections; on PGlite they queue.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { claimEvents, verdicts } from '../../src/db/schema.js';
import { fromGlobalId } from '../../src/domain/global-ids.js';
import { ok, type TestApp } from '../support/app.js';
import { createClaim, ingestArticle, type Desk, startDeskApp } from '../support/factories.js';
import { claimState, mutate } from '../support/workflow.js';

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
  const { version } = ok(await mutate(app, desk.reviewer1.token, 'verdict', { claimId, rating: 'TRUE', confidence: 'HIGH', rationale: 'Fine.' })).submitVerdict.claim;
  const responses = await Promise.all(
    ['TRUE', 'MOSTLY_TRUE', 'MIXED', 'FALSE'].map((rating) => mutate(app, desk.editor.token, 'publish', { claimId, rating, summary: `Published as ${rating}.`, expectedVersion: version })),
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
