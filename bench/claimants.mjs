// npm run bench:claimants [-- --size 100000 --duration 20 --warmup 3] [-- --quick] [-- --fresh]
// Latency of the editors' claimant typeahead, claimants(search:, first: 10), through our compiled
// server over HTTP, at 100k claimants (target: p95 <= 10 ms). ONE keep-alive connection and
// sequential requests, so the numbers are what one keystroke's request costs, not queueing.
//
// The queries (deterministic, from the same generator as the data): what an editor types into a
// typeahead: 1- to 12-character prefixes of existing names as typed (one request per keystroke),
// prefixes of a later word (a surname), whole names, names with a typo (a letter dropped, doubled,
// swapped or replaced) and Wikidata IDs. Each answer is checked (200, no errors), and whether it
// found the claimant the query came from is counted per kind (a Wikidata ID and a whole name must).
// Then, apart from the timing, the search statement itself: its time in Postgres per kind (the
// exact SQL searchClaimants() sends, captured from dist/, median of 5 runs) and EXPLAIN (ANALYZE,
// BUFFERS) of the slowest query of the mix.
//
// The server runs as it ships (NODE_ENV=production, LOG_LEVEL=info, a pool of 10) but for the
// per-token budgets, raised as in every bench (`startOurs`), and SEED=none. Needs none of bench/'s
// own packages (no autocannon: node:http with one socket) and no pg_stat_statements, so it never
// restarts the PostgreSQL cluster.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { connect, dbUrl, ensureDatabase } from './lib/db.mjs';
import { tokenFor } from './lib/dataset.mjs';
import { loadClaimants, makeClaimants } from './lib/claimant-data.mjs';
import { hostBusyPctBetween, hostCpu, RESULTS_DIR, runMain, waitForQuietHost } from './lib/procs.mjs';
import { makeRandom } from './lib/random.mjs';
import { formatTable, log, sizeLabel } from './lib/report.mjs';
import { startOurs } from './lib/servers.mjs';
import { percentile, round } from './lib/stats.mjs';

const USAGE = `npm run bench:claimants [-- options]
  --size <n>          claimants in the data set (100000)
  --quick             10k claimants; 1 s warm-up + 5 s measured
  --fresh             rebuild the data set even if it is there
  --duration <s>      measured seconds (20; quick 5)
  --warmup <s>        warm-up seconds (3; quick 1)
  --log-level <l>     the server's LOG_LEVEL (info, as it ships)
  --total-count       ask totalCount too (a typeahead does not show it; it counts every match)
  --help              this text`;

const { values: opts } = parseArgs({
  options: {
    help: { type: 'boolean', short: 'h', default: false },
    quick: { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
    size: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    'log-level': { type: 'string', default: 'info' },
    'total-count': { type: 'boolean', default: false },
  },
});
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
const size = Number(opts.size ?? (opts.quick ? 10_000 : 100_000));
const duration = Number(opts.duration ?? (opts.quick ? 5 : 20));
const warmup = Number(opts.warmup ?? (opts.quick ? 1 : 3));
const TARGET_P95_MS = 10;
const PAGE = 10;

const TYPEAHEAD = `query Typeahead($q: String!, $first: Int) {
  claimants(search: $q, first: $first) {${opts['total-count'] ? ' totalCount' : ''} edges { node { id name kind aliases wikidataId } } }
}`;

/** A typo as typing makes them: a letter dropped, doubled, two swapped, or one replaced by a neighbour on the keyboard. */
const NEIGHBOURS = { a: 's', e: 'r', i: 'o', o: 'p', u: 'y', n: 'm', r: 't', s: 'd', t: 'y', l: 'k', k: 'j', m: 'n', c: 'v', d: 'f' };
function typo(r, word) {
  const i = r.between(1, word.length - 2); // the first letter is usually right
  switch (r.int(4)) {
    case 0:
      return word.slice(0, i) + word.slice(i + 1);
    case 1:
      return word.slice(0, i) + word[i] + word.slice(i);
    case 2:
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    default:
      return word.slice(0, i) + (NEIGHBOURS[word[i].toLowerCase()] ?? 'e') + word.slice(i + 1);
  }
}

/**
 * The mix: `count` queries, each { q, kind, claimantId, must } (must: the claimant has to be on the
 * first page). Weights: prefixes of the whole name 45 % (1–12 characters, each length alike, as each
 * keystroke sends one), of a later word 15 %, whole names 15 %, typos 15 %, Wikidata IDs 10 %.
 */
function makeQueries(claimants, count, seed = 3) {
  const r = makeRandom(seed);
  const withId = claimants.filter((c) => c.wikidataId);
  const out = [];
  while (out.length < count) {
    const c = r.pick(claimants);
    const words = c.name.split(' ');
    const kind = r.weighted([
      ['prefix', 45],
      ['word prefix', 15],
      ['whole name', 15],
      ['typo', 15],
      ['wikidata', 10],
    ]);
    if (kind === 'prefix') {
      const n = Math.min(c.name.length, r.between(1, 12));
      out.push({ q: c.name.slice(0, n), kind: n <= 2 ? 'prefix 1-2' : n <= 5 ? 'prefix 3-5' : 'prefix 6-12', claimantId: c.id, must: false });
    } else if (kind === 'word prefix' && words.length > 1) {
      const word = words[words.length - 1];
      out.push({ q: word.slice(0, Math.min(word.length, r.between(2, 8))), kind, claimantId: c.id, must: false });
    } else if (kind === 'whole name') {
      out.push({ q: r.chance(0.5) ? c.name.toLowerCase() : c.name, kind, claimantId: c.id, must: false });
    } else if (kind === 'typo' && c.name.length >= 6) {
      const last = words[words.length - 1];
      const q = r.chance(0.5) && last.length >= 5 ? typo(r, last) : typo(r, c.name);
      out.push({ q, kind, claimantId: c.id, must: false });
    } else if (kind === 'wikidata') {
      const w = r.pick(withId);
      out.push({ q: r.chance(0.8) ? w.wikidataId : w.wikidataId.toLowerCase(), kind, claimantId: w.id, must: true });
    }
  }
  return out;
}
const KINDS = ['prefix 1-2', 'prefix 3-5', 'prefix 6-12', 'word prefix', 'whole name', 'typo', 'wikidata'];

/** POST /graphql over the one keep-alive socket; resolves to { status, body, ms } (ms: request sent to last byte). */
function post(agent, url, token, body) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.request(
      `${url}/graphql`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Sends the mix in order, one request at a time, for `seconds`; every answer checked. */
async function run(agent, url, token, queries, seconds, from = 0) {
  const samples = [];
  const deadline = performance.now() + seconds * 1_000;
  let i = from;
  while (performance.now() < deadline) {
    const query = queries[i++ % queries.length];
    const { status, body, ms } = await post(agent, url, token, JSON.stringify({ query: TYPEAHEAD, variables: { q: query.q, first: PAGE } }));
    const json = status === 200 ? JSON.parse(body) : null;
    const error = status !== 200 || json.errors ? `${status} ${body.slice(0, 300)}` : null;
    const found = !error && json.data.claimants.edges.some((e) => Buffer.from(e.node.id, 'base64url').toString().endsWith(query.claimantId));
    samples.push({ query, ms, error, found, results: json?.data?.claimants.edges.length ?? 0 });
  }
  return { samples, next: i };
}

/** `{ viewer { id } }`, one request at a time, for `seconds`: p50 and p95. */
async function measureFloor(agent, url, token, seconds) {
  const body = JSON.stringify({ query: '{ viewer { id } }' });
  const times = [];
  const deadline = performance.now() + seconds * 1_000;
  while (performance.now() < deadline) {
    const { status, ms } = await post(agent, url, token, body);
    if (status !== 200) throw new Error(`the floor request answered ${status}`);
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  return { requests: times.length, p50: percentile(times, 50), p95: percentile(times, 95) };
}

function summarise(samples) {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    requests: samples.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    errors: samples.filter((s) => s.error).length,
    foundPct: (100 * samples.filter((s) => s.found).length) / Math.max(1, samples.length),
  };
}

/**
 * The statement searchClaimants() sends for `q` (dist/'s domain function on a drizzle instance whose
 * logger captures it), its median time over 5 runs in Postgres, and optionally its EXPLAIN ANALYZE.
 */
async function searchSql(db, queries, explainQuery) {
  const [{ drizzle }, schema, { searchClaimants }, postgres] = await Promise.all([
    import('drizzle-orm/postgres-js'),
    import('../dist/src/db/schema.js'),
    import('../dist/src/domain/claimants/search.js'),
    import('postgres'),
  ]);
  const client = postgres.default(dbUrl(db), { max: 1, onnotice: () => {}, connection: { jit: 'off' } }); // as the server's
  let captured;
  const orm = drizzle(client, { schema, logger: { logQuery: (query, params) => (captured = { query, params }) } });
  try {
    const timings = [];
    for (const query of queries) {
      captured = undefined;
      await searchClaimants(orm, query.q, null, PAGE);
      if (!captured) continue; // nothing to search for: no statement
      const times = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        await client.unsafe(captured.query, captured.params, { prepare: true });
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      timings.push({ ...query, sqlMs: times[2] });
    }
    captured = undefined;
    await searchClaimants(orm, explainQuery.q, null, PAGE);
    const rows = await client.unsafe(`explain (analyze, buffers) ${captured.query}`, captured.params);
    return { timings, explain: { q: explainQuery.q, sql: captured.query, params: captured.params, plan: rows.map((r) => r['QUERY PLAN']).join('\n') } };
  } finally {
    await client.end();
  }
}

async function main() {
  const db = `factcheck_claimants_${sizeLabel(size)}`;
  log(`bench:claimants: ${sizeLabel(size)} claimants; 1 connection, ${warmup} s warm-up + ${duration} s; LOG_LEVEL=${opts['log-level']}`);
  await ensureDatabase(db, `factcheck-bench-claimants v2 claimants=${size} seed=11`, {
    fresh: opts.fresh,
    log,
    build: async (sql) => {
      await loadClaimants(sql, { claimants: size }, log);
    },
  });
  const claimants = makeClaimants(size);
  const queries = makeQueries(claimants, 2_000);
  const sql = connect(db);
  const [{ n: names }] = await sql`select count(*)::int as n from claimant_names`;
  await sql.end();

  const loadBefore = loadavg();
  const backgroundCpuPct = await waitForQuietHost(opts.quick ? 0 : 120, log);
  const server = await startOurs(db, 10, { LOG_LEVEL: opts['log-level'] });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const token = tokenFor('EDITOR');
  let result;
  try {
    const { next } = await run(agent, server.url, token, queries, warmup);
    const measuredCpu = server.proc.cpuSeconds();
    const hostBefore = hostCpu();
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    const { samples } = await run(agent, server.url, token, queries, duration, next);
    const seconds = (performance.now() - started) / 1000;
    const serverCpuPct = (100 * (server.proc.cpuSeconds() - measuredCpu)) / seconds;
    const client = process.cpuUsage(clientBefore);
    const clientCpuPct = (client.user + client.system) / 1e4 / seconds;
    const hostAfter = hostCpu();
    // Of the machine's cores (100 % = all busy): everything, and what is neither our server nor this client (Postgres, other people's work).
    const cores = (hostAfter.total - hostBefore.total) / 100 / seconds; // jiffies of 1/100 s
    const hostBusyPctDuring = hostBusyPctBetween(hostBefore, hostAfter);
    const othersPctDuring = Math.max(0, hostBusyPctDuring - (serverCpuPct + clientCpuPct) / cores);
    // The floor: what any request costs this server and client here (authentication, GraphQL, HTTP), with no search.
    const floor = await measureFloor(agent, server.url, token, Math.min(5, duration));
    const loadAfter = loadavg();
    const peakRssMb = server.proc.peakRssMb();
    const stopped = await server.proc.stop(2_000);
    if (stopped.forced) log(`  note: our server did not exit within ${stopped.ms} ms of SIGTERM and was killed`);
    agent.destroy();

    const all = summarise(samples);
    const byKind = KINDS.map((kind) => ({ kind, ...summarise(samples.filter((s) => s.query.kind === kind)) }));
    const firstError = samples.find((s) => s.error)?.error ?? null;
    const missed = samples.filter((s) => s.query.must && !s.found);
    // The statement alone: every distinct query of the mix once (the first 300), then the slowest one explained.
    const distinct = [...new Map(queries.slice(0, 300).map((q) => [q.q, q])).values()];
    const slowestByHttp = samples.reduce((a, b) => (b.ms > a.ms ? b : a)).query;
    const { timings, explain } = await searchSql(db, distinct, slowestByHttp);
    const sqlByKind = Object.fromEntries(
      KINDS.map((kind) => {
        const t = timings
          .filter((x) => x.kind === kind)
          .map((x) => x.sqlMs)
          .sort((a, b) => a - b);
        return [kind, { p50: percentile(t, 50), p95: percentile(t, 95), max: t[t.length - 1] }];
      }),
    );
    const slowestSql = timings.reduce((a, b) => (b.sqlMs > a.sqlMs ? b : a));

    const fmt = (d) => (x) => (x == null || Number.isNaN(x) ? '-' : x.toFixed(d));
    console.log(
      `\n${formatTable(
        [{ kind: 'all', ...all, sql: null }, ...byKind.map((k) => ({ ...k, sql: sqlByKind[k.kind] }))],
        [
          ['queries', (r) => r.kind],
          ['requests', (r) => String(r.requests)],
          ['p50 ms', (r) => fmt(2)(r.p50)],
          ['p95 ms', (r) => fmt(2)(r.p95)],
          ['p99 ms', (r) => fmt(2)(r.p99)],
          ['max ms', (r) => fmt(1)(r.max)],
          ['found %', (r) => fmt(0)(r.foundPct)],
          ['SQL p50 ms', (r) => fmt(2)(r.sql?.p50)],
          ['SQL p95 ms', (r) => fmt(2)(r.sql?.p95)],
          ['errors', (r) => String(r.errors)],
        ],
      )}\n`,
    );
    console.log(
      `${sizeLabel(size)} claimants (${names} names), ${all.requests} requests in ${seconds.toFixed(1)} s over one connection (${(all.requests / seconds).toFixed(0)} req/s), server CPU ${serverCpuPct.toFixed(0)} % of a core, peak RSS ${peakRssMb.toFixed(0)} MiB`,
    );
    console.log(`floor, { viewer { id } } on the same connection: p50 ${floor.p50.toFixed(2)} ms, p95 ${floor.p95.toFixed(2)} ms (${floor.requests} requests)`);
    console.log(
      `host: load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')} before, ${loadAfter.map((x) => x.toFixed(2)).join(' ')} after; other processes ${backgroundCpuPct.toFixed(0)} % of the CPU just before; during the run ${hostBusyPctDuring.toFixed(0)} % busy, ${othersPctDuring.toFixed(0)} % of it neither our server nor this client (Postgres, anything else)`,
    );
    console.log(`slowest statement alone: "${slowestSql.q}" (${slowestSql.kind}) ${slowestSql.sqlMs.toFixed(2)} ms`);
    console.log(
      `\nEXPLAIN ANALYZE of the slowest request's query, "${explain.q}" (${slowestByHttp.kind}, ${samples.reduce((a, b) => Math.max(a, b.ms), 0).toFixed(1)} ms over HTTP):\n${explain.sql}\n${JSON.stringify(explain.params)}\n${explain.plan}\n`,
    );

    if (firstError) log(`  first error: ${firstError}`);
    if (missed.length) log(`  ${missed.length} Wikidata ID queries did not find their claimant, e.g. "${missed[0].query.q}"`);
    result = {
      claimants: size,
      names,
      connections: 1,
      duration_s: round(seconds, 1),
      log_level: opts['log-level'],
      total_count: opts['total-count'],
      requests: all.requests,
      p50_ms: round(all.p50, 2),
      p95_ms: round(all.p95, 2),
      p99_ms: round(all.p99, 2),
      floor_p50_ms: round(floor.p50, 2),
      floor_p95_ms: round(floor.p95, 2),
      target_p95_ms: TARGET_P95_MS,
      meets_target: all.p95 <= TARGET_P95_MS,
      by_kind: Object.fromEntries(
        byKind.map((k) => [k.kind, { n: k.requests, p50: round(k.p50, 2), p95: round(k.p95, 2), p99: round(k.p99, 2), found_pct: round(k.foundPct, 0) }]),
      ),
      sql_ms_by_kind: Object.fromEntries(Object.entries(sqlByKind).map(([k, v]) => [k, { p50: round(v.p50, 2), p95: round(v.p95, 2), max: round(v.max, 2) }])),
      server_cpu_pct: round(serverCpuPct, 0),
      peak_rss_mb: round(peakRssMb, 0),
      background_cpu_pct: round(backgroundCpuPct, 0),
      host_busy_pct_during: round(hostBusyPctDuring, 0),
      others_pct_during: round(othersPctDuring, 0),
      client_cpu_pct: round(clientCpuPct, 0),
      loadavg_before: loadBefore.map((x) => round(x, 2)),
      loadavg_after: loadAfter.map((x) => round(x, 2)),
      errors: all.errors,
      wikidata_missed: missed.length,
      commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim(),
      uncommitted_src_files: execFileSync('git', ['status', '--porcelain', 'src'], { encoding: 'utf8' }).split('\n').filter(Boolean).length,
    };
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = `${RESULTS_DIR}claimants-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
    writeFileSync(file, JSON.stringify({ ...result, explain, slowest_sql: slowestSql }, null, 2));
    log(`details: ${file}`);
    console.log(JSON.stringify(result));
    if (all.errors || missed.length) process.exitCode = 1;
  } finally {
    agent.destroy();
    await server.proc.stop();
  }
}

runMain(main);
