/**
 * The organisation's profile across server processes: set on one, ClaimReview read on the other at
 * once (GraphQL, the page's JSON-LD, .jsonld, claims:search, and a webhook payload the other
 * process may send), round after round, with no cache in between to go stale (docs/design.md,
 * Corrections and transparency).
 *
 * Postgres only (several processes need a database they can share): the postgres vitest project.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/database.js';
import { CREATE_CLAIM, INGEST, SEED_BODY, createUser, type TestUser } from '../support/factories.js';
import { killAllServers, okData, startServer, type ServerProcess } from '../support/processes.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { M } from '../support/workflow.js';
import { FACT_CHECK_EVENTS, W } from '../support/webhooks.js';

const SET = 'mutation($i: SetOrganizationInput!) { setOrganization(input: $i) { organization { name } } }';
const CLAIM_REVIEW = 'query($id: ID!) { factCheck(id: $id) { claimReview } }';

describe.runIf(testDatabaseKind === 'postgres')('the organisation profile on two processes', () => {
  let testDb: TestDatabase;
  let admin: TestUser;
  let editor: TestUser;
  let reviewer: TestUser;
  let partner: TestUser;
  let a: ServerProcess;
  let b: ServerProcess;
  let receiver: Receiver;
  let seq = 0;

  beforeAll(async () => {
    testDb = await createTestDatabase({ poolSize: 2 });
    admin = await createUser(testDb.db, 'ADMIN');
    editor = await createUser(testDb.db, 'EDITOR');
    reviewer = await createUser(testDb.db, 'REVIEWER');
    partner = await createUser(testDb.db, 'PARTNER');
    receiver = await startReceiver();
    const env = {
      DATABASE_URL: testDb.url!,
      DATABASE_POOL_SIZE: '4',
      PUBLIC_BASE_URL: 'https://factcheck.test',
      ORG_NAME: 'Env Desk',
      ORG_URL: 'https://env.example',
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_TIMEOUT_MS: '2000',
      LOG_LEVEL: 'info',
    };
    [a, b] = await Promise.all([startServer('A', env), startServer('B', env)]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()].filter(Boolean));
    await killAllServers();
    await receiver?.stop();
    await testDb?.drop();
  });

  /** A fact check published through `server`. */
  async function published(server: ServerProcess): Promise<string> {
    const article = okData(
      await server.gql(INGEST, { input: { url: `https://news.example/org-${seq++}-${Date.now()}`, title: 'T', body: SEED_BODY } }, editor.token),
    ).ingestArticle.article;
    const claim = okData(
      await server.gql(
        CREATE_CLAIM,
        { input: { articleId: article.id, quote: 'has been routinely hijacked by Hamas terrorists', statement: `Aid is hijacked (${seq}).` } },
        editor.token,
      ),
    ).createClaim.claim;
    okData(await server.gql(M.assign, { i: { claimId: claim.id, reviewerIds: [reviewer.globalId] } }, editor.token));
    okData(await server.gql(M.verdict, { i: { claimId: claim.id, rating: 'FALSE', confidence: 'HIGH', rationale: 'No.' } }, reviewer.token));
    return okData(await server.gql(M.publish, { i: { claimId: claim.id, rating: 'FALSE', summary: 'Not so.' } }, editor.token)).publishFactCheck.factCheck.id;
  }

  /** The ClaimReview author as `server` shows it everywhere, and the Google-compatible publisher. */
  async function shownBy(server: ServerProcess, factCheckId: string) {
    const graphql = okData(await server.gql(CLAIM_REVIEW, { id: factCheckId }, partner.token)).factCheck.claimReview.author;
    const page = await server.get(`/fact-checks/${factCheckId}`);
    const fromPage = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page.kind === 'response' ? page.body! : '')![1]!).author;
    const jsonLd = await server.get(`/fact-checks/${factCheckId}.jsonld`);
    const search = await server.get(`/v1alpha1/claims:search?query=hijacked&key=${partner.token}`);
    return {
      graphql,
      page: fromPage,
      jsonLd: jsonLd.kind === 'response' ? JSON.parse(jsonLd.body!).author : null,
      publisher: search.kind === 'response' ? JSON.parse(search.body!).claims[0].claimReview[0].publisher : null,
    };
  }

  const author = (name: string, url: string, policy: string) => ({ '@type': 'Organization', name, url, correctionsPolicy: policy });

  test('set on one process, read on the other at once, ten rounds each way; the defaults until set', async () => {
    const factCheckId = await published(a);
    // Both processes have answered with the defaults before the first change.
    for (const server of [a, b])
      expect(await shownBy(server, factCheckId)).toEqual({
        graphql: { '@type': 'Organization', name: 'Env Desk', url: 'https://env.example' },
        page: { '@type': 'Organization', name: 'Env Desk', url: 'https://env.example' },
        jsonLd: { '@type': 'Organization', name: 'Env Desk', url: 'https://env.example' },
        publisher: { name: 'Env Desk', site: 'env.example' },
      });
    for (let round = 0; round < 10; round++) {
      const [writer, reader] = round % 2 ? [b, a] : [a, b];
      const name = `Desk round ${round}`;
      const url = `https://round${round}.example`;
      okData(await writer.gql(SET, { i: { name, url, correctionsPolicy: `${url}/corrections` } }, admin.token));
      const expected = author(name, url, `${url}/corrections`);
      expect(await shownBy(reader, factCheckId), `round ${round}, read on ${reader.name}`).toEqual({
        graphql: expected,
        page: expected,
        jsonLd: expected,
        publisher: { name, site: `round${round}.example` },
      });
    }
  });

  test("a webhook payload carries the profile set on the other process, whichever process's dispatcher sends it", async () => {
    okData(await a.gql(W.create, { i: { url: receiver.url, events: FACT_CHECK_EVENTS } }, partner.token));
    for (let round = 0; round < 4; round++) {
      const [writer, publisher] = round % 2 ? [b, a] : [a, b];
      const name = `Webhook desk ${round}`;
      okData(await writer.gql(SET, { i: { name, url: 'https://hooks-desk.example', correctionsPolicy: 'https://hooks-desk.example/c' } }, admin.token));
      const factCheckId = await published(publisher);
      const [delivered] = (await receiver.waitFor((r) => r.some((w) => w.json.data?.factCheck?.id === factCheckId))).filter(
        (w) => w.json.data?.factCheck?.id === factCheckId,
      );
      expect(delivered!.json.data.factCheck.claimReview.author).toEqual(author(name, 'https://hooks-desk.example', 'https://hooks-desk.example/c'));
    }
  });
});
