// node bench/release-lateness.mjs [-- --count 100 --spread 20 --poll-ms 500]
// How late scheduled publications become visible (issue 31: within 2 s of publishAt while a server
// runs). Our server, compiled (npm run build) and in production mode, on a fresh Postgres database,
// with the shipped release poll (SCHEDULED_RELEASE_POLL_MS, 500 ms) unless --poll-ms says otherwise.
// Through the API: --count REVIEWED claims, each scheduled for a moment spread over --spread seconds
// starting a few seconds after the last is scheduled (at random milliseconds, so that releases meet
// the poll at every phase); then each fact check's publishedAt (the moment it became visible) minus
// its publishAt. Prints p50, p90, max and min of that lateness in ms. Needs none of bench/'s own packages.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { percentile } from './lib/stats.mjs';

const { values: opts } = parseArgs({
  options: { count: { type: 'string', default: '100' }, spread: { type: 'string', default: '20' }, 'poll-ms': { type: 'string', default: '500' } },
});

const { createDatabase, dropDatabase } = await import('./lib/db.mjs');
const { cleanup, onCleanup } = await import('./lib/procs.mjs');
const { startOurs } = await import('./lib/servers.mjs');

const count = Number(opts.count);
const DB = `factcheck_release_${process.pid}`;
await createDatabase(DB);
onCleanup(() => dropDatabase(DB));

try {
  const adminToken = randomBytes(24).toString('base64url');
  const server = await startOurs(DB, 10, { ADMIN_TOKEN: adminToken, SCHEDULED_RELEASE_POLL_MS: opts['poll-ms'] });
  const gql = async (token, query, variables) => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const json = await response.json();
    if (json.errors) throw new Error(JSON.stringify(json.errors));
    return json.data;
  };
  const userWithToken = async (role) => {
    const { createUser } = await gql(adminToken, 'mutation($u: CreateUserInput!) { createUser(input: $u) { user { id } } }', {
      u: { name: `bench ${role}`, email: `${role.toLowerCase()}@bench.local`, role },
    });
    const { issueApiToken } = await gql(adminToken, 'mutation($i: IssueApiTokenInput!) { issueApiToken(input: $i) { token } }', {
      i: { userId: createUser.user.id, label: 'bench:release' },
    });
    return { id: createUser.user.id, token: issueApiToken.token };
  };
  const editor = await userWithToken('EDITOR');
  const reviewer = await userWithToken('REVIEWER');

  const sentences = Array.from({ length: count }, (_, i) => `Scheduled claim ${String(i).padStart(4, '0')} is checkable.`);
  const { ingestArticle } = await gql(editor.token, 'mutation($i: IngestArticleInput!) { ingestArticle(input: $i) { article { id } } }', {
    i: { url: `https://news.example/release-${process.pid}`, title: 'Debate night', body: sentences.join(' ') },
  });
  const claimIds = [];
  for (const quote of sentences) {
    const { createClaim } = await gql(editor.token, 'mutation($i: CreateClaimInput!) { createClaim(input: $i) { claim { id } } }', {
      i: { articleId: ingestArticle.article.id, quote },
    });
    const claimId = createClaim.claim.id;
    await gql(editor.token, 'mutation($i: AssignClaimInput!) { assignClaim(input: $i) { claim { id } } }', { i: { claimId, reviewerIds: [reviewer.id] } });
    await gql(reviewer.token, 'mutation($i: SubmitVerdictInput!) { submitVerdict(input: $i) { claim { id } } }', {
      i: { claimId, rating: 'FALSE', confidence: 'HIGH', rationale: 'No.' },
    });
    claimIds.push(claimId);
  }

  const start = Date.now() + 5_000;
  const spreadMs = Number(opts.spread) * 1000;
  const scheduled = [];
  for (const claimId of claimIds) {
    const publishAt = new Date(start + Math.floor(Math.random() * spreadMs));
    const { publishFactCheck } = await gql(editor.token, 'mutation($i: PublishFactCheckInput!) { publishFactCheck(input: $i) { factCheck { id } } }', {
      i: { claimId, rating: 'FALSE', summary: 'On schedule.', publishAt: publishAt.toISOString() },
    });
    scheduled.push({ id: publishFactCheck.factCheck.id, publishAt });
  }
  if (Date.now() >= start) throw new Error('scheduling took longer than the lead: raise it');

  await sleep(Math.max(0, start + spreadMs - Date.now()) + 3_000);
  const lateness = [];
  for (const { id, publishAt } of scheduled) {
    const { factCheck } = await gql(editor.token, 'query($id: ID!) { factCheck(id: $id) { publishedAt } }', { id });
    if (!factCheck) throw new Error(`${id} was not released 3 s after its time`);
    lateness.push(Date.parse(factCheck.publishedAt) - publishAt.getTime());
  }
  lateness.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      count,
      pollMs: Number(opts['poll-ms']),
      latenessMs: { min: lateness[0], p50: percentile(lateness, 50), p90: percentile(lateness, 90), max: lateness.at(-1) },
    }),
  );
} finally {
  await cleanup();
}
