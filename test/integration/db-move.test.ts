/**
 * `npm run db:move` as an operator runs it (the compiled command, a child process): an embedded
 * database with a few thousand claims and every relation, taken as a db:backup file, moved into a
 * freshly initialised PostgreSQL cluster of the test's own. The same GraphQL answers before and
 * after (the same tokens work), and a change-feed cursor taken before the move sees exactly the
 * changes made after it, although the new cluster's transaction IDs start far below the source's.
 * PGlite project only (the source is embedded); the target cluster needs the PostgreSQL binaries.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, dumpPglite } from '../../src/db/connection.js';
import { createServer } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import { ok, startTestApp, TEST_SITE, type GraphQLResponse, type TestApp } from '../support/app.js';
import { C, createClaimant } from '../support/claimants/claimants.js';
import { requestCorrection } from '../support/correction-requests/requests.js';
import { testDatabaseKind } from '../support/database.js';
import { createDesk, publishedArchive, type Desk } from '../support/factories.js';
import { createCluster, type Cluster } from '../support/pg-cluster.js';
import { PROJECT_ROOT } from '../support/processes.js';
import { createEndpoint, FACT_CHECK_EVENTS, publish, reviewedClaim, W } from '../support/webhooks.js';
import { mutate } from '../support/workflow.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'factcheck-move-'));
let source: TestApp;
let desk: Desk;
let cluster: Cluster | null = null;

const move = (args: string[]) =>
  run(process.execPath, [join(PROJECT_ROOT, 'dist/scripts/db-move.js'), ...args], { env: { PATH: process.env.PATH ?? '' }, maxBuffer: 10 * 1024 * 1024 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

const TOPIC = 'mutation($i: CreateTopicInput!) { createTopic(input: $i) { topic { id name } } }';
const SET_TOPICS = 'mutation($i: SetClaimTopicsInput!) { setClaimTopics(input: $i) { claim { id } } }';
const APPEARANCE = 'mutation($i: AddClaimAppearanceInput!) { addClaimAppearance(input: $i) { claim { id } } }';

/** What the desk and a partner read: compared as JSON before and after the move. */
const READS: { name: string; who: 'editor' | 'partner' | 'admin'; query: string }[] = [
  {
    name: 'the dashboard',
    who: 'editor',
    query: `{ claims(first: 60) { totalCount edges { cursor node { id status version round quote statement priority createdAt
      speaker { name } topics { name } appearances { url firstAppearance }
      assignments { state reviewer { name } } evidence { title stance } verdicts { rating reviewer { name } }
      factCheck { id rating textualRating summary publishedAt corrections { note previousRating } }
      history { type version actor { name } } } } } }`,
  },
  {
    name: 'published fact checks',
    who: 'partner',
    query: '{ factChecks(first: 100) { totalCount edges { cursor node { id rating summary claimReview updatedAt } } } }',
  },
  {
    name: 'claimants and topics',
    who: 'editor',
    query: '{ claimants { totalCount edges { node { name claims { totalCount } } } } topics { totalCount edges { node { name } } } }',
  },
  { name: 'correction requests', who: 'editor', query: '{ correctionRequests { totalCount edges { node { message state } } } }' },
  {
    name: "the partner's endpoints and pending deliveries",
    who: 'partner',
    query: W.endpoints.replace('query($first: Int, $after: String)', '').replace('(first: $first, after: $after)', ''),
  },
  { name: 'users', who: 'admin', query: '{ users(first: 50) { totalCount edges { node { name role active } } } viewer { name role apiTokens { label } } }' },
];

type Gql = (query: string, token: string, variables?: Record<string, unknown>) => Promise<GraphQLResponse>;
type Change = { cursor: string; node: { type: string; factCheckId: string } };

/** The partner's change feed from `after` to its end, page by page: the changes and where to continue. */
async function feedFrom(gql: Gql, after: string | null) {
  const changes: Change[] = [];
  for (;;) {
    const page = ok(await gql(W.changes, desk.partner.token, { after, first: 100 })).factCheckChanges;
    changes.push(...page.edges);
    after = page.pageInfo.endCursor;
    if (!page.pageInfo.hasNextPage) return { changes, endCursor: after! };
  }
}

async function readAll(gql: Gql) {
  const answers: Record<string, unknown> = {};
  for (const read of READS) answers[read.name] = ok(await gql(read.query, desk[read.who].token));
  answers['the change feed'] = (await feedFrom(gql, null)).changes;
  return answers;
}

describe.runIf(testDatabaseKind === 'pglite')('db:move from the embedded database to PostgreSQL', () => {
  beforeAll(async () => {
    source = await startTestApp();
    desk = await createDesk(source.database.db);
    // Thousands of claims, published in the past (rows as a publication leaves them)…
    await publishedArchive(
      source.database.db,
      desk.editor.id,
      Array.from({ length: 2_500 }, (_, i) => ({ statement: `Archived statement number ${i} about the budget.`, daysAgo: 1 + (i % 300) })),
    );
    // …and a few dozen through the workflow, with every relation.
    const speaker = await createClaimant(source, desk.editor.token, { name: 'Yoav Gallant', kind: 'PERSON' });
    const topic = ok(await source.gql(TOPIC, { i: { name: 'Humanitarian aid' } }, desk.editor.token)).createTopic.topic;
    await createEndpoint(source, desk.partner.token, 'https://partner.example/hook', FACT_CHECK_EVENTS);
    const published: string[] = [];
    for (let i = 0; i < 24; i++) {
      const claimId = await reviewedClaim(source, desk);
      ok(
        await mutate(source, desk.editor.token, 'evidence', {
          claimId,
          title: `UN report ${i}`,
          url: `https://un.example/r/${i}`,
          stance: 'REFUTES',
          kind: 'NEWS_REPORT',
        }),
      );
      ok(await source.gql(APPEARANCE, { i: { claimId, url: `https://social.example/post/${i}` } }, desk.editor.token));
      ok(await mutate(source, desk.editor.token, 'update', { claimId, speakerId: speaker.id }));
      ok(await source.gql(SET_TOPICS, { i: { claimId, topicIds: [topic.id] } }, desk.editor.token));
      if (i % 4 === 3) continue; // left REVIEWED
      const { factCheck } = await publish(source, desk, claimId);
      published.push(factCheck.id);
      if (i % 4 === 1) await publish(source, desk, claimId, 'Corrected: the figures are from 2024.', 'The year was wrong.');
      if (i % 8 === 2) ok(await mutate(source, desk.editor.token, 'dismiss', { claimId, reason: 'Duplicate of an earlier check.' }));
    }
    await requestCorrection(source, desk.partner.token, published[0]!);
    ok(await source.gql(C.update, { i: { claimantId: speaker.id, aliases: ['Gallant'] } }, desk.editor.token));
    cluster = await createCluster();
  }, 600_000);

  afterAll(async () => {
    await source?.stop();
    await cluster?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the same answers after the move, tokens valid, sequences past their maximum, and a cursor from before sees exactly the changes after', async () => {
    const sourceGql: Gql = (query, token, variables) => source.gql(query, variables ?? {}, token);
    const before = await readAll(sourceGql);
    const { endCursor: cursor, changes: changesBefore } = await feedFrom(sourceGql, null);
    expect(changesBefore.length).toBeGreaterThan(20);
    const file = join(dir, 'source.tar.gz');
    writeFileSync(file, Buffer.from(await (await dumpPglite(source.database)).arrayBuffer()));

    const admin = postgres(cluster!.url, { max: 1, onnotice: () => {} });
    await admin`create database moved`;
    await admin.end();
    const target = cluster!.url.replace(/\/postgres$/, '/moved');
    const moved = await move(['--from', file, '--to', target]);
    expect(moved, moved.stderr).toMatchObject({ code: 0 });
    expect(moved.stdout).toMatch(/^ {2}claims\s+2524$/m);
    expect(moved.stdout).toMatch(/^ {2}api_tokens\s+5$/m);

    // The new cluster's transaction IDs are far below the source's: the move shifted positions.
    const check = postgres(target, { max: 1, onnotice: () => {} });
    const [{ shift }] = (await check`select position_offset::text as shift from change_feed_offset`) as unknown as [{ shift: string }];
    await check.end();
    expect(Number(shift)).toBeGreaterThan(0);

    const database = await openDatabase(target);
    const server = await createServer({ ...TEST_SITE } as never, database, createLogger('silent'));
    const running = await server.listen(0, '127.0.0.1');
    const gql: Gql = async (query, token, variables = {}) => {
      const response = await fetch(`${running.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: GraphQLResponse['errors'] };
      return { status: response.status, data: body.data as never, errors: body.errors, headers: response.headers };
    };
    try {
      expect(await readAll(gql)).toEqual(before);

      // Changes after the move: a new publication, a correction. Both write new rows (serial IDs past the copied ones).
      const app = {
        url: running.url,
        database: database as never,
        gql: (q: string, v?: Record<string, unknown>, t?: string | null) => gql(q, t!, v),
        stop: async () => {},
      };
      const claimId = await reviewedClaim(app as TestApp, desk);
      const { factCheck } = await publish(app as TestApp, desk, claimId);
      const { id: correctedClaim, factCheck: corrected } = publishedClaims(before)[1]!;
      await publish(app as TestApp, desk, correctedClaim, 'Corrected after the move.', 'A later source.');

      const after = await feedFrom(gql, cursor);
      expect(after.changes.map((e) => [e.node.type, e.node.factCheckId])).toEqual([
        ['PUBLISHED', factCheck.id],
        ['CORRECTED', corrected.id],
      ]);
      // And the whole feed from the start: every change once, in order, the new ones last.
      const all = (await feedFrom(gql, null)).changes;
      expect(all.slice(0, changesBefore.length)).toEqual(changesBefore);
      expect(all).toHaveLength(changesBefore.length + 2);
    } finally {
      await running.stop();
      await database.close();
    }

    const again = await move(['--from', file, '--to', target]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^db:move: the target database is not empty/);
  }, 600_000);
});

/** Claims of the dashboard answer that partners see a fact check of. */
function publishedClaims(before: Record<string, unknown>): { id: string; factCheck: { id: string } }[] {
  const claims = (before['the dashboard'] as { claims: { edges: { node: { id: string; status: string; factCheck: { id: string } | null } }[] } }).claims.edges;
  return claims.map((e) => e.node).filter((c) => c.status === 'PUBLISHED' && c.factCheck) as { id: string; factCheck: { id: string } }[];
}
