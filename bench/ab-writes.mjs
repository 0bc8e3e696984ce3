// The write mix's latency (submitVerdict by a reviewer with an ACTIVE assignment, addEvidence by an
// editor, alternating, as `npm run bench` sends them) of two builds, request by request on one
// connection each, alternating builds, on a copy of the bench data set:
//   node bench/ab-writes.mjs <rootA> <rootB> [n]
// The database factcheck_ab_writes is made with `create database factcheck_ab_writes template factcheck_bench`
// first; each run uses up 2n+40 reviewers' ACTIVE assignments and as many open claims (recreate it from
// the template when they run out). Reports p50/p99/mean per build and mutation, what one client
// sends a second (1000 / mean), and the statements each build's server sent per request (its
// db_query_duration_seconds count: drizzle's statements, not the driver's begin and commit, plus
// its background jobs' few).
import { setTimeout as sleep } from 'node:timers/promises';
import { latencies, startBuild, stopAll, turns, uptime } from './lib/ab-setup.mjs';
import { connect } from './lib/db.mjs';
import { tokenFor } from './lib/dataset.mjs';
import { gql, globalId } from './lib/report.mjs';
import { ADD_EVIDENCE, SUBMIT_VERDICT } from './lib/queries.mjs';

const [rootA, rootB, n = '200'] = process.argv.slice(2);
if (!rootA || !rootB) throw new Error('usage: node bench/ab-writes.mjs <rootA> <rootB> [n]');
const N = Number(n);
const DB = 'factcheck_ab_writes';

const sql = connect(DB);
// As bench.mjs's write mix: scattered, so that no two requests queue on one claim's lock.
const pairs = await sql`
  select a.claim_id, u.email from assignments a join claims c on c.id = a.claim_id join users u on u.id = a.reviewer_id
  where a.state = 'ACTIVE' and c.status in ('IN_REVIEW', 'DISPUTED', 'REVIEWED') order by md5(a.id::text) limit ${2 * N + 40}`;
const open = await sql`select id from claims where status in ('OPEN', 'IN_REVIEW', 'DISPUTED', 'REVIEWED') order by md5(id::text) limit ${2 * N + 40}`;
await sql.end();
if (pairs.length < 2 * N + 40) throw new Error(`${DB} has ${pairs.length} ACTIVE assignments left, ${2 * N + 40} needed: recreate it from factcheck_bench`);
const reviewerToken = (email) => tokenFor('REVIEWER', Number(/^reviewer(\d+)@/.exec(email)[1]));
const editor = `Bearer ${tokenFor('EDITOR')}`;

let verdicts = 0;
let evidence = 0;
const requests = {
  submitVerdict: () => {
    const p = pairs[verdicts++];
    return {
      token: `Bearer ${reviewerToken(p.email)}`,
      body: gql(SUBMIT_VERDICT, {
        input: { claimId: globalId('Claim', p.claim_id), rating: 'MISLEADING', confidence: 'MEDIUM', rationale: 'Bench: the cited figures omit context.' },
      }),
    };
  },
  addEvidence: () => ({
    token: editor,
    body: gql(ADD_EVIDENCE, {
      input: {
        claimId: globalId('Claim', open[evidence++].id),
        kind: 'DATASET',
        title: 'Bench: official statistics',
        url: 'https://data.example.org/bench',
        stance: 'CONTEXT',
      },
    }),
  }),
};

async function statementsSent(server) {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(/^db_query_duration_seconds_count\{outcome="ok"\} (\d+)/m.exec(text)?.[1] ?? NaN);
}

const a = await startBuild(DB, rootA);
const b = await startBuild(DB, rootB);
try {
  const times = { A: { submitVerdict: [], addEvidence: [] }, B: { submitVerdict: [], addEvidence: [] } };
  const one = async (server, mutation) => {
    const { token, body } = requests[mutation]();
    const t = performance.now();
    const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: token }, body });
    const json = await response.json();
    const ms = performance.now() - t;
    if (json.errors) throw new Error(`${mutation}: ${JSON.stringify(json.errors)}`);
    return ms;
  };
  // Warm-up: each reviewer's token verified once, every statement prepared on a few connections.
  for (let i = 0; i < 10; i++) for (const server of [a, b]) for (const mutation of ['submitVerdict', 'addEvidence']) await one(server, mutation);
  const before = { A: await statementsSent(a), B: await statementsSent(b) };
  for (let i = 0; i < N; i++) {
    for (const mutation of ['submitVerdict', 'addEvidence'])
      for (const [name, server] of turns(i, a, b)) times[name][mutation].push(await one(server, mutation));
    await sleep(20);
  }
  const statements = { A: (await statementsSent(a)) - before.A, B: (await statementsSent(b)) - before.B };
  const stat = (v) => {
    const { p50, p99, mean } = latencies(v);
    return { text: `p50 ${p50.toFixed(1)} p99 ${p99.toFixed(1)} mean ${mean.toFixed(1)}`, mean };
  };
  for (const name of ['A', 'B']) {
    const all = [...times[name].submitVerdict, ...times[name].addEvidence];
    const mix = stat(all);
    console.log(
      `${name} (${name === 'A' ? rootA : rootB}): submitVerdict ${stat(times[name].submitVerdict).text} | addEvidence ${stat(times[name].addEvidence).text} | ` +
        `mix ${mix.text}, ${(1000 / mix.mean).toFixed(1)} req/s on one connection | ${(statements[name] / all.length).toFixed(2)} statements/request`,
    );
  }
  console.log('load', uptime());
} finally {
  await stopAll([a, b]);
}
