// npm run soak [-- --minutes 20] [-- --rate 1]
// Soak (issue 32): our built server (dist/, production mode, log level info, metrics on) on a fresh
// Postgres database of its own, under a steady mixed load for --minutes: the editors' dashboard,
// partner searches, the write mix (a claim's whole round: ingest, create, assign, evidence, verdict,
// publish), a webhook endpoint on a local receiver subscribed to every event, and one CSV export
// stream a minute. Every window (a minute) it prints the server's RSS, requests, errors, p99 per
// kind, webhook deliveries, database connections and open handles; at the end it compares handles
// and connections with the start and exits 1 on any error, RSS growth of 10 % or more after the
// warm-up window (in runs of 4 minutes and more), or a handle or connection the load left behind.
// See bench/README.md ("Soak").
// Only Node's own modules and the project's install (postgres, dist/): no bench package needed.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { checkInvariants, loadMainData, tokenFor } from './lib/dataset.mjs';
import { connect, dbUrl, dropDatabase, ensureDatabase, PG_BASE } from './lib/db.mjs';
import { cleanup, freePort, memoryMbOf, onCleanup, startProcess } from './lib/procs.mjs';
import { ADD_EVIDENCE, CREATE_WEBHOOK_ENDPOINT, DASHBOARD, SEARCH, SUBMIT_VERDICT } from './lib/queries.mjs';
import { makeRandom } from './lib/random.mjs';
import { globalId, gql, log } from './lib/report.mjs';
import { ascending, median, percentile, round } from './lib/stats.mjs';
import { pickTopic, SEARCH_QUERIES, sentence } from './lib/text.mjs';

const USAGE = `npm run soak [-- options]
  --minutes <n>         how long the load runs (20)
  --warmup <min>        the first <min> minutes are the warm-up, left out of the RSS growth (one window:
                        1 minute); see bench/README.md on how long this server's heap takes to settle
  --rate <x>            multiplies the three rates below (1)
  --dashboard-rate <n>  dashboard queries a second, as editors (4)
  --search-rate <n>     partner searches a second (8)
  --write-rate <n>      write rounds a second (1), 6 mutations each: ingestArticle, createClaim,
                        assignClaim, addEvidence, submitVerdict, publishFactCheck
  --export-every <s>    one GET /exports/fact-checks.csv stream every <s> seconds (60)
  --window <s>          report every <s> seconds (60; 15 for runs under 4 minutes, so that a
                        1-minute run has a warm-up window and three after it)
  --articles <n>        data set: <n> articles, 10 claims each (1000, the bench's quick size)
  --help                this text
Exit status 1 if any request or delivery failed, RSS grew by 10 % or more after the warm-up (the
middle of the first three windows after it against the middle of the last three; runs of 4 minutes
and more, shorter ones only report it), or handles or connections at the end break the rule of
bench/README.md.`;

const { values: opts } = parseArgs({
  options: {
    help: { type: 'boolean', short: 'h', default: false },
    minutes: { type: 'string', default: '20' },
    rate: { type: 'string', default: '1' },
    'dashboard-rate': { type: 'string', default: '4' },
    'search-rate': { type: 'string', default: '8' },
    'write-rate': { type: 'string', default: '1' },
    'export-every': { type: 'string', default: '60' },
    window: { type: 'string' },
    warmup: { type: 'string' },
    articles: { type: 'string', default: '1000' },
  },
});
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}

const number = (name, min = 0) => {
  const value = Number(opts[name]);
  if (!Number.isFinite(value) || value < min) {
    console.error(`soak: --${name} must be a number ≥ ${min} (got ${opts[name]})\n\n${USAGE}`);
    process.exit(2);
  }
  return value;
};
const MINUTES = number('minutes', 0.25);
const FACTOR = number('rate');
const RATES = { dashboard: FACTOR * number('dashboard-rate'), search: FACTOR * number('search-rate'), write: FACTOR * number('write-rate') };
const EXPORT_EVERY_S = number('export-every', 1);
const WINDOW_S = opts.window ? number('window', 1) : MINUTES >= 4 ? 60 : MINUTES * 15;
const WINDOWS = Math.max(2, Math.round((MINUTES * 60) / WINDOW_S));
const WARMUP_WINDOWS = opts.warmup ? Math.max(1, Math.ceil((number('warmup') * 60) / WINDOW_S)) : 1;
if (WARMUP_WINDOWS > WINDOWS - 1) {
  console.error(`soak: --warmup ${opts.warmup} leaves no window after the warm-up in ${MINUTES} minutes`);
  process.exit(2);
}
const ARTICLES = Math.round(number('articles', 10));

const DB = `factcheck_soak_${process.pid}`;
const POOL = 10; // the server's default DATABASE_POOL_SIZE, set explicitly so that the environment cannot change it
const RSS_SAMPLE_MS = 1_000; // a window's RSS is the median of these samples: GC's sawtooth moves a single one by 20 %
const SCRAPE_MS = 15_000; // a Prometheus' usual interval
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_GROWTH = 0.1;
// A run with windows under a minute is all warm-up (the pool fills, V8 compiles and sizes its heap:
// RSS rises and falls by 20 % within seconds), so the growth is reported but only enforced with
// windows of a minute or more and at least two of them after the warm-up (--minutes 4 and longer).
const GROWTH_ENFORCED = WINDOW_S >= 60 && WINDOWS - WARMUP_WINDOWS >= 2;
/** At most this many requests of a kind in flight (write: rounds); a tick past it is shed and counted. */
const CAP = { dashboard: 8, search: 8, write: 8, export: 1 };
const KINDS = ['dashboard', 'search', 'write', 'export', 'metrics'];
const PARTNERS = 5; // lib/dataset.mjs: 10 editors, 50 reviewers, 5 partners
const EDITORS = 10;
const REVIEWERS = 50;

// The server's default budgets (src/config.ts ACCESS_DEFAULTS): partner searches rotate over the five
// partner tokens; past ~500 a minute a token, the budget is raised (and the run says so).
const partnerPerMinute = (RATES.search * 60) / PARTNERS + 60 / EXPORT_EVERY_S;
const RAISED_PARTNER_BUDGET = partnerPerMinute > 500 ? String(Math.ceil(partnerPerMinute * 2)) : null;

/** The nearest-rank percentile of `values`, in any order (NaN when there are none: round() reports null). */
const pct = (values, p) => percentile(ascending(values), p);
const mib = (bytes) => bytes / 1024 / 1024;
/** A deadline for Promise.race that does not keep the process alive once the race is won. */
const deadline = (ms) => new Promise((r) => setTimeout(r, ms).unref());

// ---------------------------------------------------------------------------------------------
// The client: node:http with one keep-alive agent, destroyed at the end so that the server's
// sockets of the load close before the handles are counted.

let agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
let base = '';

/** One request; never throws. `onData` sees the body's chunks instead of collecting them. */
function request(method, path, { headers = {}, body, onData, fresh = false } = {}) {
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (result) => resolve({ ...result, ms: performance.now() - started });
    const req = http.request(`${base}${path}`, {
      method,
      // A fresh connection (Connection: close) for scrapes, so that they leave no socket behind.
      agent: fresh ? false : agent,
      headers: { ...headers, ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}) },
      timeout: REQUEST_TIMEOUT_MS,
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
    req.on('error', (error) => done({ status: null, error: error.message }));
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (chunk) => (onData ? onData(chunk) : chunks.push(chunk)));
      res.on('error', (error) => done({ status: res.statusCode, error: error.message }));
      res.on('end', () => done({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.end(body);
  });
}

// ---------------------------------------------------------------------------------------------
// Figures, per window.

const newWindow = (index) => ({
  index,
  started: performance.now(),
  count: Object.fromEntries(KINDS.map((k) => [k, 0])),
  errors: Object.fromEntries(KINDS.map((k) => [k, 0])),
  latencies: Object.fromEntries(KINDS.map((k) => [k, []])),
  shed: 0,
  rss: [], // MiB
  webhooks: 0,
  webhookLatencies: [],
});
let current = newWindow(0);
const windows = [];
const failures = []; // the first few failed requests, for the report
let totalErrors = 0;
const byMutation = {}; // mutation → latencies over the whole run

function record(kind, ms, ok, detail) {
  current.count[kind]++;
  current.latencies[kind].push(ms);
  if (!ok) {
    current.errors[kind]++;
    totalErrors++;
    if (failures.length < 10) failures.push(`${kind}: ${detail}`);
    if (failures.length <= 3 && !interrupted) log(`  error (${kind}): ${detail}`);
  }
}

/**
 * A GraphQL request of `kind`; resolves to its data, or null (counted as an error) on any failure:
 * no answer, a status other than 200, an error in the answer, or what `check(data)` says is wrong.
 */
async function graphql(kind, document, variables, token, label, check = () => null) {
  const res = await request('POST', '/graphql', { headers: { authorization: `Bearer ${token}` }, body: gql(document, variables) });
  let json = null;
  try {
    json = res.text ? JSON.parse(res.text) : null;
  } catch {}
  const wrong = res.status === 200 && json?.data && !json.errors ? check(json.data) : `${res.status ?? res.error} ${(res.text ?? '').slice(0, 300)}`;
  const ok = !wrong;
  record(kind, res.ms, ok, ok ? null : `${label ?? kind} → ${wrong}`);
  if (label && ok) (byMutation[label] ??= []).push(res.ms);
  return ok ? json.data : null;
}

// ---------------------------------------------------------------------------------------------
// The load.

const editorToken = (i) => tokenFor('EDITOR', i % EDITORS);
const partnerToken = (i) => tokenFor('PARTNER', i % PARTNERS);
let dashboards = 0;
let searches = 0;

const dashboard = () =>
  graphql('dashboard', DASHBOARD, undefined, editorToken(dashboards++), undefined, (data) =>
    data.claims.edges.length === 50 ? null : `expected 50 claims, got ${data.claims.edges.length}`,
  );
const search = () => {
  const n = searches++;
  return graphql('search', SEARCH, { q: SEARCH_QUERIES[n % SEARCH_QUERIES.length] }, partnerToken(n));
};

const INGEST = 'mutation($i: IngestArticleInput!) { ingestArticle(input: $i) { created article { id } } }';
const CREATE = 'mutation($i: CreateClaimInput!) { createClaim(input: $i) { claim { id status version } } }';
const ASSIGN = 'mutation($i: AssignClaimInput!) { assignClaim(input: $i) { claim { id status version } assignments { id state } } }';
const PUBLISH = 'mutation($i: PublishFactCheckInput!) { publishFactCheck(input: $i) { claim { id status version } factCheck { id rating } } }';
const ALL_EVENTS = ['ASSIGNMENT_CREATED', 'CLAIM_STATUS_CHANGED', 'FACT_CHECK_CORRECTED', 'FACT_CHECK_PUBLISHED', 'FACT_CHECK_RETRACTED', 'FACT_CHECK_UPDATED'];
const RATINGS = ['TRUE', 'MOSTLY_TRUE', 'MIXED', 'MISLEADING', 'MOSTLY_FALSE', 'FALSE', 'UNPROVEN'];

const random = makeRandom(32);
let rounds = 0;
let published = 0;
let reviewerIds = [];

/**
 * The write mix: one claim's whole round, each step a request of its own (a new article, so that
 * the mix never runs out of claims to work on; its first sentence is the quote).
 */
async function writeRound() {
  const n = rounds++;
  const editor = editorToken(n);
  const r = n % REVIEWERS;
  const reviewer = tokenFor('REVIEWER', r);
  const topic = pickTopic(random);
  const quote = `In soak round ${n}, ${sentence(random, topic).replace(/^\S+/, (w) => w.toLowerCase())}`;
  const body = [quote, sentence(random, topic), sentence(random, topic)].join(' ');
  const ingested = await graphql(
    'write',
    INGEST,
    { i: { url: `https://news.example.com/soak/${process.pid}/${n}`, title: `Soak ${n}`, body, publisher: 'Soak Wire' } },
    editor,
    'ingestArticle',
  );
  if (!ingested) return;
  const created = await graphql('write', CREATE, { i: { articleId: ingested.ingestArticle.article.id, quote, requiredVerdicts: 1 } }, editor, 'createClaim');
  if (!created) return;
  const claimId = created.createClaim.claim.id;
  if (!(await graphql('write', ASSIGN, { i: { claimId, reviewerIds: [reviewerIds[r]] } }, editor, 'assignClaim'))) return;
  const evidence = await graphql(
    'write',
    ADD_EVIDENCE,
    { input: { claimId, kind: 'DATASET', title: 'Soak: official statistics', url: 'https://data.example.org/soak', stance: 'CONTEXT' } },
    reviewer,
    'addEvidence',
  );
  if (!evidence) return;
  const rating = RATINGS[n % RATINGS.length];
  const verdict = await graphql(
    'write',
    SUBMIT_VERDICT,
    { input: { claimId, rating, confidence: 'MEDIUM', rationale: 'Soak: the cited figures omit context.', evidenceIds: [evidence.addEvidence.evidence.id] } },
    reviewer,
    'submitVerdict',
  );
  if (!verdict) return;
  if (await graphql('write', PUBLISH, { i: { claimId, rating, summary: `Soak round ${n}: ${sentence(random, topic)}` } }, editor, 'publishFactCheck'))
    published++;
}

let exportCount = 0;
async function exportCsv() {
  let bytes = 0;
  let lines = 0;
  let tail = '';
  const res = await request('GET', '/exports/fact-checks.csv', {
    headers: { authorization: `Bearer ${partnerToken(exportCount++)}` },
    onData: (chunk) => {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      tail = chunk.subarray(-2).toString('latin1');
    },
  });
  // The bench's texts hold no line breaks: one line a row, the header first, CRLF after the last.
  const ok = res.status === 200 && !res.error && lines > 1 && tail === '\r\n';
  record('export', res.ms, ok, ok ? null : `GET /exports/fact-checks.csv → ${res.status ?? ''} ${res.error ?? ''} (${bytes} bytes, ${lines} lines)`);
  if (ok) lastExport = { rows: lines - 1, mb: bytes / 1e6, seconds: res.ms / 1000 };
}
let lastExport = null;

/** GET /metrics: the figures the soak reads from prom-client's default metrics. */
async function scrape() {
  const res = await request('GET', '/metrics', { fresh: true });
  const ok = res.status === 200;
  record('metrics', res.ms, ok, ok ? null : `GET /metrics → ${res.status ?? res.error}`);
  if (!ok) return null;
  const value = (name) => {
    const m = new RegExp(`^${name} (\\S+)`, 'm').exec(res.text);
    return m ? Number(m[1]) : null;
  };
  const byType = {};
  for (const m of res.text.matchAll(/^nodejs_active_handles\{type="([^"]+)"\} (\S+)/gm)) byType[m[1]] = Number(m[2]);
  return {
    handles: value('nodejs_active_handles_total'),
    handlesByType: byType,
    heapUsed: value('nodejs_heap_size_used_bytes'),
    rss: value('process_resident_memory_bytes'),
  };
}

// ---------------------------------------------------------------------------------------------
// The scheduler: a fixed rate per kind, not as fast as the server can go.

const inFlight = new Set();
const active = Object.fromEntries(KINDS.map((k) => [k, 0]));
const timers = new Set();
let stopping = false;
let interrupted = false;
// Ctrl-C or SIGTERM: lib/procs.mjs stops the server and drops the database; no new request starts,
// and the ones the stopping server cuts off are not reported.
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    interrupted = stopping = true;
    timers.forEach(clearTimeout);
  });

function launch(kind, run) {
  if (stopping) return;
  if (active[kind] >= CAP[kind]) {
    current.shed++;
    return;
  }
  active[kind]++;
  const p = run()
    .catch((error) => record(kind, 0, false, `the soak itself: ${error.stack ?? error}`))
    .finally(() => {
      active[kind]--;
      inFlight.delete(p);
    });
  inFlight.add(p);
}

/** Calls `fn` every `ms` from now, drift-free (a late tick does not move the later ones). */
function every(ms, fn, firstAfterMs = ms) {
  const t0 = performance.now();
  let k = 0;
  let timer;
  const tick = () => {
    timers.delete(timer);
    if (stopping) return;
    fn();
    k++;
    timers.add((timer = setTimeout(tick, Math.max(0, t0 + firstAfterMs + k * ms - performance.now()))));
  };
  timers.add((timer = setTimeout(tick, firstAfterMs)));
}

// ---------------------------------------------------------------------------------------------
// Webhook receiver: answers 200 at once, counts deliveries by type, and their latency from the
// event's timestamp (written in the transaction of the change) to arrival.

const deliveriesByType = {};
let deliveries = 0;
function startReceiver() {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      try {
        const event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        deliveriesByType[event.type] = (deliveriesByType[event.type] ?? 0) + 1;
        current.webhookLatencies.push(at - Date.parse(event.timestamp));
      } catch {
        deliveriesByType['(unparsable)'] = (deliveriesByType['(unparsable)'] ?? 0) + 1;
      }
      deliveries++;
      current.webhooks++;
      res.end('ok');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}/hooks/soak`,
        stop: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
      }),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Handles and connections.

/** The server's connections to the soak's database, from pg_stat_activity (the soak's own are in another database). */
async function connections(admin) {
  const rows = await admin`
    select application_name as name, coalesce(state, '') as state, count(*)::int as n
    from pg_stat_activity where datname = ${DB} and backend_type = 'client backend'
    group by 1, 2 order by 1, 2`;
  const total = rows.reduce((s, r) => s + r.n, 0);
  const listen = rows.filter((r) => r.name.startsWith('factcheck-api-listen:')).reduce((s, r) => s + r.n, 0);
  const pool = rows.filter((r) => r.name === 'factcheck-api').reduce((s, r) => s + r.n, 0);
  const inTransaction = rows.filter((r) => r.state.startsWith('idle in transaction')).reduce((s, r) => s + r.n, 0);
  return { total, pool, listen, other: total - pool - listen, inTransaction, rows };
}

/** Handles and connections once the load has let go: a few tries, as an in-flight poll of the dispatcher may hold a moment. */
async function quietSnapshot(admin) {
  let snap;
  for (let attempt = 0; attempt < 5; attempt++) {
    await sleep(attempt ? 1_000 : 500);
    const conns = await connections(admin);
    const metrics = await scrape();
    snap = { conns, metrics, rss: memoryMbOf(serverPid, 'VmRSS') };
    if (!conns.inTransaction && conns.rows.every((r) => r.state === 'idle')) break;
  }
  return snap;
}

const describeConns = (c) =>
  `${c.total} (pool ${c.pool}, LISTEN ${c.listen}${c.other ? `, other ${c.other}` : ''}${c.inTransaction ? `, ${c.inTransaction} in a transaction` : ''})`;
const describeHandles = (m) =>
  `${m.handles} (${Object.entries(m.handlesByType)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ')})`;

/**
 * The rule for the end against the start (bench/README.md): the LISTEN connections are the same
 * number; every other connection is the pool's (application_name factcheck-api), at most its size,
 * and none is left in a transaction; postgres.js keeps a pool connection open once opened (no idle
 * timeout; it retires one after 30–60 minutes), so the pool may end larger than it started, and
 * each connection it grew by is one socket more among the handles: handles at the end = handles at
 * the start + (connections at the end − connections at the start), and every type of handle other
 * than sockets the same number.
 */
function compareEnds(start, end) {
  const problems = [];
  if (end.conns.listen !== start.conns.listen) problems.push(`LISTEN connections ${start.conns.listen} at the start, ${end.conns.listen} at the end`);
  if (end.conns.other) problems.push(`${end.conns.other} connection(s) neither the pool's nor LISTEN: ${JSON.stringify(end.conns.rows)}`);
  if (end.conns.pool > POOL) problems.push(`${end.conns.pool} pool connections, more than the pool's ${POOL}`);
  if (end.conns.inTransaction) problems.push(`${end.conns.inTransaction} connection(s) left in a transaction`);
  const grown = end.conns.total - start.conns.total;
  const expected = start.metrics.handles + grown;
  if (end.metrics.handles !== expected)
    problems.push(`handles: ${start.metrics.handles} at the start + ${grown} new connection(s) = ${expected} expected, ${end.metrics.handles} at the end`);
  const types = new Set([...Object.keys(start.metrics.handlesByType), ...Object.keys(end.metrics.handlesByType)]);
  for (const t of types) {
    if (t === 'Socket') continue;
    const [a, b] = [start.metrics.handlesByType[t] ?? 0, end.metrics.handlesByType[t] ?? 0];
    if (a !== b) problems.push(`${t} handles: ${a} at the start, ${b} at the end`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------

let serverPid = 0;
const COLUMNS = [
  ['window', 8],
  ['RSS MiB', 8],
  ['min–max', 9],
  ['heap MiB', 8],
  ['requests', 8],
  ['errors', 6],
  ['shed', 4],
  ['p99 dash', 8],
  ['p99 search', 10],
  ['p99 write', 9],
  ['export s', 8],
  ['webhooks', 8],
  ['hook p99', 8],
  ['db conns', 8],
  ['handles', 7],
  ['load', 5],
];
const row = (cells) => cells.map((c, i) => String(c ?? '-').padStart(COLUMNS[i][1])).join('  ');

async function closeWindow(admin) {
  const w = current;
  const elapsed = (performance.now() - w.started) / 1000;
  current = newWindow(w.index + 1);
  w.rss.push(memoryMbOf(serverPid, 'VmRSS'));
  const metrics = await scrape();
  const conns = await connections(admin);
  const p99 = (k) => round(pct(w.latencies[k], 99));
  const summary = {
    window: w.index + 1,
    seconds: round(elapsed),
    rss_mib: round(pct(w.rss, 50)),
    rss_min_mib: round(Math.min(...w.rss)),
    rss_max_mib: round(Math.max(...w.rss)),
    heap_used_mib: metrics ? round(mib(metrics.heapUsed)) : null,
    requests: KINDS.reduce((s, k) => s + w.count[k], 0),
    errors: KINDS.reduce((s, k) => s + w.errors[k], 0),
    shed: w.shed,
    count: w.count,
    p99_ms: Object.fromEntries(KINDS.map((k) => [k, p99(k)])),
    export_s: w.latencies.export.length ? round(Math.max(...w.latencies.export) / 1000, 2) : null,
    webhooks: w.webhooks,
    webhook_p99_ms: round(pct(w.webhookLatencies, 99), 0),
    db_connections: conns.total,
    handles: metrics?.handles ?? null,
    load_1m: round(loadavg()[0], 2),
  };
  windows.push(summary);
  const label = WINDOW_S === 60 ? `min ${summary.window}` : `${round((summary.window * WINDOW_S) / 60, 2)} min`;
  console.log(
    row([
      `${label}${summary.window <= WARMUP_WINDOWS ? '*' : ''}`,
      summary.rss_mib,
      `${Math.round(summary.rss_min_mib)}–${Math.round(summary.rss_max_mib)}`,
      summary.heap_used_mib,
      summary.requests,
      summary.errors,
      summary.shed,
      summary.p99_ms.dashboard,
      summary.p99_ms.search,
      summary.p99_ms.write,
      summary.export_s,
      summary.webhooks,
      summary.webhook_p99_ms,
      summary.db_connections,
      summary.handles,
      summary.load_1m,
    ]),
  );
}

async function main() {
  const started = Date.now();
  const git = (...args) => {
    try {
      return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  // What ran: the commit, marked when src/ or bench/ differ from it (the soak runs the working tree).
  const head = git('rev-parse', '--short', 'HEAD');
  const commit = head && git('status', '--porcelain', 'src', 'bench') ? `${head}+uncommitted` : head;
  log(
    `soak: ${MINUTES} min in ${WINDOWS} windows of ${WINDOW_S} s (the first ${WARMUP_WINDOWS} the warm-up); dashboard ${RATES.dashboard}/s, partner search ${RATES.search}/s, ` +
      `write rounds ${RATES.write}/s (6 mutations each), a CSV export every ${EXPORT_EVERY_S} s, /metrics every ${SCRAPE_MS / 1000} s; database ${DB} at ${PG_BASE}`,
  );

  onCleanup(() => dropDatabase(DB));
  let people;
  await ensureDatabase(DB, `factcheck-soak ${process.pid}`, {
    fresh: true,
    log,
    build: async (sql) => {
      people = await loadMainData(sql, { articles: ARTICLES, claimsPerArticle: 10, seed: 42 }, log);
      await checkInvariants(sql);
    },
  });
  reviewerIds = people.reviewers.map((u) => globalId('User', u.id));

  const receiver = await startReceiver();
  onCleanup(receiver.stop);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env = {
    NODE_ENV: 'production',
    SEED: 'none',
    DATABASE_URL: dbUrl(DB),
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_POOL_SIZE: String(POOL),
    LOG_LEVEL: 'info',
    METRICS_ENABLED: 'true',
    // Changed from the default: the receiver is on 127.0.0.1, which production refuses otherwise.
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    ...(RAISED_PARTNER_BUDGET ? { RATE_LIMIT_PARTNER_PER_MINUTE: RAISED_PARTNER_BUDGET } : {}),
  };
  if (RAISED_PARTNER_BUDGET)
    log(`  note: ${Math.round(partnerPerMinute)} partner requests a minute per token: RATE_LIMIT_PARTNER_PER_MINUTE raised to ${RAISED_PARTNER_BUDGET}`);
  const logName = `soak-${process.pid}`;
  const server = await startProcess(logName, process.execPath, [new URL('../dist/src/server/main.js', import.meta.url).pathname], {
    env,
    ready: async () => (await request('GET', '/readyz', { fresh: true })).status === 200,
  });
  serverPid = server.pid;
  log(`server: pid ${server.pid}, ${base}, log ${server.logFile}`);

  const endpoint = await graphql('write', CREATE_WEBHOOK_ENDPOINT, { i: { url: receiver.url, events: ALL_EVENTS, description: 'soak' } }, editorToken(0));
  if (!endpoint) throw new Error(`the webhook endpoint was not created: ${failures.join('; ')}`);
  current = newWindow(0); // the set-up's request is not part of the load

  const admin = connect('postgres', { connection: { application_name: 'factcheck-soak' } });
  onCleanup(() => admin.end());
  // The start: the set-up's keep-alive sockets closed, the server idle.
  agent.destroy();
  agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const start = await quietSnapshot(admin);
  log(`start: RSS ${round(start.rss)} MiB, connections ${describeConns(start.conns)}, handles ${describeHandles(start.metrics)}`);

  console.log(
    `\nsoak at commit ${commit ?? '?'}: ${MINUTES} min, dashboard ${RATES.dashboard}/s, search ${RATES.search}/s, write rounds ${RATES.write}/s, export every ${EXPORT_EVERY_S} s (* = warm-up, not counted in the growth)`,
  );
  console.log(row(COLUMNS.map(([h]) => h)));
  const loadStarted = performance.now();
  current = newWindow(0);
  if (RATES.dashboard > 0) every(1000 / RATES.dashboard, () => launch('dashboard', dashboard));
  if (RATES.search > 0) every(1000 / RATES.search, () => launch('search', search));
  if (RATES.write > 0) every(1000 / RATES.write, () => launch('write', writeRound));
  every(EXPORT_EVERY_S * 1000, () => launch('export', exportCsv), Math.min(5_000, (EXPORT_EVERY_S * 1000) / 2));
  every(RSS_SAMPLE_MS, () => {
    try {
      current.rss.push(memoryMbOf(serverPid, 'VmRSS'));
    } catch {} // the server is gone: its requests fail and say so
  });
  every(SCRAPE_MS, () => launch('metrics', scrape));
  for (let w = 1; w <= WINDOWS; w++) {
    await sleep(Math.max(0, loadStarted + w * WINDOW_S * 1000 - performance.now()));
    if (w === WINDOWS) {
      stopping = true;
      timers.forEach(clearTimeout);
    }
    await closeWindow(admin);
  }

  // Drain: what is in flight finishes (counted in a window of its own, printed only if it failed),
  // then every delivery the writes caused arrives.
  log(`load stopped; waiting for ${inFlight.size} request(s) in flight`);
  await Promise.race([Promise.allSettled([...inFlight]), deadline(REQUEST_TIMEOUT_MS + 5_000)]);
  const drainWindow = current;
  const drainErrors = KINDS.reduce((s, k) => s + drainWindow.errors[k], 0);
  const db = connect(DB, { connection: { application_name: 'factcheck-soak' } });
  let states = [];
  const giveUpAt = Date.now() + 60_000;
  for (;;) {
    states = await db`select state::text, count(*)::int as n from webhook_deliveries group by 1 order by 1`;
    const pending = states.find((s) => s.state === 'PENDING')?.n ?? 0;
    if (!pending || Date.now() > giveUpAt) break;
    await sleep(500);
  }
  await db.end();
  const deliveryStates = Object.fromEntries(states.map((s) => [s.state, s.n]));
  await sleep(200); // the last delivery's request handler has run

  agent.destroy();
  const end = await quietSnapshot(admin);
  log(`end: RSS ${round(end.rss)} MiB, connections ${describeConns(end.conns)}, handles ${describeHandles(end.metrics)}`);
  const problems = compareEnds(start, end);

  const stopped = await server.stop(15_000);
  const logLines = readFileSync(server.logFile, 'utf8').split('\n').filter(Boolean);
  const level = (line) => {
    try {
      return JSON.parse(line).level ?? 0;
    } catch {
      return 0;
    }
  };
  const errorLines = logLines.filter((l) => level(l) >= 50);
  const warnLines = logLines.filter((l) => level(l) === 40);

  // The verdict.
  // A window's RSS moves by up to a quarter from one minute to the next with the GC's timing (its
  // own figure is already the median of 60 samples), more than the limit: the growth compares the
  // middle of the first three windows after the warm-up with the middle of the last three.
  const afterWarmUp = windows.slice(WARMUP_WINDOWS);
  const k = Math.min(3, Math.max(1, Math.floor(afterWarmUp.length / 2)));
  const [early, late] = [afterWarmUp.slice(0, k), afterWarmUp.slice(-k)];
  const span = (ws) => (ws.length > 1 ? `windows ${ws[0].window}–${ws.at(-1).window}` : `window ${ws[0].window}`);
  const baseline = round(median(early.map((w) => w.rss_mib)));
  const last = round(median(late.map((w) => w.rss_mib)));
  const growth = (last - baseline) / baseline;
  const maxAfter = Math.max(...afterWarmUp.map((w) => w.rss_mib));
  const errors = totalErrors;
  const shed = windows.reduce((s, w) => s + w.shed, 0);
  const publishedDelivered = deliveriesByType['fact_check.published'] ?? 0;
  if (errors) problems.push(`${errors} failed request(s) (${drainErrors} while draining); first: ${failures[0]}`);
  if (growth >= MAX_GROWTH && GROWTH_ENFORCED)
    problems.push(`RSS grew ${(growth * 100).toFixed(1)} % after the warm-up (${baseline} → ${last} MiB), the limit is ${MAX_GROWTH * 100} %`);
  if (deliveryStates.PENDING || deliveryStates.FAILED) problems.push(`webhook deliveries not delivered: ${JSON.stringify(deliveryStates)}`);
  if ((deliveryStates.DELIVERED ?? 0) !== deliveries)
    problems.push(`the receiver got ${deliveries} deliveries, the server recorded ${deliveryStates.DELIVERED ?? 0} as delivered`);
  if (publishedDelivered !== published) problems.push(`${published} fact checks published, ${publishedDelivered} fact_check.published deliveries received`);
  if (errorLines.length) problems.push(`${errorLines.length} error line(s) in the server's log, first: ${errorLines[0].slice(0, 300)}`);
  if (stopped.forced || stopped.exit?.code !== 0) problems.push(`the server did not exit cleanly on SIGTERM (${JSON.stringify(stopped)})`);

  const mutations = Object.fromEntries(Object.entries(byMutation).map(([m, l]) => [m, { n: l.length, p50_ms: round(pct(l, 50)), p99_ms: round(pct(l, 99)) }]));
  const result = {
    commit,
    minutes: MINUTES,
    window_s: WINDOW_S,
    warmup_windows: WARMUP_WINDOWS,
    rates_per_s: RATES,
    export_every_s: EXPORT_EVERY_S,
    articles: ARTICLES,
    claims: ARTICLES * 10,
    requests: windows.reduce((s, w) => s + w.requests, 0) + KINDS.reduce((s, k) => s + drainWindow.count[k], 0),
    errors,
    shed,
    write_rounds: rounds,
    published,
    webhook_deliveries: deliveries,
    webhook_deliveries_by_type: deliveriesByType,
    webhook_delivery_states: deliveryStates,
    last_export: lastExport && { rows: lastExport.rows, mb: round(lastExport.mb, 2), seconds: round(lastExport.seconds, 2) },
    rss_mib_after_warmup: baseline,
    rss_mib_last: last,
    rss_compared: { early: early.map((w) => w.window), late: late.map((w) => w.window) },
    rss_mib_max_after_warmup: maxAfter,
    rss_growth_pct: round(growth * 100, 2),
    rss_growth_enforced: GROWTH_ENFORCED,
    start: {
      rss_mib: round(start.rss),
      connections: start.conns.total,
      pool: start.conns.pool,
      listen: start.conns.listen,
      handles: start.metrics.handles,
      handles_by_type: start.metrics.handlesByType,
    },
    end: {
      rss_mib: round(end.rss),
      connections: end.conns.total,
      pool: end.conns.pool,
      listen: end.conns.listen,
      handles: end.metrics.handles,
      handles_by_type: end.metrics.handlesByType,
    },
    mutations,
    server_log: { lines: logLines.length, warn: warnLines.length, error: errorLines.length, file: server.logFile },
    server_exit: stopped,
    problems,
    wall_s: Math.round((Date.now() - started) / 1000),
    windows,
  };
  console.log(
    `\nRSS after the warm-up ${baseline} MiB (${span(early)}), at the end ${last} MiB (${span(late)}; max of a window ${maxAfter}): growth ${result.rss_growth_pct} % ${
      GROWTH_ENFORCED ? `(limit < ${MAX_GROWTH * 100} %)` : `(not enforced: windows of ${WINDOW_S} s are all warm-up; the limit applies from --minutes 4)`
    }` +
      `\nrequests ${result.requests}, errors ${errors}, shed ${shed}; write rounds ${rounds}, published ${published}; webhook deliveries ${deliveries} ${JSON.stringify(deliveryStates)}` +
      `\nconnections start ${describeConns(start.conns)} → end ${describeConns(end.conns)}` +
      `\nhandles start ${describeHandles(start.metrics)} → end ${describeHandles(end.metrics)}` +
      `\nper mutation: ${Object.entries(mutations)
        .map(([m, s]) => `${m} p50 ${s.p50_ms} / p99 ${s.p99_ms} ms`)
        .join(', ')}` +
      `\nserver log: ${logLines.length} lines, ${warnLines.length} warn, ${errorLines.length} error; exit on SIGTERM in ${stopped.ms} ms${stopped.forced ? ' (killed)' : ''}` +
      `\n${problems.length ? `FAIL:\n  ${problems.join('\n  ')}` : 'PASS'}\n`,
  );
  console.log(JSON.stringify(result));
  if (problems.length) process.exitCode = 1;
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    stopping = true;
    timers.forEach(clearTimeout);
    agent.destroy();
    await cleanup();
  });
