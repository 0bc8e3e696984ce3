// publishFactCheck latency of two builds, request by request on one connection each, alternating,
// on a copy of the bench data set: node bench/ab-publish.mjs <rootA> <rootB> [n]
// (NO_ENDPOINT=1: B registers no webhook endpoint; A_ENV / B_ENV='{"METRICS_ENABLED":"false"}': more settings for A / B). The database factcheck_ab_publish is made with
// `create database factcheck_ab_publish template factcheck_bench` first; each run uses up 2n+20 publishable claims.
import http from 'node:http';
import { cleanup } from './lib/procs.mjs';
import { startOurs } from './lib/servers.mjs';
import { connect } from './lib/db.mjs';
import { tokenFor } from './lib/dataset.mjs';
import { gql, globalId } from './lib/report.mjs';
import { execFileSync } from 'node:child_process';
const [rootA, rootB, n = '150'] = process.argv.slice(2);
const DB = 'factcheck_ab_publish';
const start = (root, extra = {}) => startOurs(DB, 10, extra, { root: `${root.replace(/\/$/, '')}/`, name: root.split('/').pop() });
const editor = { 'content-type': 'application/json', authorization: `Bearer ${tokenFor('EDITOR')}` };
const post = async (url, body) => (await fetch(`${url}/graphql`, { method: 'POST', headers: editor, body })).json();
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
// Endpoints left by an earlier run point at receivers that are gone: their retries would keep the
// dispatchers busy during this one.
await sql`delete from webhook_endpoints`;
const claims = (
  await sql`select c.id from claims c where c.status in ('REVIEWED', 'DISPUTED') and not exists (select 1 from fact_checks f where f.claim_id = c.id) order by md5(c.id::text) limit ${2 * Number(n) + 20}`
).map((r) => r.id);
await sql.end();
const settings = (name) => JSON.parse(process.env[`${name}_ENV`] ?? '{}');
const a = await start(rootA, settings('A'));
const b = await start(rootB, { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', ...settings('B') });
try {
  const created = process.env.NO_ENDPOINT
    ? {}
    : await post(
        b.url,
        gql('mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { endpoint { id } } }', {
          i: { url: `http://127.0.0.1:${receiver.address().port}/hook`, events: ['FACT_CHECK_PUBLISHED'] },
        }),
      );
  if (created.errors) throw new Error(JSON.stringify(created.errors));
  const PUBLISH = 'mutation($i: PublishFactCheckInput!) { publishFactCheck(input: $i) { factCheck { id } } }';
  const times = { A: [], B: [] };
  let k = 0;
  const one = async (name, s) => {
    const claimId = claims[k++];
    const t = performance.now();
    const json = await post(s.url, gql(PUBLISH, { i: { claimId: globalId('Claim', claimId), rating: 'FALSE', summary: 'A/B publish.' } }));
    const ms = performance.now() - t;
    if (json.errors) throw new Error(JSON.stringify(json.errors));
    return ms;
  };
  for (let i = 0; i < 10; i++) {
    await one('A', a);
    await one('B', b);
  } // warm-up
  for (let i = 0; i < Number(n); i++) {
    const order =
      i % 2
        ? [
            ['A', a],
            ['B', b],
          ]
        : [
            ['B', b],
            ['A', a],
          ];
    for (const [name, s] of order) times[name].push(await one(name, s));
    await new Promise((r) => setTimeout(r, 20));
  }
  const stat = (v) => {
    const s = [...v].sort((x, y) => x - y);
    const p = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))].toFixed(1);
    return `p50 ${p(0.5)} p90 ${p(0.9)} p99 ${p(0.99)} mean ${(s.reduce((x, y) => x + y, 0) / s.length).toFixed(1)}`;
  };
  console.log(`publish A ${stat(times.A)} | B ${stat(times.B)} | received ${received}`);
  console.log('load', execFileSync('uptime', { encoding: 'utf8' }).trim());
} finally {
  await a.proc.stop(2000);
  await b.proc.stop(2000);
  receiver.close();
  await cleanup();
}
