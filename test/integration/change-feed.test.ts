/**
 * factCheckChanges: every change once, in order, never skipped, also when transactions commit out
 * of the order they started in (Postgres: several connections; PGlite serializes transactions).
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { factChecks } from '../../src/db/schema.js';
import { codes, ok, startTestApp, type TestApp } from '../support/app.js';
import { testDatabaseKind } from '../support/database.js';
import { createDesk, publishedArchive, type Desk } from '../support/factories.js';
import { mutate } from '../support/workflow.js';
import { publish, reviewedClaim, W } from '../support/webhooks.js';

let app: TestApp;
let desk: Desk;
beforeAll(async () => {
  app = await startTestApp();
  desk = await createDesk(app.database.db);
});
afterAll(async () => {
  await app?.stop();
});

interface Page {
  pageInfo: { hasNextPage: boolean; endCursor: string };
  edges: { cursor: string; node: { type: string; factCheckId: string; factCheck: { id: string } | null } }[];
}
const changes = async (after: string | null, token = desk.partner.token, first?: number) =>
  ok(await app.gql(W.changes, { after, first }, token)).factCheckChanges as Page;

/** Follows the feed from `cursor` to its end, page by page, as a partner would. */
async function drain(cursor: string | null, first = 100) {
  const seen: Page['edges'] = [];
  for (;;) {
    const page = await changes(cursor, desk.partner.token, first);
    seen.push(...page.edges);
    cursor = page.pageInfo.endCursor;
    if (!page.pageInfo.hasNextPage) return { seen, cursor };
  }
}

test('publications, corrections and retractions, in order, for every role; an empty page still has a cursor', async () => {
  const start = await changes(null);
  expect(start.pageInfo.endCursor).toEqual(expect.any(String));
  const from = (await drain(null)).cursor;
  const claimId = await reviewedClaim(app, desk);
  const { factCheck } = await publish(app, desk, claimId);
  await publish(app, desk, claimId, 'Corrected.', 'A correction.');
  ok(await mutate(app, desk.editor.token, 'reopen', { claimId, reason: 'Doubts.' }));
  ok(await mutate(app, desk.editor.token, 'dismiss', { claimId, reason: 'Withdrawn.' }));
  const { seen, cursor } = await drain(from, 2);
  expect(seen.map((e) => e.node.type)).toEqual(['PUBLISHED', 'CORRECTED', 'RETRACTED']);
  expect(seen.every((e) => e.node.factCheckId === factCheck.id && e.node.factCheck === null)).toBe(true); // retracted now
  const empty = await changes(cursor);
  expect(empty.edges).toEqual([]);
  expect(empty.pageInfo.hasNextPage).toBe(false);
  expect(empty.pageInfo.endCursor).toEqual(expect.any(String));
  expect((await changes(empty.pageInfo.endCursor)).edges).toEqual([]);
  for (const who of [desk.admin, desk.editor, desk.reviewer1]) expect((await changes(from, who.token)).edges).toHaveLength(3);
  expect(codes(await app.gql(W.changes, {}, null))).toEqual(['UNAUTHENTICATED']);
  expect(codes(await app.gql(W.changes, { after: 'not-a-cursor' }, desk.partner.token))).toEqual(['BAD_USER_INPUT']);
  expect(codes(await app.gql(W.changes, { after: Buffer.from('[-1,2]').toString('base64url') }, desk.partner.token))).toEqual(['BAD_USER_INPUT']);
});

describe.runIf(testDatabaseKind === 'postgres')('transactions that commit out of order', () => {
  test('polled in a tight loop, the feed skips none and repeats none', async () => {
    const [factCheckId] = await publishedArchive(app.database.db, desk.editor.id, [{ statement: 'A claim that many changes touch.', daysAgo: 1 }]);
    expect((await app.database.db.select().from(factChecks)).length).toBeGreaterThan(0);
    const { cursor: from } = await drain(null);
    const transactions = 16;
    // A connection per transaction: all of them are open at once.
    const writers = postgres(app.database.url!, { max: transactions, onnotice: () => {} });
    const seen: string[] = [];
    let cursor = from;
    let polling = true;
    let giveUpAt = Infinity;
    const poller = (async () => {
      while (polling || (seen.length < transactions && Date.now() < giveUpAt)) {
        const page = await changes(cursor);
        seen.push(...page.edges.map((e) => e.cursor));
        cursor = page.pageInfo.endCursor;
      }
    })();
    try {
      // Each transaction writes its change at once and commits after a delay that runs against the
      // order they started in: the last to start commits first.
      const started: Promise<void>[] = [];
      const releases: (() => void)[] = [];
      let written = 0;
      const allWritten = new Promise<void>((resolve) => {
        for (let i = 0; i < transactions; i++) {
          const release = new Promise<void>((r) => releases.push(r));
          started.push(
            writers
              .begin(async (tx) => {
                await tx`insert into fact_check_changes (fact_check_id, type) values (${factCheckId!}, 'CORRECTED')`;
                if (++written === transactions) resolve();
                await release;
              })
              .then(() => undefined),
          );
        }
      });
      await allWritten;
      for (const release of releases.reverse()) {
        release();
        await new Promise((r) => setTimeout(r, 15));
      }
      await Promise.all(started);
      giveUpAt = Date.now() + 20_000;
      polling = false;
      await poller;
    } finally {
      polling = false;
      await writers.end();
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(transactions);
    const positions = seen.map((c) => JSON.parse(Buffer.from(c, 'base64url').toString()) as [number, number]);
    const sorted = [...positions].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(positions).toEqual(sorted);
  }, 60_000);
});
