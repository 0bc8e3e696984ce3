// Child processes of the bench: started with their output in bench/results/, measured through /proc,
// and always stopped: on normal exit, on error and on Ctrl-C.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const RESULTS_DIR = new URL('../results/', import.meta.url).pathname;
const children = new Set();
const cleanups = [];

/** Work to do before the bench exits for any reason (e.g. drop a scratch database). */
export const onCleanup = (fn) => cleanups.push(fn);

export async function cleanup() {
  await Promise.allSettled([...children].map((c) => c.stop()));
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => {});
}

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
    peakRssMb: () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024,
    /** User + system CPU seconds used so far. */
    cpuSeconds: () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
    },
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
    await new Promise((r) => setTimeout(r, 200));
  }
}
