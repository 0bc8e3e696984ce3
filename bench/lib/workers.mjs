// npm run bench -- --workers <n>: the editors' dashboard from one server process and from a cluster
// of n (WORKERS=n, src/server/cluster/), the same DATABASE_POOL_SIZE per process, measured in
// interleaved slices in one run as the other comparisons (bench.mjs's compare()). The server's CPU
// counts every process of the cluster: the primary, which accepts the connections and hands them
// round, and its workers. See bench/README.md.
import { setTimeout as sleep } from 'node:timers/promises';
import { childrenOf, cpuSecondsOf, memoryMbOf } from './procs.mjs';

/** `read(pid)`, or 0 once the process is gone (a worker that exited between the listing and the read). */
const orZero = (read) => (pid) => {
  try {
    return read(pid);
  } catch {
    return 0;
  }
};

/** The primary's process handle, measured as the whole cluster: CPU and peak RSS summed over it and its workers. */
function wholeCluster(proc) {
  const sum = (read) => [proc.pid, ...childrenOf(proc.pid)].reduce((total, pid) => total + orZero(read)(pid), 0);
  return {
    ...proc,
    cpuSeconds: () => sum(cpuSecondsOf),
    // The sum of each process's own peak: at most what the cluster held at once.
    peakRssMb: () => sum((pid) => memoryMbOf(pid, 'VmHWM')),
  };
}

/** The first worker answers /readyz before the others serve: wait until /metrics says every worker answered. */
async function untilEveryWorkerServes(url, workers, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const text = await (await fetch(`${url}/metrics`)).text();
      if (Number(/^factcheck_cluster_workers\{state="answered"\} (\d+)$/m.exec(text)?.[1]) === workers) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`WORKERS=${workers}: not every worker served after ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

/**
 * `compare` and `startOurs` are bench.mjs's and lib/servers.mjs's; `body`, `headers` and `check` the
 * dashboard's. Returns the two table rows and the JSON figures.
 */
export async function compareWorkers({ compare, startOurs, db, pool, workers, body, headers, check, log }) {
  if (!Number.isInteger(workers) || workers < 2) throw new Error(`--workers takes a number of processes, 2 or more (got ${workers})`);
  log(`workers: the dashboard from 1 process and from WORKERS=${workers}, DATABASE_POOL_SIZE=${pool} per process, interleaved`);
  const target = (n) => ({
    label: n === 1 ? 'ours: dashboard, 1 process' : `ours: dashboard, WORKERS=${n}`,
    start: async () => {
      if (n === 1) return startOurs(db, pool);
      const server = await startOurs(db, pool, { WORKERS: String(n) }, { name: `ours-workers-${n}` });
      await untilEveryWorkerServes(server.url, n);
      return { ...server, proc: wholeCluster(server.proc) };
    },
    body,
    headers,
    check,
  });
  const [one, many] = await compare([target(1), target(workers)]);
  // serverCpuPct is of one core over the measured seconds: CPU seconds per request, in ms.
  const cpuMsPerRequest = (row) => (row.serverCpuPct / 100 / row.rps) * 1000;
  const ratio = many.row.rps / one.row.rps;
  const paired = many.sliceRps.map((r, i) => r / one.sliceRps[i]).sort((a, b) => a - b);
  const pairedMedian = paired[Math.floor(paired.length / 2)];
  log(
    `  workers: ${one.row.rps.toFixed(0)} req/s from 1 process, ${many.row.rps.toFixed(0)} from ${workers} (×${ratio.toFixed(2)}; median of ${paired.length} paired slices ×${pairedMedian.toFixed(2)}); server CPU per request ${cpuMsPerRequest(one.row).toFixed(2)} vs ${cpuMsPerRequest(many.row).toFixed(2)} ms`,
  );
  const r1 = (x) => Math.round(x * 10) / 10;
  const r3 = (x) => Math.round(x * 1000) / 1000;
  return {
    rows: [one.row, many.row],
    figures: {
      workers,
      pool_per_process: pool,
      workers_rps_1: r1(one.row.rps),
      [`workers_rps_${workers}`]: r1(many.row.rps),
      workers_rps_ratio: r3(ratio),
      workers_rps_ratio_paired_median: r3(pairedMedian),
      workers_cpu_ms_per_request_1: r3(cpuMsPerRequest(one.row)),
      [`workers_cpu_ms_per_request_${workers}`]: r3(cpuMsPerRequest(many.row)),
      workers_p99_ms_1: r1(one.row.p99),
      [`workers_p99_ms_${workers}`]: r1(many.row.p99),
    },
  };
}
