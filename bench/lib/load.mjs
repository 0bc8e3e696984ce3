// Measurements: autocannon against a running server, every response checked, latencies recorded per
// request (for exact p50/p95/p99), SQL statements counted. A target can be measured in several
// slices, interleaved with other targets, so that load from other processes on a shared machine
// falls on all targets alike; combine() turns the slices into one row.
import autocannon from 'autocannon';
import { hostCpu } from './procs.mjs';
import { ascending, percentile } from './stats.mjs';

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
