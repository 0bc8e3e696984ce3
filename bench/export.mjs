// npm run bench:export [-- --db factcheck_search_1m] [-- --force]
// Streams GET /exports/fact-checks.csv (every published fact check, no filter) from our server,
// compiled and in production mode, on the search bench's data set (built by `npm run bench:search`;
// 1M fact checks in factcheck_search_1m), and reports rows/s and the server's resident memory: its
// peak (VmHWM) and samples taken while the export runs (target: flat, under 300 MB). The client
// reads as fast as it can and only counts records, so the figure is the server's. Refuses to
// measure on a busy host (1-minute load average >= 1.5) unless --force.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { connect, PG_BASE } from './lib/db.mjs';
import { tokenFor } from './lib/dataset.mjs';
import { memoryMbOf, RESULTS_DIR, runMain } from './lib/procs.mjs';
import { log } from './lib/report.mjs';
import { startOurs } from './lib/servers.mjs';
import { ascending, round } from './lib/stats.mjs';

const USAGE = `npm run bench:export [-- options]
  --db <name>   the database to export from (factcheck_search_1m, made by npm run bench:search)
  --force       measure even when the host is busy (the figures are then not comparable)
  --help        this text`;

const { values: opts } = parseArgs({
  options: {
    help: { type: 'boolean', short: 'h', default: false },
    db: { type: 'string', default: 'factcheck_search_1m' },
    force: { type: 'boolean', default: false },
  },
});
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}

async function main() {
  const admin = connect('postgres');
  const [found] = await admin`select 1 as ok from pg_database where datname = ${opts.db}`;
  await admin.end();
  if (!found) {
    log(`bench:export: no database ${opts.db} at ${PG_BASE}; build it with \`npm run bench:search\` (its 1M data set), then run this again`);
    return;
  }
  const load = loadavg()[0];
  if (load >= 1.5 && !opts.force) {
    log(`bench:export: the host is busy (1-minute load ${load.toFixed(2)} >= 1.5); not measuring. Run it on a quiet host, or with --force`);
    return;
  }
  const sql = connect(opts.db);
  const [{ n: visible }] = await sql`select count(*)::int as n from fact_checks where retracted_at is null`;
  await sql.end();

  const server = await startOurs(opts.db, 10);
  try {
    const pid = server.proc.pid;
    const startRss = memoryMbOf(pid, 'VmRSS');
    const samples = [];
    const sampler = setInterval(() => samples.push(memoryMbOf(pid, 'VmRSS')), 250);
    const started = performance.now();
    const cpuBefore = server.proc.cpuSeconds();
    const response = await fetch(`${server.url}/exports/fact-checks.csv`, { headers: { authorization: `Bearer ${tokenFor('PARTNER')}` } });
    if (response.status !== 200) throw new Error(`export answered ${response.status}: ${await response.text()}`);
    let bytes = 0;
    let lineEnds = 0;
    for await (const chunk of response.body) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) if (chunk[i - 1] === 13 || i === 0) lineEnds++;
    }
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const cpu = server.proc.cpuSeconds() - cpuBefore;
    const rows = lineEnds - 1; // the header row; the bench's texts hold no line breaks
    const sorted = ascending(samples);
    const result = {
      database: opts.db,
      load_average_1m: round(load, 2),
      rows,
      visible_fact_checks: visible,
      seconds: round(seconds, 2),
      rows_per_second: Math.round(rows / seconds),
      megabytes: round(bytes / 1e6),
      megabytes_per_second: round(bytes / 1e6 / seconds),
      server_cpu_seconds: round(cpu, 2),
      server_rss_mb_at_start: round(startRss),
      server_rss_mb_median_during: round(sorted[Math.floor(sorted.length / 2)] ?? startRss),
      server_rss_mb_max_sampled: round(sorted.at(-1) ?? startRss),
      server_peak_rss_mb_vmhwm: round(server.proc.peakRssMb()),
    };
    log(
      `bench:export on ${opts.db}: ${rows} rows (${visible} visible) in ${result.seconds} s = ${result.rows_per_second} rows/s, ${result.megabytes} MB (${result.megabytes_per_second} MB/s)`,
    );
    log(
      `  server RSS: ${result.server_rss_mb_at_start} MB at start, median ${result.server_rss_mb_median_during} MB and max ${result.server_rss_mb_max_sampled} MB while exporting, peak (VmHWM) ${result.server_peak_rss_mb_vmhwm} MB; CPU ${result.server_cpu_seconds} s`,
    );
    if (rows !== visible) log(`  note: exported ${rows} rows but ${visible} fact checks are visible`);
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(`${RESULTS_DIR}export.json`, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await server.proc.stop();
  }
}

runMain(main);
