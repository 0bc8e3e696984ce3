// npm run bench:lockout [-- --duration 20 --flood 10000 --valid-rate 10 --flood-connections 50]
// A guessing client does not lock out its address (issue 32). Our server, compiled and in
// production mode with its shipped access settings (AUTH_FAILURES_PER_MINUTE=30, the token cache,
// the per-token budgets), on a fresh Postgres database; one EDITOR token issued through the API.
// From 127.0.0.1, a valid client sends 10 requests a second for --duration seconds alone (the
// baseline), then again while a flood of --flood random tokens of the issued shape (fc_ + 43
// base64url: the kind that costs a lookup) arrives at flood/duration a second (10,000 in 20 s:
// 500/s) from the same address. Both are open loops (requests leave on schedule, whatever the
// answers do) over keep-alive sockets (the flood at most --flood-connections, 50, at once; beyond
// that its requests wait on the client side, and the time it took says whether the server kept up);
// the flood runs in a worker thread of its own. Prints the valid requests served / sent,
// their p50/p99 without and with the flood, the flood's answers by status, and what the flood cost
// the database: token lookups (scans of the token_hash index), failure-budget writes (rate_limits)
// and transactions (every statement outside BEGIN is one), each per flood request, from Postgres'
// own statistics (pg_stat_statements is not needed). Needs none of bench/'s own packages.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { ascending, percentile, round } from './lib/stats.mjs';

/**
 * Sends `count` requests made by `request(i)` at `rate` a second from now on, without waiting for
 * answers (an open loop: a slow answer does not slow the sender). Resolves to every outcome.
 */
async function openLoop(count, rate, request) {
  const started = performance.now();
  const pending = [];
  let sent = 0;
  while (sent < count) {
    const due = Math.min(count, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    for (; sent < due; sent++) {
      const i = sent;
      const t0 = performance.now();
      pending.push(
        request(i).then(
          (status) => ({ status, ms: performance.now() - t0, at: (t0 - started) / 1000 }),
          (error) => ({ status: `error: ${error.cause?.code ?? error.code ?? error.message}`, ms: performance.now() - t0, at: (t0 - started) / 1000 }),
        ),
      );
    }
    await sleep(Math.max(1, Math.min(10, 1000 / rate)));
  }
  return Promise.all(pending);
}

const VALID_QUERY = JSON.stringify({ query: '{ viewer { id } claims(first: 10) { edges { node { id status } } } }' });
const VIEWER_QUERY = JSON.stringify({ query: '{ viewer { id } }' });

/** POST /graphql over `agent` (keep-alive, a bounded number of sockets, like a client's pool). */
function post(agent, url, token, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${url}/graphql`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => {
          try {
            resolve({ status: response.statusCode, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
          } catch (error) {
            reject(error);
          }
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

// The flood, in a worker thread: its own event loop, so that its 500 sends a second do not delay
// the valid client's timers and answers in the main thread.
if (!isMainThread) {
  const { url, count, rate, connections } = workerData;
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const tokens = Array.from({ length: count }, () => `fc_${randomBytes(32).toString('base64url')}`);
  const started = performance.now();
  const outcomes = await openLoop(count, rate, async (i) => (await post(agent, url, tokens[i], VIEWER_QUERY)).status);
  parentPort.postMessage({ outcomes, seconds: (performance.now() - started) / 1000 });
} else {
  await main();
}

async function main() {
  const { values: opts } = parseArgs({
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      duration: { type: 'string', default: '20' },
      flood: { type: 'string', default: '10000' },
      'valid-rate': { type: 'string', default: '10' },
      'flood-connections': { type: 'string', default: '50' },
      env: { type: 'string', default: '{}' },
    },
  });
  if (opts.help) {
    console.log(`npm run bench:lockout [-- options]
  --duration <s>      seconds of each phase (valid client alone, then with the flood); default 20
  --flood <n>         random tokens sent during the flood phase, evenly over --duration; default 10000 (500/s)
  --valid-rate <r>    the valid client's requests a second; default 10
  --flood-connections <n>  keep-alive sockets the flood may hold open at once (requests beyond wait on the client); default 50
  --env '{"NAME":"value"}'  more settings for the server, away from what it ships with (printed with the figures)`);
    return;
  }
  const duration = Number(opts.duration);
  const floodCount = Number(opts.flood);
  const validRate = Number(opts['valid-rate']);
  const floodRate = floodCount / duration;
  const floodConnections = Number(opts['flood-connections']);
  // The valid client: one application with a small keep-alive pool of its own.
  const validAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });

  const { connect, createDatabase, dropDatabase, PG_BASE } = await import('./lib/db.mjs');
  const { cleanup, onCleanup, RESULTS_DIR } = await import('./lib/procs.mjs');
  const { log } = await import('./lib/report.mjs');
  const { startOurs } = await import('./lib/servers.mjs');

  const DB = `factcheck_lockout_${process.pid}`;
  await createDatabase(DB);
  onCleanup(() => dropDatabase(DB));

  try {
    const adminToken = randomBytes(24).toString('base64url');
    // The shipped access settings: startOurs raises the per-token budgets for the other benches; an
    // empty value is no setting (src/config.ts), so the defaults apply.
    const changed = JSON.parse(opts.env);
    const server = await startOurs(DB, 10, { ADMIN_TOKEN: adminToken, RATE_LIMIT_PARTNER_PER_MINUTE: '', RATE_LIMIT_STAFF_PER_MINUTE: '', ...changed });
    log(`bench:lockout: ours on ${DB} at ${PG_BASE} (${server.url}), pid ${server.proc.pid}`);

    const created = await post(
      validAgent,
      server.url,
      adminToken,
      JSON.stringify({
        query: `mutation($u: CreateUserInput!) { createUser(input: $u) { user { id } } }`,
        variables: { u: { name: 'Valid Client', email: 'valid@bench.local', role: 'EDITOR' } },
      }),
    );
    if (created.status !== 200 || created.json.errors) throw new Error(`createUser: ${JSON.stringify(created.json)}`);
    const issued = await post(
      validAgent,
      server.url,
      adminToken,
      JSON.stringify({
        query: `mutation($i: IssueApiTokenInput!) { issueApiToken(input: $i) { token } }`,
        variables: { i: { userId: created.json.data.createUser.user.id, label: 'bench:lockout' } },
      }),
    );
    if (issued.status !== 200 || issued.json.errors) throw new Error(`issueApiToken: ${JSON.stringify(issued.json)}`);
    const token = issued.json.data.issueApiToken.token;

    const valid = (count) =>
      openLoop(count, validRate, async () => {
        const { status, json } = await post(validAgent, server.url, token, VALID_QUERY);
        return status === 200 && !json.errors && json.data?.viewer ? 200 : `${status} ${json.errors?.[0]?.extensions?.code ?? ''}`.trim();
      });

    // What Postgres counted for the bench database. Backends report their counts at most once a
    // second and idle ones within 10 s, hence the wait before each reading.
    const stats = connect(DB);
    const reading = async () => {
      await sleep(11_000);
      const [row] = await stats`
        select
          (select coalesce(sum(idx_scan), 0) from pg_stat_user_indexes where indexrelname = 'api_tokens_token_hash_unique')::bigint as lookups,
          (select coalesce(sum(n_tup_ins + n_tup_upd), 0) from pg_stat_user_tables where relname = 'rate_limits')::bigint as budget_writes,
          (select xact_commit + xact_rollback from pg_stat_database where datname = current_database())::bigint as transactions`;
      return { lookups: Number(row.lookups), budgetWrites: Number(row.budget_writes), transactions: Number(row.transactions) };
    };
    const minus = (a, b) => ({ lookups: a.lookups - b.lookups, budgetWrites: a.budgetWrites - b.budgetWrites, transactions: a.transactions - b.transactions });

    log(`warm-up: the valid client for 3 s`);
    await valid(3 * validRate);
    const loadBefore = loadavg()[0];
    const s0 = await reading();
    log(`baseline: the valid client alone, ${validRate}/s for ${duration} s`);
    const cpu0 = server.proc.cpuSeconds();
    const alone = await valid(duration * validRate);
    const cpuAlone = server.proc.cpuSeconds() - cpu0;
    const s1 = await reading();
    log(`flood: ${floodCount} random tokens at ${floodRate}/s from the same address, with the valid client alongside`);
    const cpu1 = server.proc.cpuSeconds();
    const clientCpu1 = process.cpuUsage();
    const worker = new Worker(new URL(import.meta.url), { workerData: { url: server.url, count: floodCount, rate: floodRate, connections: floodConnections } });
    const floodDone = new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const [withFlood, { outcomes: flood, seconds: floodSeconds }] = await Promise.all([valid(duration * validRate), floodDone]);
    const cpuFlood = server.proc.cpuSeconds() - cpu1;
    const clientCpu = process.cpuUsage(clientCpu1);
    await worker.terminate();
    const s2 = await reading();
    await stats.end();
    const loadAfter = loadavg()[0];

    const summary = (outcomes) => {
      const ms = ascending(outcomes.map((o) => o.ms));
      const byStatus = {};
      for (const o of outcomes) byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
      return {
        ok: byStatus[200] ?? 0,
        total: outcomes.length,
        byStatus,
        p50: round(percentile(ms, 50), 2),
        p99: round(percentile(ms, 99), 2),
        max: round(ms.at(-1), 2),
      };
    };
    const a = summary(alone);
    const f = summary(withFlood);
    const fl = summary(flood);
    // The flood phase's counts, less what the same length of time cost with the valid client alone.
    const floodPhase = minus(s2, s1);
    const basePhase = minus(s1, s0);
    const floodOnly = minus(floodPhase, basePhase);
    const perFlood = (n) => round(n / floodCount, 4);
    const result = {
      duration_s: duration,
      valid_rate: validRate,
      flood_tokens: floodCount,
      flood_rate: floodRate,
      flood_connections: floodConnections,
      flood_seconds: round(floodSeconds, 2),
      settings_changed: changed,
      load_average_1m_before: round(loadBefore, 2),
      load_average_1m_after: round(loadAfter, 2),
      valid_alone: a,
      valid_with_flood: f,
      p99_ratio: round(f.p99 / a.p99, 2),
      // When the slowest valid requests beside the flood were sent (s into the phase) and what they took (ms).
      valid_with_flood_slowest: [...withFlood]
        .sort((x, y) => y.ms - x.ms)
        .slice(0, 5)
        .map((o) => [round(o.at, 2), round(o.ms, 1)]),
      flood_answers: fl.byStatus,
      flood_p50_ms: fl.p50,
      flood_p99_ms: fl.p99,
      server_cpu_s_alone: round(cpuAlone, 2),
      server_cpu_s_with_flood: round(cpuFlood, 2),
      // The bench itself (both clients, the flood's worker included) on the same cores.
      client_cpu_s_with_flood: round((clientCpu.user + clientCpu.system) / 1e6, 2),
      db_alone: basePhase,
      db_flood_phase: floodPhase,
      per_flood_request: {
        token_lookups: perFlood(floodOnly.lookups),
        budget_writes: perFlood(floodOnly.budgetWrites),
        transactions: perFlood(floodOnly.transactions),
      },
    };
    console.log(`
valid client (${validRate}/s, ${duration} s)   ok/total   p50 ms   p99 ms   max ms
  alone                          ${`${a.ok}/${a.total}`.padStart(9)}  ${String(a.p50).padStart(7)}  ${String(a.p99).padStart(7)}  ${String(a.max).padStart(7)}
  with the flood                 ${`${f.ok}/${f.total}`.padStart(9)}  ${String(f.p50).padStart(7)}  ${String(f.p99).padStart(7)}  ${String(f.max).padStart(7)}
  p99 with / without: ${result.p99_ratio}x; the slowest beside the flood (sent at s: took ms): ${result.valid_with_flood_slowest.map(([at, ms]) => `${at}: ${ms}`).join(', ')}
flood: ${floodCount} random tokens at ${floodRate}/s from 127.0.0.1 (up to ${floodConnections} connections), all answered after ${result.flood_seconds} s: ${Object.entries(
      fl.byStatus,
    )
      .map(([s, n]) => `${n} × ${s}`)
      .join(', ')}; p50 ${fl.p50} ms, p99 ${fl.p99} ms
database, per flood request (flood phase less the baseline phase): ${result.per_flood_request.token_lookups} token lookups, ${result.per_flood_request.budget_writes} failure-budget writes, ${result.per_flood_request.transactions} statements (transactions)
settings changed from what the server ships with: ${Object.keys(changed).length ? JSON.stringify(changed) : 'none'} (LOG_LEVEL=info, as it ships: every request is a line, each refusal a warn line)
server CPU: ${result.server_cpu_s_alone} s alone, ${result.server_cpu_s_with_flood} s with the flood (the bench's own clients: ${result.client_cpu_s_with_flood} s, on the same cores); load average ${result.load_average_1m_before} before, ${result.load_average_1m_after} after`);
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(`${RESULTS_DIR}lockout.json`, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result));
    await server.proc.stop();
  } finally {
    await cleanup();
  }
}
