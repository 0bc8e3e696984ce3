// What one publication costs one server, publishing alone (one client, one at a time, its own
// dispatcher delivering to a receiver here unless NO_ENDPOINT=1): node bench/publish-cost.mjs <root> [n]
// Latency p50/p99, and, load-independent, the statements per publication as pg_stat_statements counts
// them on the database (begin, commit, the dispatcher's and the background jobs' included), the
// server's socket writes and reads per publication (/proc/<pid>/io) and its CPU (/proc/<pid>/stat).
// Uses factcheck_ab_publish like ab-publish.mjs (made with `create database factcheck_ab_publish
// template factcheck_bench`); resets that database's pg_stat_statements entries only.
import { setTimeout as sleep } from 'node:timers/promises';
import { latencies, publishableClaims, publishTimed, registerEndpoint, startBuild, startReceiver, stopAll } from './lib/ab-setup.mjs';
import { connect } from './lib/db.mjs';
import { cpuTimesOf, ioCountersOf } from './lib/procs.mjs';

const [root, n = '300'] = process.argv.slice(2);
if (!root) throw new Error('usage: node bench/publish-cost.mjs <root> [n]');
const N = Number(n);
const DB = 'factcheck_ab_publish';
const receiver = await startReceiver();
const claims = await publishableClaims(DB, N + 20);
const sql = connect(DB);
const server = await startBuild(DB, root, { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
try {
  if (!process.env.NO_ENDPOINT) await registerEndpoint(server, receiver);
  let k = 0;
  for (let i = 0; i < 20; i++) await publishTimed(server, claims[k++]); // warm-up: statements prepared
  await sleep(500);
  const [{ oid }] = await sql`select oid from pg_database where datname = ${DB}`;
  await sql`select pg_stat_statements_reset(0, ${oid}, 0)`;
  const [io0, cpu0] = [ioCountersOf(server.proc.pid), cpuTimesOf(server.proc.pid)];
  const times = [];
  for (let i = 0; i < N; i++) {
    times.push(await publishTimed(server, claims[k++]));
    await sleep(20);
  }
  await sleep(500); // the last deliveries
  const [io1, cpu1] = [ioCountersOf(server.proc.pid), cpuTimesOf(server.proc.pid)];
  const [{ calls }] =
    await sql`select coalesce(sum(calls), 0)::int as calls from pg_stat_statements where dbid = ${oid} and query not like '%pg_stat_statements%'`;
  const { p50, p99 } = latencies(times);
  const per = (x) => (x / N).toFixed(2);
  console.log(
    `${root}: p50 ${p50.toFixed(1)} p99 ${p99.toFixed(1)} ms | ${per(calls)} statements, ` +
      `${per(io1.syscw - io0.syscw)} socket writes, ${per(io1.syscr - io0.syscr)} reads, ` +
      `${per((cpu1.user - cpu0.user) * 1000)} + ${per((cpu1.system - cpu0.system) * 1000)} ms CPU (user + sys) per publication | received ${receiver.received()}`,
  );
} finally {
  await sql.end();
  await stopAll([server], { receiver, graceMs: 5_000 });
}
