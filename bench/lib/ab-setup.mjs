// What bench/ab-publish.mjs, ab-writes.mjs and publish-cost.mjs share: builds of our server from
// other checkouts, on a copy of the bench data set (factcheck_ab_publish or factcheck_ab_writes,
// made with `create database … template factcheck_bench`: each run uses up claims), a webhook
// receiver that counts deliveries, publications timed one at a time as the editor, two builds
// taking turns, and the latency figures they print.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { tokenFor } from './dataset.mjs';
import { connect } from './db.mjs';
import { cleanup } from './procs.mjs';
import { CREATE_WEBHOOK_ENDPOINT, PUBLISH_FACT_CHECK } from './queries.mjs';
import { gql, globalId } from './report.mjs';
import { startOurs } from './servers.mjs';
import { ascending, percentileFloor } from './stats.mjs';

/**
 * Our server as checkout `root` built it (its dist/), on database `db` with a pool of 10, as
 * startOurs runs it (lib/servers.mjs) but for `extraEnv`; its log is bench/results/<root's last folder>.log.
 */
export const startBuild = (db, root, extraEnv = {}) => startOurs(db, 10, extraEnv, { root: `${root.replace(/\/$/, '')}/`, name: root.split('/').pop() });

/** Stops the builds (`graceMs` each after SIGTERM) and the receiver, then whatever else the run started. */
export async function stopAll(servers, { receiver, graceMs = 2_000 } = {}) {
  for (const server of servers) await server.proc.stop(graceMs);
  receiver?.close();
  await cleanup();
}

const EDITOR = { 'content-type': 'application/json', authorization: `Bearer ${tokenFor('EDITOR')}` };

/** POST /graphql to `server` as the data set's first editor; the answer's JSON. */
export const postAsEditor = async (server, body) => (await fetch(`${server.url}/graphql`, { method: 'POST', headers: EDITOR, body })).json();

/** A webhook receiver on 127.0.0.1: answers every delivery 200 and counts them. */
export async function startReceiver() {
  let received = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.end('ok');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/hook`, received: () => received, close: () => server.close() };
}

/** Subscribes `receiver` to FACT_CHECK_PUBLISHED on `server`, which must run with WEBHOOK_ALLOW_PRIVATE_URLS=true (the receiver is on 127.0.0.1). */
export async function registerEndpoint(server, receiver) {
  const created = await postAsEditor(server, gql(CREATE_WEBHOOK_ENDPOINT, { i: { url: receiver.url, events: ['FACT_CHECK_PUBLISHED'] } }));
  if (created.errors) throw new Error(JSON.stringify(created.errors));
}

/**
 * `count` claims of `db` that can be published (REVIEWED or DISPUTED, no fact check yet), scattered;
 * fails if fewer are left. First removes the webhook endpoints an earlier run left: they point at
 * receivers that are gone, and their retries would keep the dispatchers busy during this one.
 */
export async function publishableClaims(db, count) {
  const sql = connect(db);
  try {
    await sql`delete from webhook_endpoints`;
    const claims = (
      await sql`select c.id from claims c where c.status in ('REVIEWED', 'DISPUTED') and not exists (select 1 from fact_checks f where f.claim_id = c.id) order by md5(c.id::text) limit ${count}`
    ).map((r) => r.id);
    if (claims.length < count) throw new Error(`${db} has ${claims.length} publishable claims left, ${count} needed: recreate it from factcheck_bench`);
    return claims;
  } finally {
    await sql.end();
  }
}

/** Publishes a fact check of `claimId` through `server` as the editor; the request's round trip, in ms. */
export async function publishTimed(server, claimId) {
  const started = performance.now();
  const json = await postAsEditor(server, gql(PUBLISH_FACT_CHECK, { i: { claimId: globalId('Claim', claimId), rating: 'FALSE', summary: 'A/B publish.' } }));
  const ms = performance.now() - started;
  if (json.errors) throw new Error(JSON.stringify(json.errors));
  return ms;
}

/** Round `i`'s order of the two builds: A first in odd rounds, B first in even ones, so that neither always follows the other. */
export const turns = (i, a, b) =>
  i % 2
    ? [
        ['A', a],
        ['B', b],
      ]
    : [
        ['B', b],
        ['A', a],
      ];

/** p50, p90, p99 and mean of latencies in ms; the percentiles at index ⌊p × n / 100⌋, as these scripts have always counted (lib/stats.mjs). */
export function latencies(values) {
  const sorted = ascending(values);
  const at = (p) => percentileFloor(sorted, p);
  return { p50: at(50), p90: at(90), p99: at(99), mean: sorted.reduce((x, y) => x + y, 0) / sorted.length };
}

/** `uptime`'s line (the load averages), to print after a run: what else the machine was doing. */
export const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
