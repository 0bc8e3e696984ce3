// node bench/ab.mjs --build base=.scratch/ab/base --build new=dist [--pgl] [--floor] [--query dashboard]
// An A/B of builds of our server on the full bench database (factcheck_bench, made by `npm run bench`;
// never rebuilt here): every build (a copy of dist/ under the project root, so that it finds
// node_modules and drizzle/), optionally PostGraphile and the floor, all started side by side,
// warmed up, then measured in interleaved slices of rotating order, so that load from other
// processes on a shared machine falls on all of them alike. Only ratios within one run compare.
// Each build runs as it ships (NODE_ENV=production, LOG_LEVEL=info, metrics on, a pool of 10) but
// for the per-token budgets, raised so that no request is refused (lib/servers.mjs), and --env.
//   --query dashboard | search | trivial ({ __typename } as an editor: the fixed cost of a request)
//   --bare                    also bare graphql-http on node:http with our schema ({ __typename } only)
//   --env name:KEY=VALUE      an environment variable for one build (repeatable), e.g. warn:LOG_LEVEL=warn
//   --prof name               run that build under --cpu-prof (profile in .scratch/prof/)
//   --json file               also write the rows, with each slice's req/s and CPU ms per request, to file
//   --db factcheck_bench      the database (factcheck_bench_quick: made by `npm run bench -- --quick`)
//   --duration 20 --slices 4 --warmup 5 --connections 10
import { parseArgs } from 'node:util';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { tokenFor } from './lib/dataset.mjs';
import { statementCounter } from './lib/db.mjs';
import { combine, slice, warmUp } from './lib/load.mjs';
import { freePort, runMain, startProcess } from './lib/procs.mjs';
import { DASHBOARD, DASHBOARD_PGL, SEARCH } from './lib/queries.mjs';
import { formatTable, gql, log } from './lib/report.mjs';
import { SEARCH_QUERIES } from './lib/text.mjs';
import { ensureNode22, oursEnv, startFloor, startPostGraphile } from './lib/servers.mjs';

const ROOT = new URL('../', import.meta.url).pathname;
const { values: opts } = parseArgs({
  options: {
    build: { type: 'string', multiple: true, default: [] },
    env: { type: 'string', multiple: true, default: [] },
    prof: { type: 'string', multiple: true, default: [] },
    pgl: { type: 'boolean', default: false },
    floor: { type: 'boolean', default: false },
    bare: { type: 'boolean', default: false },
    query: { type: 'string', default: 'dashboard' },
    duration: { type: 'string', default: '20' },
    slices: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    db: { type: 'string', default: 'factcheck_bench' },
    json: { type: 'string' },
  },
});
const DB = opts.db;
const POOL = 10;
const editor = { authorization: `Bearer ${tokenFor('EDITOR')}` };
const partner = { authorization: `Bearer ${tokenFor('PARTNER')}` };
const ok = (status, body) => status === 200 && !body.includes('"errors"');

function ourRequests() {
  if (opts.query === 'trivial') return () => ({ headers: editor, body: gql('{ __typename }') });
  if (opts.query === 'search') {
    let i = 0;
    return () => ({ headers: partner, body: gql(SEARCH, { q: SEARCH_QUERIES[i++ % SEARCH_QUERIES.length] }) });
  }
  const body = gql(DASHBOARD);
  return () => ({ headers: editor, body });
}

async function startBuild(name, dir) {
  const main = resolve(ROOT, dir, 'src/server/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing`);
  const env = Object.fromEntries(
    opts.env
      .filter((e) => e.startsWith(`${name}:`))
      .map((e) =>
        e
          .slice(name.length + 1)
          .split(/=(.*)/s)
          .slice(0, 2),
      ),
  );
  const args = opts.prof.includes(name) ? ['--cpu-prof', `--cpu-prof-dir=${ROOT}.scratch/prof`] : [];
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = await startProcess(`ab-${name}`, process.execPath, [...args, main], {
    env: oursEnv(DB, port, POOL, env),
    ready: async () => (await fetch(`${url}/readyz`)).status === 200,
  });
  return { url, proc };
}

async function main() {
  const targets = [];
  for (const spec of opts.build) {
    const [name, dir] = spec.split('=');
    targets.push({ label: name, start: () => startBuild(name, dir), next: ourRequests() });
  }
  if (opts.pgl) {
    const node22 = ensureNode22();
    const body = gql(DASHBOARD_PGL);
    targets.push({ label: 'postgraphile', start: () => startPostGraphile(node22, DB, POOL), next: () => ({ headers: {}, body }) });
  }
  if (opts.floor) {
    const body = gql(DASHBOARD);
    targets.push({ label: 'floor', start: () => startFloor(DB, POOL), next: () => ({ headers: editor, body }) });
  }
  if (opts.bare) {
    targets.push({
      label: 'bare graphql-http',
      next: () => ({ headers: {}, body: gql('{ __typename }') }),
      start: async () => {
        const port = await freePort();
        const url = `http://127.0.0.1:${port}`;
        const proc = await startProcess('bare-graphql', process.execPath, [`${ROOT}bench/bare-graphql-server.mjs`], {
          env: { PORT: String(port) },
          ready: async () => (await fetch(url)).status === 200,
        });
        return { url, proc };
      },
    });
  }
  const run = { duration: Number(opts.duration), slices: Number(opts.slices), warmup: Number(opts.warmup), connections: Number(opts.connections) };
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const load = execFileSync('uptime', { encoding: 'utf8' }).trim();
  log(`ab (${commit}): ${opts.query}, ${run.connections} connections, ${run.warmup} s warm-up, ${run.duration} s each in ${run.slices} slices; ${load}`);
  const live = [];
  try {
    for (const t of targets) {
      const server = await t.start();
      live.push({ ...t, server, counter: statementCounter(DB), parts: [] });
    }
    for (const t of live) {
      t.load = { url: t.server.url, connections: run.connections, ok, counter: t.counter, server: t.server.proc, next: t.next };
      const w = await warmUp(t.load, run.warmup);
      if (w?.errors) throw new Error(`${t.label}: ${w.errors} failures in warm-up, first: ${w.firstFailure}`);
    }
    for (let s = 0; s < run.slices; s++) {
      for (let i = 0; i < live.length; i++) {
        const t = live[(i + s) % live.length];
        t.parts.push(await slice({ ...t.load, seconds: run.duration / run.slices }));
      }
    }
    const rows = live.map((t) => {
      const { latencies, ...row } = combine(t.parts);
      // Slice i of every target ran within seconds of the others: ratios of the same slice resist drift.
      const slices = t.parts.map((p) => ({ rps: p.latencies.length / p.seconds, cpuMsPerRequest: (1000 * p.cpuSeconds) / p.latencies.length }));
      return { target: t.label, ...row, slices };
    });
    const base = rows[0];
    console.log(
      formatTable(rows, [
        ['target', (r) => r.target],
        ['req/s', (r) => r.rps.toFixed(0)],
        [`× ${base.target}`, (r) => (r.rps / base.rps).toFixed(2)],
        ['p50 ms', (r) => r.p50.toFixed(1)],
        ['p99 ms', (r) => r.p99.toFixed(1)],
        ['SQL/req', (r) => r.sqlPerRequest?.toFixed(2) ?? '-'],
        ['server CPU %', (r) => r.serverCpuPct?.toFixed(0) ?? '-'],
        ['CPU ms/req', (r) => r.cpuMsPerRequest?.toFixed(2) ?? '-'],
        ['errors', (r) => String(r.errors)],
      ]),
    );
    const loadAfter = execFileSync('uptime', { encoding: 'utf8' }).trim();
    if (opts.json) writeFileSync(opts.json, JSON.stringify({ commit, query: opts.query, db: DB, ...run, load, loadAfter, env: opts.env, rows }, null, 2));
    log(`done; ${loadAfter}`);
  } finally {
    for (const t of live) {
      await t.counter.end();
      await t.server.proc.stop(5_000);
    }
  }
}

runMain(main);
