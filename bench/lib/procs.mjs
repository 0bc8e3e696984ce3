// Child processes of the bench: started with their output in bench/results/, measured through /proc,
// and always stopped: on normal exit, on error and on Ctrl-C. Every read of /proc the benches make
// is here too: a process's CPU, memory, children and I/O, and the whole host's CPU.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const RESULTS_DIR = new URL('../results/', import.meta.url).pathname;
const children = new Set();
const cleanups = [];

/** Work to do before the bench exits for any reason (e.g. drop a scratch database). */
export const onCleanup = (fn) => cleanups.push(fn);

export async function cleanup() {
  await Promise.allSettled([...children].map((c) => c.stop()));
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => {});
}

/** Runs a bench's main(): an error is printed and makes the exit status 1; cleanup() runs either way. */
export const runMain = (main) =>
  main()
    .catch((error) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(cleanup);

// Last resort: if the bench dies without awaiting cleanup(), no server is left behind.
process.on('exit', () => {
  for (const c of children)
    try {
      process.kill(c.pid, 'SIGKILL');
    } catch {}
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    console.error(`\n${signal}: stopping the servers the bench started`);
    await cleanup();
    process.exit(130);
  });
}

/** The fields of /proc/<pid>/stat after the command's name (which may hold spaces): [0] state, [1] ppid, [11] utime, [12] stime. */
function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** User + system CPU seconds `pid` has used so far (clock ticks of 1/100 s). Throws once the process is gone. */
export function cpuSecondsOf(pid) {
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** User and system CPU seconds of `pid` apart. Throws once the process is gone. */
export function cpuTimesOf(pid) {
  const fields = statFields(pid);
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
}

/** A memory line of /proc/<pid>/status in MiB: VmRSS (resident now) or VmHWM (the peak so far). Throws once the process is gone. */
export const memoryMbOf = (pid, field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/** /proc/<pid>/io's counters: syscr and syscw (read and write system calls, sockets included), rchar, wchar… */
export const ioCountersOf = (pid) =>
  Object.fromEntries(
    readFileSync(`/proc/${pid}/io`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(': ').map((v, i) => (i ? Number(v) : v))),
  );

/** The pids whose parent is `pid` (a cluster's workers). */
export function childrenOf(pid) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(statFields(entry)[1]) === pid) found.push(Number(entry));
    } catch {} // gone since the listing
  }
  return found;
}

/** Busy and total jiffies of the whole machine (all cores). */
export function hostCpu() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3] - fields[4], total }; // minus idle and iowait
}

/** Share of all cores busy between two hostCpu() readings, in %. */
export const hostBusyPctBetween = (a, b) => (100 * (b.busy - a.busy)) / (b.total - a.total);

/** Share of all cores busy over the next `ms` milliseconds. */
export async function hostBusyPct(ms = 1_000) {
  const a = hostCpu();
  await sleep(ms);
  return hostBusyPctBetween(a, hostCpu());
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

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Starts `command args` with `env`, its stdout and stderr in bench/results/<name>.log; resolves once `ready()` passes. */
export async function startProcess(name, command, args, { env, ready, timeoutMs = 60_000 }) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  // Two servers of one name side by side (metrics on and off) each get a file: <name>.log, <name>-2.log…
  const inUse = new Set([...children].map((c) => c.logFile));
  let logFile = join(RESULTS_DIR, `${name}.log`);
  for (let n = 2; inUse.has(logFile); n++) logFile = join(RESULTS_DIR, `${name}-${n}.log`);
  // The child writes its output to the file itself: the bench's process, which also generates the
  // load, does not relay a server's log lines (one per request at info).
  const log = openSync(logFile, 'w');
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
  closeSync(log); // the child has its own copy
  let exited = null;
  const done = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))));
  const handle = {
    name,
    pid: child.pid,
    logFile,
    /** SIGTERM, then SIGKILL after `graceMs`; resolves to how long the exit took, whether it was forced, and the exit ({ code, signal }). */
    async stop(graceMs = 3_000) {
      const started = Date.now();
      let forced = false;
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          forced = true;
          child.kill('SIGKILL');
        }, graceMs);
        await done;
        clearTimeout(timer);
      }
      children.delete(handle);
      return { ms: Date.now() - started, forced, exit: exited };
    },
    /** Peak resident set size so far (VmHWM), in MiB. */
    peakRssMb: () => memoryMbOf(child.pid, 'VmHWM'),
    /** User + system CPU seconds used so far. */
    cpuSeconds: () => cpuSecondsOf(child.pid),
  };
  children.add(handle);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`${name} exited (${JSON.stringify(exited)}) before it was ready; see ${logFile}`);
    try {
      if (await ready()) return handle;
    } catch {}
    if (Date.now() > deadline) {
      await handle.stop();
      throw new Error(`${name} was not ready after ${timeoutMs / 1000} s; see ${logFile}`);
    }
    await sleep(200);
  }
}
