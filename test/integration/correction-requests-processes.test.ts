/**
 * Two editors answering the same correction requests at the same moment, each through another
 * server process, on one Postgres database: for each request one answer wins and the other is
 * CONFLICT; the stored answer is the winner's, written once, with one event, which the processes'
 * dispatchers deliver to the staff endpoint (every request's, each event with one webhook-id).
 *
 * Postgres only (several processes need a database they can share): the postgres vitest project.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { correctionRequests, webhookEvents } from '../../src/db/schema.js';
import { parseGlobalId, toGlobalId } from '../../src/domain/global-ids.js';
import { CR } from '../support/correction-requests/requests.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/database.js';
import { createUser, publishedArchive, type TestUser } from '../support/factories.js';
import { checkInvariants } from '../support/invariants.js';
import { killAllServers, okData, startServer, type Outcome, type ServerProcess } from '../support/processes.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { W } from '../support/webhooks.js';

const N = 40;
const uuidOf = (globalId: string) => parseGlobalId(globalId)!.id;
const codeOf = (outcome: Outcome) =>
  outcome.kind !== 'response' ? `network: ${outcome.error}` : (outcome.errors?.[0]?.extensions?.code ?? (outcome.data ? 'OK' : `HTTP ${outcome.status}`));

describe.runIf(testDatabaseKind === 'postgres')('correction requests answered on two processes at once', () => {
  let testDb: TestDatabase;
  let db: Database;
  let editor: TestUser;
  let otherEditor: TestUser;
  let partner: TestUser;
  let factCheckId: string;
  let a: ServerProcess;
  let b: ServerProcess;
  let receiver: Receiver;

  beforeAll(async () => {
    testDb = await createTestDatabase({ poolSize: 2 });
    db = testDb.db;
    editor = await createUser(db, 'EDITOR');
    otherEditor = await createUser(db, 'EDITOR');
    partner = await createUser(db, 'PARTNER');
    const [id] = await publishedArchive(db, editor.id, [{ statement: 'The bridge cost twice its budget.', daysAgo: 3 }]);
    factCheckId = toGlobalId('FactCheck', id!);
    receiver = await startReceiver();
    const env = { DATABASE_URL: testDb.url!, DATABASE_POOL_SIZE: '4', WEBHOOK_RETRY_BASE_MS: '100', LOG_LEVEL: 'info' };
    [a, b] = await Promise.all([startServer('A', env), startServer('B', env)]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()].filter(Boolean));
    await killAllServers();
    await receiver?.stop();
    await testDb?.drop();
  });

  test('each request is answered once: one answer wins, the other is CONFLICT; one event each, delivered', async () => {
    okData(await a.gql(W.create, { i: { url: receiver.url, events: ['CORRECTION_REQUEST_RESOLVED'] } }, editor.token));
    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      const filed = okData(await (i % 2 ? a : b).gql(CR.request, { i: { factCheckId, message: `Request ${i}: the budget figure is wrong.` } }, partner.token));
      ids.push(filed.requestCorrection.correctionRequest.id);
    }

    // Every request answered by both editors at once, one on each process, with different answers.
    const pairs = await Promise.all(
      ids.map((requestId) =>
        Promise.all([
          a.gql(CR.resolve, { i: { requestId, state: 'ACCEPTED', note: 'Accepted on A.' } }, editor.token, 60_000),
          b.gql(CR.resolve, { i: { requestId, state: 'DECLINED', note: 'Declined on B.' } }, otherEditor.token, 60_000),
        ]),
      ),
    );
    const winners = new Map<string, { state: string; note: string; by: string }>();
    for (const [i, pair] of pairs.entries()) {
      expect(pair.map(codeOf).sort(), `request ${i}`).toEqual(['CONFLICT', 'OK']);
      const won = pair.find((o) => codeOf(o) === 'OK') as Extract<Outcome, { kind: 'response' }>;
      const answer = won.data.resolveCorrectionRequest.correctionRequest;
      winners.set(ids[i]!, { state: answer.state, note: answer.resolutionNote, by: answer.resolvedBy.id });
    }

    // Stored: the winner's answer, for every request.
    for (const requestId of ids) {
      const [row] = await db
        .select()
        .from(correctionRequests)
        .where(eq(correctionRequests.id, uuidOf(requestId)));
      const won = winners.get(requestId)!;
      expect({ state: row!.state, note: row!.resolutionNote, by: toGlobalId('User', row!.resolvedBy!) }).toEqual(won);
    }
    // One event per request, with the winner's answer; delivered (at least once, each under its event's webhook-id).
    const events = await db
      .select({ id: webhookEvents.id, data: webhookEvents.data })
      .from(webhookEvents)
      .where(eq(webhookEvents.type, 'CORRECTION_REQUEST_RESOLVED'));
    expect(events).toHaveLength(N);
    await receiver.waitFor((r) => new Set(r.map((w) => w.headers['webhook-id'])).size === N, 60_000);
    for (const w of receiver.received) {
      const { id, state, resolutionNote } = w.json.data.correctionRequest;
      expect({ state, note: resolutionNote }).toEqual({ state: winners.get(id)!.state, note: winners.get(id)!.note });
    }
    expect(new Set(receiver.received.map((w) => w.json.data.correctionRequest.id))).toEqual(new Set(ids));
    expect((await checkInvariants(db)).violations).toEqual([]);
  });
});
