// Measurements: autocannon against a running server, every response checked, latencies recorded per
// request (for exact p50/p95/p99), SQL statements counted. A target can be measured in several
// slices, interleaved with other targets, so that load from other processes on a shared machine
// falls on all targets alike; combine() turns the slices into one row.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { ascending, percentile } from './stats.mjs';

/** Busy and total jiffies of the whole machine (all cores). */
function hostCpu() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3] - fields[4], total }; // minus idle and iowait
}

/** Share of all cores busy over the next `ms` milliseconds. */
export async function hostBusyPct(ms = 1_000) {
  const a = hostCpu();
  await new Promise((r) => setTimeout(r, ms));
  const b = hostCpu();
  return (100 * (b.busy - a.busy)) / (b.total - a.total);
}

/**
 * The machine may be shared (other people's test suites): wait up to `maxSeconds` for it to be
 * quiet before measuring, and return the background load seen last, to report next to the numbers.
 */
export async function waitForQuietHost(maxSeconds, log, quietPct = 20) {
  const deadline = Date.now() + maxSeconds * 1_000;
  let busy = await hostBusyPct(500);
  while (busy > quietPct && Date.now() < deadline) busy = await hostBusyPct(2_000);
  if (busy > quietPct) log(`  warning: ${busy.toFixed(0)}% of the host's CPU is busy with other processes; numbers will be lower than on a quiet machine`);
  return busy;
}

/**
 * One autocannon run. `next()` gives each request's { headers, body } (rotating tokens, queries,
 * mutation targets); `ok(status, body)` says whether a response is a success (a GraphQL error in a
 * 200 is a failure).
 */
export async function run({ url, connections, seconds, next, ok }) {
  const latencies = [];
  let failures = 0;
  let firstFailure = null;
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/graphql',
        setupRequest: (req) => {
          const { headers, body } = next();
          return { ...req, headers: { 'content-type': 'application/json', ...headers }, body };
        },
        onResponse: (status, body) => {
          if (!ok(status, body)) {
            failures++;
            firstFailure ??= `${status} ${String(body).slice(0, 300)}`;
          }
        },
      },
    ],
  });
  instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  const result = await instance;
  return { seconds: result.duration, latencies, errors: failures + result.errors + result.timeouts, firstFailure };
}

export const warmUp = (target, seconds) => (seconds > 0 ? run({ ...target, seconds }) : null);

/** One measured slice: statement counter reset first, server and host CPU read around it. */
export async function slice({ url, connections, seconds, next, ok, counter, server }) {
  await counter?.reset();
  const cpuBefore = server?.cpuSeconds();
  const hostBefore = hostCpu();
  const part = await run({ url, connections, seconds, next, ok });
  const hostAfter = hostCpu();
  return {
    ...part,
    statements: counter ? await counter.total() : null,
    cpuSeconds: server ? server.cpuSeconds() - cpuBefore : null,
    host: { busy: hostAfter.busy - hostBefore.busy, total: hostAfter.total - hostBefore.total },
  };
}

/** The numbers of one table row from one or more slices of the same target. */
export function combine(parts) {
  const sum = (f) => parts.reduce((s, p) => s + f(p), 0);
  const latencies = parts.flatMap((p) => p.latencies);
  const sorted = ascending(latencies);
  const seconds = sum((p) => p.seconds);
  const requests = sorted.length;
  const serverCpuSeconds = parts[0].cpuSeconds !== null ? sum((p) => p.cpuSeconds) : null;
  return {
    requests,
    rps: requests / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    errors: sum((p) => p.errors),
    firstFailure: parts.find((p) => p.firstFailure)?.firstFailure ?? null,
    sqlPerRequest: parts[0].statements !== null && requests ? sum((p) => p.statements) / requests : null,
    serverCpuPct: serverCpuSeconds !== null ? (100 * serverCpuSeconds) / seconds : null, // of one core
    // The server process' CPU (all its threads) per request: what the request costs Node, whatever the host's load.
    cpuMsPerRequest: serverCpuSeconds !== null && requests ? (1000 * serverCpuSeconds) / requests : null,
    hostCpuPct: (100 * sum((p) => p.host.busy)) / sum((p) => p.host.total), // all processes, all cores
    latencies, // in completion order (with one connection: request order)
  };
}

/** Warm-up, then one measured slice. */
export async function measure({ warmup, duration, ...target }) {
  await warmUp(target, warmup);
  return combine([await slice({ ...target, seconds: duration })]);
}
