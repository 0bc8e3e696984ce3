// node bench/otel-cost.mjs [--db factcheck_bench] [--duration 20 --slices 4 --warmup 5 --connections 10 --query dashboard]
// What OpenTelemetry costs a request (issue 34), in one run of bench/ab.mjs with four builds side by side:
//   off      dist/ (npm run build of the working tree), tracing off: no OTEL_EXPORTER_OTLP_ENDPOINT
//   off2     a copy of the same dist/: the A/A pair, whose difference is this run's noise
//   without  the same tree with tracing compiled out: src/server/tracing.ts' startTracing() returns
//            null, tracingRequested() false, src/server/tracing-spans.ts' exports are stubs, and
//            neither imports @opentelemetry/* (checked in the build)
//   on       dist/ with OTEL_EXPORTER_OTLP_ENDPOINT at a sink in this process (OTLP/HTTP, answers 200
//            at once), every other OTEL_* at the SDK's defaults (http/protobuf, every trace sampled,
//            a batch every 5 s or 512 spans)
// Tracing off must sit within the A/A spread (the paired slices' ratios, req/s and CPU ms per
// request); "on" is said as its paired ratio to "off". Only ratios within one run compare.
// The copies live in .scratch/otel-cost/ (rebuilt each run). Other options go to ab.mjs as given.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { log } from './lib/report.mjs';
import { RESULTS_DIR } from './lib/procs.mjs';
import { median } from './lib/stats.mjs';

const ROOT = new URL('../', import.meta.url).pathname;
const WORK = join(ROOT, '.scratch/otel-cost');
const WITHOUT = join(WORK, 'without');
const OFF2 = join(WORK, 'off2');
const passThrough = process.argv.slice(2);
if (passThrough.some((a) => ['--build', '--env', '--json', '--pgl', '--floor', '--bare'].includes(a))) {
  console.error(
    'otel-cost: --build, --env, --json, --pgl, --floor and --bare are its own; give ab.mjs options only (--db, --duration, --slices, --warmup, --connections, --query)',
  );
  process.exit(2);
}

const run = (file, args, cwd = ROOT) => execFileSync(file, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

/** The stubs that replace a module's exports: never called while startTracing() returns null. */
function stubModule(source, special) {
  const names = [...source.matchAll(/^export (?:async )?(?:function|const) (\w+)/gm)].map((m) => m[1]);
  const lines = ['// Tracing compiled out (bench/otel-cost.mjs): a stub of each export; none is reached while startTracing() returns null.'];
  if (names.some((name) => !special[name])) lines.push("const compiledOut = (..._args: unknown[]): never => { throw new Error('tracing compiled out'); };");
  for (const name of names) lines.push(special[name] ?? `export const ${name} = compiledOut;`);
  for (const m of source.matchAll(/^export interface (\w+)/gm)) {
    if (!special[`interface ${m[1]}`]) throw new Error(`otel-cost: no stub for the interface ${m[1]} of a tracing module: update bench/otel-cost.mjs`);
    lines.push(special[`interface ${m[1]}`]);
  }
  return `${lines.join('\n')}\n`;
}

/** The working tree (tracked and untracked files, not ignored ones), copied, with tracing compiled out, built. */
function buildWithout() {
  rmSync(WITHOUT, { recursive: true, force: true });
  const files = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard']).split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(ROOT, file))) continue; // deleted in the working tree
    mkdirSync(dirname(join(WITHOUT, file)), { recursive: true });
    cpSync(join(ROOT, file), join(WITHOUT, file));
  }
  const tracing = join(WITHOUT, 'src/server/tracing.ts');
  const spans = join(WITHOUT, 'src/server/tracing-spans.ts');
  writeFileSync(
    tracing,
    stubModule(readFileSync(tracing, 'utf8'), {
      tracingRequested: 'export const tracingRequested = (..._args: unknown[]): boolean => false;',
      startTracing: 'export const startTracing = async (..._args: unknown[]): Promise<Tracing | null> => null;',
      'interface Tracing': 'export interface Tracing {\n  tracer: never;\n  shutdown(): Promise<void>;\n}',
    }),
  );
  writeFileSync(spans, stubModule(readFileSync(spans, 'utf8'), {}));
  // The project's compiler; types and packages resolve through the parents' node_modules.
  log(`otel-cost: building the tree without tracing in ${WITHOUT}`);
  run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], WITHOUT);
  const built = join(WITHOUT, 'dist/src');
  const importing = readdirSync(built, { recursive: true }).filter(
    (f) => f.endsWith('.js') && /from ['"]@opentelemetry\/|import\(['"]@opentelemetry\//.test(readFileSync(join(built, f), 'utf8')),
  );
  if (importing.length) throw new Error(`otel-cost: the build without tracing still imports @opentelemetry: ${importing.join(', ')}`);
  return join(WITHOUT, 'dist');
}

/** An OTLP/HTTP receiver that answers 200 with an empty body (an empty ExportTraceServiceResponse) and counts. */
function startSink() {
  const seen = { requests: 0, bytes: 0 };
  const server = http.createServer((req, res) => {
    req.on('data', (chunk) => (seen.bytes += chunk.length));
    req.on('end', () => {
      if (req.url === '/v1/traces') seen.requests++;
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/x-protobuf' }).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, seen, stop: () => server.close() })),
  );
}

const r3 = (x) => Math.round(x * 1000) / 1000;

/** Per slice, `build`'s figure over `off`'s: slices of one index ran seconds apart. */
function paired(rows, build, key) {
  const off = rows.find((r) => r.target === 'off');
  const other = rows.find((r) => r.target === build);
  return other.slices.map((s, i) => s[key] / off.slices[i][key]);
}

async function main() {
  log('otel-cost: npm run build (off, off2 and on are dist/)');
  run('npm', ['run', '--silent', 'build']);
  const without = buildWithout();
  rmSync(OFF2, { recursive: true, force: true });
  cpSync(join(ROOT, 'dist'), OFF2, { recursive: true });
  const sink = await startSink();
  const json = join(WORK, 'ab.json');
  rmSync(json, { force: true });
  const args = [
    join(ROOT, 'bench/ab.mjs'),
    '--build',
    'off=dist',
    '--build',
    `off2=${OFF2}`,
    '--build',
    `without=${without}`,
    '--build',
    'on=dist',
    '--env',
    `on:OTEL_EXPORTER_OTLP_ENDPOINT=${sink.url}`,
    '--json',
    json,
    ...passThrough,
  ];
  const code = await new Promise((resolve) => spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit' }).on('exit', resolve));
  sink.stop();
  if (code !== 0 || !existsSync(json)) throw new Error(`otel-cost: bench/ab.mjs failed (exit ${code})`);
  const ab = JSON.parse(readFileSync(json, 'utf8'));
  const rows = ab.rows;
  const figure = (key) => {
    const aa = paired(rows, 'off2', key);
    const withoutRatios = paired(rows, 'without', key);
    const on = paired(rows, 'on', key);
    const [lo, hi] = [Math.min(...aa), Math.max(...aa)];
    return {
      aa_range: [r3(lo), r3(hi)],
      aa_median: r3(median(aa)),
      without_over_off_median: r3(median(withoutRatios)),
      off_within_aa_spread: median(withoutRatios) >= lo && median(withoutRatios) <= hi,
      on_over_off_median: r3(median(on)),
    };
  };
  const result = {
    commit: ab.commit,
    query: ab.query,
    db: ab.db,
    slices: ab.slices,
    duration_s: ab.duration,
    load_before: ab.load,
    load_after: ab.loadAfter,
    rps: Object.fromEntries(rows.map((r) => [r.target, Math.round(r.rps * 10) / 10])),
    cpu_ms_per_request: Object.fromEntries(rows.map((r) => [r.target, Math.round(r.cpuMsPerRequest * 100) / 100])),
    paired_rps: figure('rps'),
    paired_cpu_ms_per_request: figure('cpuMsPerRequest'),
    on_exports: sink.seen.requests,
    on_export_bytes: sink.seen.bytes,
    errors: rows.reduce((n, r) => n + r.errors, 0),
  };
  const say = (name, f) =>
    `${name}: A/A (off2/off) per slice ${f.aa_range[0]}–${f.aa_range[1]} (median ${f.aa_median}); without/off median ${f.without_over_off_median}, ` +
    `${f.off_within_aa_spread ? 'within' : 'OUTSIDE'} the A/A spread; on/off median ${f.on_over_off_median}`;
  console.log(`\n${say('req/s', result.paired_rps)}\n${say('CPU ms/request', result.paired_cpu_ms_per_request)}`);
  console.log(
    `on: ${result.on_exports} OTLP exports received (${(result.on_export_bytes / 1024).toFixed(0)} KiB)${result.on_exports ? '' : ': NOTHING EXPORTED, "on" measured nothing'}`,
  );
  if (result.paired_rps.aa_range[0] === result.paired_rps.aa_range[1]) console.log('note: one slice gives no spread; run with --slices 8 or more');
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = `${RESULTS_DIR}otel-cost-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify({ ...result, rows }, null, 2));
  log(`details: ${file}`);
  console.log(JSON.stringify(result));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
