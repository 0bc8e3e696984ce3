// What one publication costs one server, publishing alone (one client, one at a time, its own
// dispatcher delivering to a receiver here unless NO_ENDPOINT=1): node bench/publish-cost.mjs <root> [n]
// Latency p50/p99, and, load-independent, the statements per publication as pg_stat_statements counts
// them on the database (begin, commit, the dispatcher's and the background jobs' included), the
// server's socket writes and reads per publication (/proc/<pid>/io) and its CPU (/proc/<pid>/stat).
// Uses factcheck_ab_publish like ab-publish.mjs (made with `create database factcheck_ab_publish
// template factcheck_bench`); resets that database's pg_stat_statements entries only.
import http from 'node:http';
import { cleanup, cpuTimesOf, ioCountersOf } from './lib/procs.mjs';
import { startOurs } from './lib/servers.mjs';
import { connect } from './lib/db.mjs';
import { tokenFor } from './lib/dataset.mjs';
import { gql, globalId } from './lib/report.mjs';

const [root, n = '300'] = process.argv.slice(2);
if (!root) throw new Error('usage: node bench/publish-cost.mjs <root> [n]');
const N = Number(n);
const DB = 'factcheck_ab_publish';
const editor = { 'content-type': 'application/json', authorization: `Bearer ${tokenFor('EDITOR')}` };
let received = 0;
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    received++;
    res.end('ok');
  });
});
await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
const sql = connect(DB);
await sql`delete from webhook_endpoints`; // an earlier run's receivers are gone
const claims = (
  await sql`select c.id from claims c where c.status in ('REVIEWED', 'DISPUTED') and not exists (select 1 from fact_checks f where f.claim_id = c.id) order by md5(c.id::text) limit ${N + 20}`
).map((r) => r.id);
if (claims.length < N + 20) throw new Error(`${DB} has ${claims.length} publishable claims left, ${N + 20} needed: recreate it from factcheck_bench`);
const server = await startOurs(DB, 10, { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' }, { root: `${root.replace(/\/$/, '')}/`, name: root.split('/').pop() });
const post = async (body) => (await fetch(`${server.url}/graphql`, { method: 'POST', headers: editor, body })).json();
try {
  if (!process.env.NO_ENDPOINT) {
    const created = await post(
      gql('mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { endpoint { id } } }', {
        i: { url: `http://127.0.0.1:${receiver.address().port}/hook`, events: ['FACT_CHECK_PUBLISHED'] },
      }),
    );
    if (created.errors) throw new Error(JSON.stringify(created.errors));
  }
  const PUBLISH = 'mutation($i: PublishFactCheckInput!) { publishFactCheck(input: $i) { factCheck { id } } }';
  let k = 0;
  const one = async () => {
    const t = performance.now();
    const json = await post(gql(PUBLISH, { i: { claimId: globalId('Claim', claims[k++]), rating: 'FALSE', summary: 'A/B publish.' } }));
    if (json.errors) throw new Error(JSON.stringify(json.errors));
    return performance.now() - t;
  };
  for (let i = 0; i < 20; i++) await one(); // warm-up: statements prepared
  await new Promise((r) => setTimeout(r, 500));
  const [{ oid }] = await sql`select oid from pg_database where datname = ${DB}`;
  await sql`select pg_stat_statements_reset(0, ${oid}, 0)`;
  const [io0, cpu0] = [ioCountersOf(server.proc.pid), cpuTimesOf(server.proc.pid)];
  const times = [];
  for (let i = 0; i < N; i++) {
    times.push(await one());
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 500)); // the last deliveries
  const [io1, cpu1] = [ioCountersOf(server.proc.pid), cpuTimesOf(server.proc.pid)];
  const [{ calls }] =
    await sql`select coalesce(sum(calls), 0)::int as calls from pg_stat_statements where dbid = ${oid} and query not like '%pg_stat_statements%'`;
  const s = [...times].sort((a, b) => a - b);
  const per = (x) => (x / N).toFixed(2);
  console.log(
    `${root}: p50 ${s[Math.floor(N / 2)].toFixed(1)} p99 ${s[Math.floor(N * 0.99)].toFixed(1)} ms | ${per(calls)} statements, ` +
      `${per(io1.syscw - io0.syscw)} socket writes, ${per(io1.syscr - io0.syscr)} reads, ` +
      `${per((cpu1.user - cpu0.user) * 1000)} + ${per((cpu1.system - cpu0.system) * 1000)} ms CPU (user + sys) per publication | received ${received}`,
  );
} finally {
  await sql.end();
  await server.proc.stop(5000);
  receiver.close();
  await cleanup();
}
