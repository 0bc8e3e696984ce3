// npm run bench [-- --quick] [-- --fresh] [-- --duration 20 --warmup 5 --connections 10 --slices 4]
// Our API vs PostGraphile 5 vs a one-statement SQL floor on the editors' dashboard query, plus our
// partner search and a write mix. See bench/README.md.
// npm run bench -- --smoke: no measurement; each server started once on a small throw-away
// database, its answer checked, stopped (see bench/README.md).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { connect, dropDatabase, ensureDatabase, ensurePgStatStatements, statementCounter } from './lib/db.mjs';
import { checkInvariants, loadMainData, tokenFor } from './lib/dataset.mjs';
import { combine, slice, warmUp } from './lib/load.mjs';
import { onCleanup, RESULTS_DIR, runMain, waitForQuietHost } from './lib/procs.mjs';
import { ADD_EVIDENCE, DASHBOARD, DASHBOARD_PGL, DESK_STATISTICS, SEARCH, statisticsWindows, SUBMIT_VERDICT } from './lib/queries.mjs';
import { formatTable, globalId, gql, log } from './lib/report.mjs';
import { ensureNode22, OURS_CHANGED_DEFAULTS, startFloor, startOurs, startPostGraphile } from './lib/servers.mjs';
import { SEARCH_QUERIES } from './lib/text.mjs';
import { measurePublishToDelivery } from './lib/webhook-latency.mjs';
import { compareWorkers } from './lib/workers.mjs';

const USAGE = `npm run bench [-- options]
  --quick            1k articles, 10k claims; 1 s warm-up + 3 s per target
  --smoke            measure nothing: start each server (ours, PostGraphile, the floor) once on a small
                     throw-away database, check its answer to the dashboard query, stop it, drop the database
  --fresh            rebuild the data set even if it is there
  --metrics-cost     only the metrics cost: our dashboard with METRICS_ENABLED=true (scraped every
                     5 s) and =false, interleaved in the same run; prints the throughput ratio
                     (the full run measures it too)
  --workers <n>      only the dashboard from 1 process against WORKERS=<n> (the same pool per
                     process), interleaved in the same run; req/s and server CPU per request
  --duration <s>     measured seconds per target (20; quick 3)
  --warmup <s>       warm-up seconds per target (5; quick 1)
  --connections <n>  autocannon connections (10)
  --slices <n>       interleaved slices per target (4; quick 1)
  --search-1m        also npm run bench:search -- --sizes 1000000 (database factcheck_search_1m, built
                     once, ~minutes), for search_p95_ms_1m in the JSON line
  --help             this text`;

const { values: opts } = parseArgs({
  options: {
    help: { type: 'boolean', short: 'h', default: false },
    smoke: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
    'metrics-cost': { type: 'boolean', default: false },
    workers: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string', default: '10' },
    slices: { type: 'string' },
    'stats-connections': { type: 'string', default: '1' },
    'search-1m': { type: 'boolean', default: false },
  },
});
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
const size = opts.smoke
  ? { articles: 100, claimsPerArticle: 10 }
  : opts.quick
    ? { articles: 1_000, claimsPerArticle: 10 }
    : { articles: 10_000, claimsPerArticle: 10 };
// The smoke test's database is its own, never reused, and dropped at the end.
const DB = opts.smoke ? `factcheck_bench_smoke_${process.pid}` : opts.quick ? 'factcheck_bench_quick' : 'factcheck_bench';
const WRITES_DB = `${DB}_writes`;
const run = {
  connections: Number(opts.connections),
  warmup: Number(opts.warmup ?? (opts.quick ? 1 : 5)),
  duration: Number(opts.duration ?? (opts.quick ? 3 : 20)),
  slices: Number(opts.slices ?? (opts.quick ? 1 : 4)),
  quietWait: opts.quick ? 0 : 60, // seconds to wait for other processes to calm down
};
const POOL = 10;
const MARKER = `factcheck-bench v1 articles=${size.articles} claims=${size.articles * size.claimsPerArticle} seed=42`;

const editor = { authorization: `Bearer ${tokenFor('EDITOR')}` };
const partner = { authorization: `Bearer ${tokenFor('PARTNER')}` };
const graphqlOk = (status, body) => status === 200 && !body.includes('"errors"');

async function post(url, body, headers = {}) {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const json = await res.json();
  if (res.status !== 200 || json.errors) throw new Error(`sample request to ${url} failed: ${res.status} ${JSON.stringify(json).slice(0, 500)}`);
  return json;
}

/**
 * Measures `targets` ({ label, start, db, body, headers, next, check }) against each other: all
 * servers up, each warmed up, then `slices` rounds in which every target runs alone for
 * duration/slices seconds, in rotating order, so that load from other processes on a shared
 * machine falls on all of them alike.
 */
async function compare(targets, { slices = run.slices, seconds = run.duration / slices } = {}) {
  const backgroundCpuPct = await waitForQuietHost(run.quietWait, log);
  const live = [];
  try {
    for (const t of targets) {
      const server = await t.start();
      const counter = statementCounter(t.db ?? DB);
      live.push({ ...t, server, counter, parts: [] });
    }
    for (const t of live) {
      t.sample = t.check(await post(t.server.url, t.body, t.headers));
      t.load = {
        url: t.server.url,
        connections: t.connections ?? run.connections,
        ok: graphqlOk,
        counter: t.counter,
        server: t.server.proc,
        next: t.next ?? (() => ({ headers: t.headers, body: t.body })),
      };
      await warmUp(t.load, run.warmup);
    }
    for (let s = 0; s < slices; s++) {
      for (let i = 0; i < live.length; i++) {
        const t = live[(i + s) % live.length];
        t.parts.push(await slice({ ...t.load, seconds }));
      }
    }
    return live.map((t) => {
      const { latencies, ...numbers } = combine(t.parts);
      const row = { target: t.label, ...numbers, peakRssMb: t.server.proc.peakRssMb(), backgroundCpuPct };
      log(`  ${t.label}: ${row.rps.toFixed(0)} req/s, p99 ${row.p99.toFixed(1)} ms, ${row.sqlPerRequest?.toFixed(2)} SQL/req, ${row.errors} errors`);
      if (row.errors) log(`  first failure: ${row.firstFailure}`);
      return { row, sample: t.sample, sliceRps: t.parts.map((p) => p.latencies.length / p.seconds) };
    });
  } finally {
    for (const t of live) {
      await t.counter.end();
      const stopped = await t.server.proc.stop(2_000);
      if (stopped.forced) log(`  note: ${t.server.proc.name} did not exit within ${stopped.ms} ms of SIGTERM and was killed`);
    }
  }
}

/** The three dashboard servers, each with the check of its sample answer (PostGraphile's and the floor's against ours). */
function dashboardTargets(node22) {
  let oursPage;
  return [
    {
      label: 'ours: dashboard',
      start: () => startOurs(DB, POOL),
      body: gql(DASHBOARD),
      headers: editor,
      check: (json) => {
        if (json.data.claims.edges.length !== 50) throw new Error('ours: expected 50 claims');
        return (oursPage = json.data.claims.edges.map((e) => e.node));
      },
    },
    {
      label: 'postgraphile: dashboard',
      start: () => startPostGraphile(node22, DB, POOL),
      body: gql(DASHBOARD_PGL),
      check: (json) => {
        // Same page, same order, same nested rows: the two answers are equivalent.
        const shape = (c) =>
          [
            c.quote,
            c.status,
            c.article?.title ?? c.articleByArticleId.title,
            (c.assignments ?? c.assignmentsByClaimIdList).length,
            (c.evidence ?? c.evidencesByClaimIdList).length,
            (c.verdicts ?? c.verdictsByClaimIdList).length,
            (c.factCheck ?? c.factCheckByClaimId)?.rating ?? null,
          ].join('|');
        if (json.data.allClaimsList.map(shape).join('\n') !== oursPage.map(shape).join('\n'))
          throw new Error('PostGraphile answered a different page than ours');
      },
    },
    {
      label: 'floor: one SQL statement',
      start: () => startFloor(DB, POOL),
      body: gql(DASHBOARD),
      headers: editor,
      check: (json) => {
        if (JSON.stringify(json.data.claims.edges.map((e) => e.node)) !== JSON.stringify(oursPage))
          throw new Error('the floor answered a different JSON than ours');
      },
    },
  ];
}

/** --smoke: every dashboard server starts, answers like ours, carries a second of light load and stops. */
async function smoke(node22) {
  for (const t of dashboardTargets(node22)) {
    const server = await t.start();
    try {
      t.check(await post(server.url, t.body, t.headers));
      if (t.label.startsWith('ours')) await checkMetricsPage(server.url);
      const load = await warmUp({ url: server.url, connections: 1, ok: graphqlOk, next: () => ({ headers: t.headers, body: t.body }) }, 1);
      if (load.errors) throw new Error(`${t.label}: ${load.errors} failed requests under autocannon, first: ${load.firstFailure}`);
      log(`  ${t.label}: started, answered the dashboard query as expected, served ${load.latencies.length} requests, stopped`);
    } finally {
      await server.proc.stop(2_000);
    }
  }
}

/** Ours serves Prometheus metrics by default: the dashboard query just sent is counted. */
async function checkMetricsPage(url) {
  const res = await fetch(`${url}/metrics`);
  const text = await res.text();
  if (res.status !== 200 || !/^graphql_operations_total\{[^}]*operation_type="query",outcome="ok"\} [1-9]/m.test(text)) {
    throw new Error(`ours: GET /metrics did not count the dashboard query (${res.status}): ${text.slice(0, 300)}`);
  }
}

/**
 * The cost of metrics: the same dashboard, METRICS_ENABLED=true (scraped every 5 s, as a
 * Prometheus would, more often than its usual 15 s) against =false, interleaved in one run.
 */
async function metricsCost() {
  log('metrics cost: the dashboard with METRICS_ENABLED=true (scraped every 5 s) and =false');
  const scrapers = [];
  const target = (enabled) => ({
    label: `ours: dashboard, metrics ${enabled ? 'on' : 'off'}`,
    start: async () => {
      const server = await startOurs(DB, POOL, { METRICS_ENABLED: String(enabled) });
      if (enabled) {
        const timer = setInterval(
          () =>
            void fetch(`${server.url}/metrics`)
              .then((r) => r.text())
              .catch(() => {}),
          5_000,
        );
        scrapers.push(timer);
      }
      return server;
    },
    body: gql(DASHBOARD),
    headers: editor,
    check: (json) => {
      if (json.data.claims.edges.length !== 50) throw new Error('ours: expected 50 claims');
    },
  });
  try {
    // Three times the slices of the other comparisons, of the same length: this VM's throughput
    // drifts by ±10 % between 8 s runs of one build, more than the 3 % this is to resolve.
    const [on, off] = await compare([target(true), target(false)], { slices: 3 * run.slices, seconds: run.duration / run.slices });
    const ratio = on.row.rps / off.row.rps;
    const cpuRatio = on.row.serverCpuPct / on.row.rps / (off.row.serverCpuPct / off.row.rps);
    // Adjacent slices of the two ran a few seconds apart: the median of their ratios resists drift.
    const paired = on.sliceRps.map((r, i) => r / off.sliceRps[i]).sort((a, b) => a - b);
    const pairedMedian = paired[Math.floor(paired.length / 2)];
    log(
      `  metrics cost: ${on.row.rps.toFixed(0)} vs ${off.row.rps.toFixed(0)} req/s, on/off = ${ratio.toFixed(3)} (${((1 - ratio) * 100).toFixed(1)} % fewer requests with metrics); median of ${paired.length} paired slices ${pairedMedian.toFixed(3)}; server CPU per request on/off ${cpuRatio.toFixed(3)}; p50 ${on.row.p50.toFixed(2)} vs ${off.row.p50.toFixed(2)} ms`,
    );
    return { rows: [on.row, off.row], ratio, pairedMedian, cpuRatio };
  } finally {
    scrapers.forEach(clearInterval);
  }
}

const metricsFigures = (cost) => ({
  metrics_rps_ratio: Math.round(cost.ratio * 1000) / 1000,
  metrics_rps_ratio_paired_median: Math.round(cost.pairedMedian * 1000) / 1000,
  metrics_cpu_per_request_ratio: Math.round(cost.cpuRatio * 1000) / 1000,
});

async function main() {
  const started = Date.now();
  log(
    opts.smoke
      ? `bench --smoke: each server once on ${DB}, measuring nothing`
      : `bench ${opts.quick ? '--quick' : '(full)'}: ${run.connections} connections, ${run.warmup} s warm-up + ${run.duration} s per target (in ${run.slices} interleaved slices)`,
  );
  const git = (...args) => execFileSync('git', args, { encoding: 'utf8' }).trim();
  const revision = {
    commit: git('rev-parse', '--short', 'HEAD'),
    uncommitted_src_files: git('status', '--porcelain', 'src').split('\n').filter(Boolean).length,
  };
  const node22 = ensureNode22();
  // Not for the smoke test: it may restart the cluster, which others on the machine may be using.
  if (!opts.smoke) await ensurePgStatStatements(log);
  if (opts.smoke) onCleanup(() => dropDatabase(DB));
  await ensureDatabase(DB, MARKER, {
    fresh: opts.fresh,
    log,
    build: async (sql) => {
      await loadMainData(sql, { ...size, seed: 42 }, log);
      await checkInvariants(sql);
    },
  });
  if (opts.smoke) {
    await smoke(node22);
    log(`smoke: ok (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    return;
  }
  if (opts['metrics-cost']) {
    const cost = await metricsCost();
    console.log(`\n${tableNotes()}\n${formatTable(cost.rows)}\n`);
    console.log(JSON.stringify({ ...revision, ...metricsFigures(cost) }));
    return;
  }

  if (opts.workers) {
    const { body, headers, check } = dashboardTargets(node22)[0];
    const { rows, figures } = await compareWorkers({ compare, startOurs, db: DB, pool: POOL, workers: Number(opts.workers), body, headers, check, log });
    console.log(`\n${formatTable(rows)}\n`);
    console.log(JSON.stringify({ ...revision, ...figures }));
    return;
  }

  log('dashboard: claims(first: 50) with article, assignments+reviewer, evidence, verdicts+reviewer, factCheck (as EDITOR)');
  const dashboard = await compare(dashboardTargets(node22));
  const rows = dashboard.map((d) => d.row);

  log(`partner search: factChecks(filter: {search}, first: 20), ${SEARCH_QUERIES.length} rotating queries (as PARTNER)`);
  let q = 0;
  const [search] = await compare(
    [
      {
        label: 'ours: partner search',
        start: () => startOurs(DB, POOL),
        body: gql(SEARCH, { q: SEARCH_QUERIES[0] }),
        headers: partner,
        next: () => ({ headers: partner, body: gql(SEARCH, { q: SEARCH_QUERIES[q++ % SEARCH_QUERIES.length] }) }),
        check: (json) => json.data.factChecks.edges,
      },
    ],
    1,
  );
  rows.push(search.row);

  // Latency, not throughput: an editor opens the statistics now and then, so one connection by default.
  const windows = statisticsWindows();
  log(
    `desk statistics: deskStatistics(from, to), every figure, ${windows.length} rotating 30-day windows of the data set's year (as EDITOR, ${opts['stats-connections']} connection(s))`,
  );
  let w = 0;
  const [statistics] = await compare(
    [
      {
        label: 'ours: desk statistics',
        start: () => startOurs(DB, POOL),
        body: gql(DESK_STATISTICS, windows[0]),
        headers: editor,
        connections: Number(opts['stats-connections']),
        next: () => ({ headers: editor, body: gql(DESK_STATISTICS, windows[w++ % windows.length]) }),
        check: (json) => {
          if (!json.data.deskStatistics.claimsCreated) throw new Error('desk statistics: a window of the data set counted no claims');
          return json.data.deskStatistics;
        },
      },
    ],
    1,
  );
  rows.push(statistics.row);

  const metrics = await metricsCost();
  rows.push(...metrics.rows);

  log('write mix: submitVerdict (REVIEWER with an ACTIVE assignment) and addEvidence (EDITOR), alternating, on a copy of the data');
  rows.push(await writeMix());

  const search1m = opts['search-1m'] ? searchAtAMillion() : {};
  const result = { ...revision, ...summarize(rows, Date.now() - started), ...metricsFigures(metrics), ...search1m };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = `${RESULTS_DIR}bench-${opts.quick ? 'quick-' : ''}${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify({ ...result, rows }, null, 2));
  console.log(`\n${tableNotes()}\n${formatTable(rows)}\n`);
  log(`details: ${file}`);
  console.log(JSON.stringify(result));
}

/** Above the table: how our server ran (as it ships, but for what the bench changes), and what the floor is. */
function tableNotes() {
  const changed = Object.entries(OURS_CHANGED_DEFAULTS).map(([k, v]) => `${k}=${v}`);
  return [
    `ours: dist/ as it ships (NODE_ENV=production, LOG_LEVEL=info: a line per request, metrics on, a pool of ${POOL}); changed: ${changed.join(', ')} (no request refused);`,
    '  "metrics off" METRICS_ENABLED=false; the webhook part WEBHOOK_ALLOW_PRIVATE_URLS=true (its receiver is on 127.0.0.1).',
    'floor: one hand-written SQL statement, all the JSON work done by Postgres, behind bare node:http: a lower bound for',
    "  Node's CPU per dashboard request (CPU ms/req), not a throughput ceiling. CPU ms/req = server CPU % / 100 × 1000 / req/s.",
  ].join('\n');
}

/** --search-1m: the partner search at a million fact checks, from bench:search itself (its JSON line). */
function searchAtAMillion() {
  log('partner search at 1M published fact checks: npm run bench:search -- --sizes 1000000');
  const out = execFileSync(process.execPath, [new URL('search.mjs', import.meta.url).pathname, '--sizes', '1000000'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const figures = JSON.parse(out.trim().split('\n').at(-1));
  return { search_p95_ms_1m: figures.search_p95_ms_1m, search_p50_ms_1m: figures.search_p50_ms_1m };
}

/** Writes change data, so they run on a throw-away copy: every bench run sees the same data set. */
async function writeMix() {
  const admin = connect('postgres');
  const dropCopy = () => admin.unsafe(`drop database if exists "${WRITES_DB}" with (force)`);
  onCleanup(async () => {
    await dropCopy();
    await admin.end();
  });
  await dropCopy();
  // A template must have no sessions; the last server's may take a moment to end.
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.unsafe(`create database "${WRITES_DB}" template "${DB}" strategy file_copy`);
      break;
    } catch (error) {
      if (attempt === 20 || !/being accessed by other users/.test(error.message)) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  const sql = connect(WRITES_DB);
  // Reviewers' ACTIVE assignments on claims a verdict may be submitted to, in a scattered order so
  // that concurrent requests rarely queue on one claim's row lock.
  const pairs = await sql`
    select a.claim_id, u.email from assignments a join claims c on c.id = a.claim_id join users u on u.id = a.reviewer_id
    where a.state = 'ACTIVE' and c.status in ('IN_REVIEW', 'DISPUTED', 'REVIEWED') order by md5(a.id::text)`;
  const open = await sql`select id from claims where status in ('OPEN', 'IN_REVIEW', 'DISPUTED', 'REVIEWED') order by md5(id::text) limit 20000`;
  await sql.end();
  const reviewerToken = (email) => tokenFor('REVIEWER', Number(/^reviewer(\d+)@/.exec(email)[1]));
  let n = 0;
  const next = () => {
    const i = n++;
    if (i % 2 === 0) {
      const p = pairs[(i / 2) % pairs.length]; // wraps around only if the data set is too small for the run
      return {
        headers: { authorization: `Bearer ${reviewerToken(p.email)}` },
        body: gql(SUBMIT_VERDICT, {
          input: { claimId: globalId('Claim', p.claim_id), rating: 'MISLEADING', confidence: 'MEDIUM', rationale: 'Bench: the cited figures omit context.' },
        }),
      };
    }
    const claimId = open[((i - 1) / 2) % open.length].id;
    return {
      headers: editor,
      body: gql(ADD_EVIDENCE, {
        input: {
          claimId: globalId('Claim', claimId),
          kind: 'DATASET',
          title: 'Bench: official statistics',
          url: 'https://data.example.org/bench',
          stance: 'CONTEXT',
        },
      }),
    };
  };
  const first = next();
  const [{ row }] = await compare(
    [
      {
        label: 'ours: write mix',
        start: () => startOurs(WRITES_DB, POOL),
        db: WRITES_DB,
        body: first.body,
        headers: first.headers,
        next,
        check: () => null,
      },
    ],
    1,
  );
  row.availableVerdictPairs = pairs.length;
  if (n / 2 > pairs.length) log(`  note: the run used ${Math.floor(n / 2)} verdicts but only ${pairs.length} assignments were open; the rest failed`);
  log('webhooks: publishFactCheck commit → delivery to a receiver on 127.0.0.1, idle and under the write mix');
  row.webhooks = await measurePublishToDelivery(WRITES_DB, { editor, next, connections: run.connections, seconds: run.duration / 2 });
  await dropCopy();
  return row;
}

function summarize(rows, ms) {
  const by = (prefix) => rows.find((r) => r.target.startsWith(prefix));
  const [ours, pgl, floor, search, writes, stats] = [
    'ours: dashboard',
    'postgraphile',
    'floor',
    'ours: partner search',
    'ours: write mix',
    'ours: desk statistics',
  ].map(by);
  const r1 = (x) => (x == null ? null : Math.round(x * 10) / 10);
  const r2 = (x) => (x == null ? null : Math.round(x * 100) / 100);
  return {
    mode: opts.quick ? 'quick' : 'full',
    max_background_cpu_pct: Math.round(Math.max(...rows.map((r) => r.backgroundCpuPct))),
    claims: size.articles * size.claimsPerArticle,
    connections: run.connections,
    duration_s: run.duration,
    ours_changed_defaults: OURS_CHANGED_DEFAULTS,
    rps_ours: r1(ours.rps),
    rps_postgraphile: r1(pgl.rps),
    // Node's CPU per dashboard request; the floor's is a lower bound (Postgres builds all the JSON), its req/s no ceiling.
    cpu_ms_per_request_ours: r2(ours.cpuMsPerRequest),
    cpu_ms_per_request_postgraphile: r2(pgl.cpuMsPerRequest),
    cpu_ms_per_request_floor: r2(floor.cpuMsPerRequest),
    p50_ms_ours: r2(ours.p50),
    p50_ms_postgraphile: r2(pgl.p50),
    p50_ms_floor: r2(floor.p50),
    p99_ms_ours: r2(ours.p99),
    p99_ms_postgraphile: r2(pgl.p99),
    p99_ms_floor: r2(floor.p99),
    sql_per_request_ours: r2(ours.sqlPerRequest),
    sql_per_request_postgraphile: r2(pgl.sqlPerRequest),
    sql_per_request_floor: r2(floor.sqlPerRequest),
    peak_rss_mb_ours: r1(ours.peakRssMb),
    peak_rss_mb_postgraphile: r1(pgl.peakRssMb),
    peak_rss_mb_floor: r1(floor.peakRssMb),
    search_rps: r1(search.rps),
    search_p50_ms: r2(search.p50),
    search_p95_ms: r2(search.p95),
    search_p99_ms: r2(search.p99),
    sql_per_request_search: r2(search.sqlPerRequest),
    writes_rps: r1(writes.rps),
    writes_p50_ms: r2(writes.p50),
    writes_p99_ms: r2(writes.p99),
    writes_errors: writes.errors,
    sql_per_request_writes: r2(writes.sqlPerRequest),
    stats_connections: Number(opts['stats-connections']),
    stats_rps: r1(stats.rps),
    stats_p50_ms: r2(stats.p50),
    stats_p95_ms: r2(stats.p95),
    stats_p99_ms: r2(stats.p99),
    sql_per_request_stats: r2(stats.sqlPerRequest),
    publish_p50_ms: writes.webhooks?.idle.publishP50, // publishFactCheck's round trip, one client, idle
    publish_p99_ms: writes.webhooks?.idle.publishP99,
    webhook_p50_ms_idle: writes.webhooks?.idle.p50,
    webhook_p99_ms_idle: writes.webhooks?.idle.p99,
    webhook_p50_ms_write_mix: writes.webhooks?.underWriteMix.p50,
    webhook_p99_ms_write_mix: writes.webhooks?.underWriteMix.p99,
    errors: rows.reduce((sum, r) => sum + r.errors, 0),
    wall_s: Math.round(ms / 1000),
  };
}

runMain(main);
