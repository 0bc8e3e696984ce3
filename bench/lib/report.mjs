// Output helpers: progress on stderr, so that stdout ends with the table and the JSON line.

export const log = (message) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
export const gql = (query, variables) => JSON.stringify({ query, variables });
/** A data set's size as its database is named: 1000 → 1k, 1000000 → 1m. */
export const sizeLabel = (n) => (n >= 1e6 ? `${n / 1e6}m` : n >= 1e3 ? `${n / 1e3}k` : String(n));
/** Our API's global IDs (src/domain/global-ids.ts): base64url("Type:uuid"). */
export const globalId = (type, id) => Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');

const fixed = (digits) => (x) => (x == null || Number.isNaN(x) ? '-' : x.toFixed(digits));
const COLUMNS = [
  ['target', (r) => r.target],
  ['req/s', (r) => fixed(0)(r.rps)],
  ['p50 ms', (r) => fixed(1)(r.p50)],
  ['p95 ms', (r) => fixed(1)(r.p95)],
  ['p99 ms', (r) => fixed(1)(r.p99)],
  ['SQL/req', (r) => fixed(2)(r.sqlPerRequest)],
  ['peak RSS MiB', (r) => fixed(0)(r.peakRssMb)],
  ['server CPU %', (r) => fixed(0)(r.serverCpuPct)],
  ['CPU ms/req', (r) => fixed(2)(r.cpuMsPerRequest)],
  ['host CPU %', (r) => fixed(0)(r.hostCpuPct)],
  ['bg CPU % before', (r) => fixed(0)(r.backgroundCpuPct)],
  ['errors', (r) => String(r.errors)],
];

/** A plain-text table; `columns` defaults to the bench's. */
export function formatTable(rows, columns = COLUMNS) {
  const cells = [columns.map(([h]) => h), ...rows.map((r) => columns.map(([, f]) => f(r)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  const line = (c) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
