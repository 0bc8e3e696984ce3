/**
 * The compiled server (`dist/src/server/main.js`, built by `npm test`'s pretest) as real child
 * processes: start, talk GraphQL over HTTP without ever throwing on a dead socket, signal, kill.
 * Every process started here is tracked; `killAllServers()` (call it in afterAll) kill -9s leftovers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eventually } from './eventually.js';

/** The compiled entry point; FACTCHECK_SERVER_MAIN points the process tests at another build (e.g. one with a patched dependency). */
export const SERVER_MAIN = process.env.FACTCHECK_SERVER_MAIN || fileURLToPath(new URL('../../dist/src/server/main.js', import.meta.url));

export interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string } & Record<string, unknown>;
}

/** What a request got: an HTTP response (parsed GraphQL body), or a transport failure (no response). */
export type Outcome = { kind: 'response'; status: number; data?: any; errors?: GraphQLError[]; body?: string } | { kind: 'network'; error: string };

/** One request of a drill's load, as it went: which server, when, and what came back. */
export interface TimedWrite<Op extends string> {
  server: ServerProcess;
  op: Op;
  /** What identifies the write in the database afterwards. */
  tag: string;
  start: number;
  end: number;
  outcome: Outcome;
}

/** One /readyz answer of a drill, with when it was asked. */
export interface ReadyPoll {
  server: ServerProcess;
  start: number;
  end: number;
  status: number | string;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  /** http://127.0.0.1:<port>, from the "factcheck API ready" log line. */
  url: string;
  /** Every stdout line so far (log JSON and console output). */
  stdout: string[];
  stderr: string[];
  /** Resolves when the process has exited. */
  exited: Promise<Exit>;
  exit: Exit | null;
  alive(): boolean;
  gql(query: string, variables?: Record<string, unknown>, token?: string | null, timeoutMs?: number): Promise<Outcome>;
  get(path: string, timeoutMs?: number): Promise<Outcome>;
  /** Sends `signal` (default SIGTERM) and waits for the exit, at most `timeoutMs` (then kill -9 and throws). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit>;
}

const running = new Set<ServerProcess>();

/** The environment a child gets: nothing inherited but PATH/HOME, so a developer's DATABASE_URL or NODE_OPTIONS cannot leak in. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    SEED: 'none',
    LOG_LEVEL: 'info',
    ...env,
  };
}

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface StartOptions {
  readyTimeoutMs?: number;
  /** Run this instead of `node dist/src/server/main.js` (e.g. `npm start`, in the project folder). */
  command?: { file: string; args: string[]; cwd?: string };
}

/** Starts `node dist/src/server/main.js` (or options.command) and resolves once it logged "factcheck API ready". */
export async function startServer(name: string, env: Record<string, string>, options: StartOptions = {}): Promise<ServerProcess> {
  if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: run \`npm run build\` first (npm test does it in pretest)`);
  const { file, args, cwd } = options.command ?? { file: process.execPath, args: [SERVER_MAIN] };
  const child = spawn(file, args, { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });
  const stdout: string[] = [];
  const stderr: string[] = [];
  let exit: Exit | null = null;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });
  let onLine: ((line: string) => void) | null = null;
  // Always drain both pipes: a full pipe would block the child's writes.
  const splitter = (sink: string[], notify: boolean) => {
    let rest = '';
    return (chunk: Buffer) => {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop()!;
      for (const line of parts) {
        sink.push(line);
        if (notify) onLine?.(line);
      }
    };
  };
  child.stdout!.on('data', splitter(stdout, true));
  child.stderr!.on('data', splitter(stderr, false));

  const server: ServerProcess = {
    name,
    child,
    pid: child.pid!,
    url: '',
    stdout,
    stderr,
    exited,
    get exit() {
      return exit;
    },
    alive: () => exit === null,
    gql: (query, variables, token, timeoutMs) => postGraphQL(server.url, query, variables, token, timeoutMs),
    get: (path, timeoutMs) => request(`${server.url}${path}`, { method: 'GET' }, timeoutMs),
    async stop(signal = 'SIGTERM', timeoutMs = 20_000) {
      if (exit) return exit;
      child.kill(signal);
      const result = await Promise.race([exited, delay(timeoutMs).then(() => null)]);
      if (result) return result;
      child.kill('SIGKILL');
      await exited;
      throw new Error(`${name} did not exit within ${timeoutMs} ms of ${signal}`);
    },
  };
  running.add(server);

  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const isReady = (line: string) => {
    try {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      return entry.msg === 'factcheck API ready' && entry.url ? entry.url : null;
    } catch {
      return null;
    }
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} was not ready within ${readyTimeoutMs} ms`)), readyTimeoutMs);
    const found = stdout.map(isReady).find(Boolean);
    if (found) {
      clearTimeout(timer);
      resolve(found);
      return;
    }
    onLine = (line) => {
      const ready = isReady(line);
      if (ready) {
        clearTimeout(timer);
        resolve(ready);
      }
    };
    void exited.then((e) => {
      clearTimeout(timer);
      reject(
        new Error(`${name} exited before it was ready (code ${e.code}, signal ${e.signal})\nstdout:\n${stdout.join('\n')}\nstderr:\n${stderr.join('\n')}`),
      );
    });
  }).catch(async (error: unknown) => {
    if (!exit) {
      child.kill('SIGKILL');
      await exited;
    }
    running.delete(server);
    throw error;
  });
  onLine = null;
  server.url = url.replace(/\/graphql$/, '');
  return server;
}

/** kill -9 every tracked process that is still running and wait for it. Safe to call twice. */
export async function killAllServers(): Promise<void> {
  const all = [...running];
  running.clear();
  await Promise.all(
    all.map(async (server) => {
      if (server.alive()) {
        server.child.kill('SIGKILL');
        await Promise.race([server.exited, delay(5_000)]);
      }
    }),
  );
}

export interface Finished {
  exit: Exit;
  stdout: string[];
  stderr: string[];
}

/** Runs the compiled server expecting it to stop by itself (a refused start); kill -9 after `timeoutMs`. */
export async function runUntilExit(env: Record<string, string>, timeoutMs = 30_000): Promise<Finished> {
  const child = spawn(process.execPath, [SERVER_MAIN], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exit = await new Promise<Exit>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  clearTimeout(timer);
  const lines = (chunks: Buffer[]) =>
    Buffer.concat(chunks)
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '');
  return { exit, stdout: lines(out), stderr: lines(err) };
}

/** A process as Linux's /proc shows it: state R/S/D/Z…, parent pid, command line. Null once it is gone. */
export function processInfo(pid: number): { state: string; ppid: number; cmdline: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { state: state!, ppid: Number(ppid), cmdline };
  } catch {
    return null;
  }
}

/** Gone: no such process, or a zombie (it has exited and only waits to be reaped). */
export const isGone = (pid: number) => {
  const info = processInfo(pid);
  return info === null || info.state === 'Z';
};

/** Every process below `pid` (children, their children…), from /proc. */
export function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = processInfo(Number(entry));
    if (info) children.set(info.ppid, [...(children.get(info.ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length)
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  return found;
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The code of a transport failure: ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET, TIMEOUT… */
function networkCode(error: unknown): string {
  const e = error as { name?: string; code?: string; cause?: { code?: string; name?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'TIMEOUT';
  return e?.cause?.code ?? e?.code ?? e?.cause?.name ?? e?.name ?? String(error);
}

async function request(url: string, init: RequestInit, timeoutMs = 20_000): Promise<Outcome> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    text = await response.text();
  } catch (error) {
    return { kind: 'network', error: networkCode(error) };
  }
  try {
    const body = JSON.parse(text) as { data?: unknown; errors?: GraphQLError[] };
    return { kind: 'response', status: response.status, data: body.data, errors: body.errors, body: text };
  } catch {
    return { kind: 'response', status: response.status, body: text };
  }
}

export function postGraphQL(base: string, query: string, variables?: Record<string, unknown>, token?: string | null, timeoutMs?: number): Promise<Outcome> {
  return request(
    `${base}/graphql`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    },
    timeoutMs,
  );
}

/** OK, a GraphQL error code (the first one), UNCODED for an error without a code, or NETWORK:<code>. */
export function outcomeKey(outcome: Outcome): string {
  if (outcome.kind === 'network') return `NETWORK:${outcome.error}`;
  if (outcome.errors?.length) return outcome.errors[0]!.extensions?.code ?? 'UNCODED';
  if (outcome.status >= 400 || outcome.data == null) return `HTTP_${outcome.status}`;
  return 'OK';
}

export const isOk = (outcome: Outcome): outcome is Extract<Outcome, { kind: 'response' }> => outcomeKey(outcome) === 'OK';

/** The data of an outcome that must have succeeded; throws with what came back otherwise. */
export function okData(outcome: Outcome): any {
  if (!isOk(outcome)) throw new Error(`expected success, got ${outcomeKey(outcome)}: ${JSON.stringify(outcome)}`);
  return outcome.data;
}

export function tally(outcomes: readonly Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) {
    const key = outcomeKey(outcome);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/**
 * The first stdout line of `server` that `matches`, once written: the server writes its log
 * asynchronously (src/server/logger.ts), so a line logged before a response may reach stdout after
 * it. Fails, naming `matches`, if none came within `timeoutMs`.
 */
export function logLine(server: ServerProcess, matches: (line: string) => boolean, timeoutMs = 5_000): Promise<string> {
  return eventually(() => server.stdout.find(matches), { what: `a line of pid ${server.pid}'s stdout matching ${matches}`, timeoutMs, intervalMs: 25 });
}
