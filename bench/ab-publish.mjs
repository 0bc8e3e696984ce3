// publishFactCheck latency of two builds, request by request on one connection each, alternating,
// on a copy of the bench data set: node bench/ab-publish.mjs <rootA> <rootB> [n]
// (NO_ENDPOINT=1: B registers no webhook endpoint; A_ENV / B_ENV='{"METRICS_ENABLED":"false"}': more settings for A / B). The database factcheck_ab_publish is made with
// `create database factcheck_ab_publish template factcheck_bench` first; each run uses up 2n+20 publishable claims.
import { setTimeout as sleep } from 'node:timers/promises';
import { latencies, publishableClaims, publishTimed, registerEndpoint, startBuild, startReceiver, stopAll, turns, uptime } from './lib/ab-setup.mjs';

const [rootA, rootB, n = '150'] = process.argv.slice(2);
const DB = 'factcheck_ab_publish';
const receiver = await startReceiver();
const claims = await publishableClaims(DB, 2 * Number(n) + 20);
const settings = (name) => JSON.parse(process.env[`${name}_ENV`] ?? '{}');
const a = await startBuild(DB, rootA, settings('A'));
const b = await startBuild(DB, rootB, { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', ...settings('B') });
try {
  if (!process.env.NO_ENDPOINT) await registerEndpoint(b, receiver);
  const times = { A: [], B: [] };
  let k = 0;
  for (let i = 0; i < 10; i++) {
    await publishTimed(a, claims[k++]);
    await publishTimed(b, claims[k++]);
  } // warm-up
  for (let i = 0; i < Number(n); i++) {
    for (const [name, s] of turns(i, a, b)) times[name].push(await publishTimed(s, claims[k++]));
    await sleep(20);
  }
  const stat = (v) => {
    const { p50, p90, p99, mean } = latencies(v);
    return `p50 ${p50.toFixed(1)} p90 ${p90.toFixed(1)} p99 ${p99.toFixed(1)} mean ${mean.toFixed(1)}`;
  };
  console.log(`publish A ${stat(times.A)} | B ${stat(times.B)} | received ${receiver.received()}`);
  console.log('load', uptime());
} finally {
  await stopAll([a, b], { receiver });
}
