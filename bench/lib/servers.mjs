// The servers under test, each started on a free port against a bench database.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dbUrl } from './db.mjs';
import { freePort, startProcess } from './procs.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
// The `node` package of bench/package.json: a Node 22 binary beside the project's Node 20.
const NODE22 = `${ROOT}bench/node_modules/.bin/node`;

/** PostGraphile 5 needs Node >= 22; the project runs on 20, so the bench has its own Node 22. */
export function ensureNode22() {
  if (!existsSync(NODE22)) throw new Error(`${NODE22} is missing: install the bench's packages with \`npm ci --prefix bench\` (npm run bench does it)`);
  const version = execFileSync(NODE22, ['--version'], { encoding: 'utf8' }).trim();
  if (!version.startsWith('v22.')) throw new Error(`${NODE22} is ${version}, expected v22`);
  return NODE22;
}

const answers = async (url, init) => (await fetch(url, init)).status;

/**
 * What startOurs changes from the server as it ships, for the reports: the per-token budgets are
 * counted as in production but set far above what a bench sends, so that none of its requests is
 * refused. Everything else is the default: LOG_LEVEL=info (a line per request), metrics on, a
 * pool of 10, no demo seeds in production.
 */
export const OURS_CHANGED_DEFAULTS = { RATE_LIMIT_PARTNER_PER_MINUTE: '100000000', RATE_LIMIT_STAFF_PER_MINUTE: '100000000' };

/**
 * Our API, compiled, as it ships (NODE_ENV=production), but for OURS_CHANGED_DEFAULTS and
 * `extraEnv` (a bench that changes more says so). `root`: another checkout's build (an A/B of two
 * commits), ending in '/'. `timeoutMs`: how long it may take to answer /readyz (startProcess').
 */
export async function startOurs(db, poolSize, extraEnv = {}, { root = ROOT, name = 'ours', timeoutMs } = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = await startProcess(name, process.execPath, [`${root}dist/src/server/main.js`], {
    env: oursEnv(db, port, poolSize, extraEnv),
    ready: async () => (await answers(`${url}/readyz`)) === 200,
    ...(timeoutMs ? { timeoutMs } : {}),
  });
  return { url, proc };
}

/**
 * The environment of our server under test (also bench/ab.mjs'). A child inherits the bench's
 * environment, PATH and all, but not a LOG_LEVEL, METRICS_* or OTEL_* of the shell that started
 * the bench: those would change what is measured without the report saying so. `db`: a database
 * of the bench's Postgres, by name, or a whole DATABASE_URL (bench/embedded.mjs' pglite:<folder>).
 */
export function oursEnv(db, port, poolSize, extraEnv = {}) {
  const inherited = Object.keys(process.env).filter((key) => /^(LOG_LEVEL$|METRICS_|OTEL_)/.test(key));
  return {
    ...Object.fromEntries(inherited.map((key) => [key, undefined])), // spawn() leaves out undefined values
    NODE_ENV: 'production',
    SEED: 'none',
    DATABASE_URL: db.includes(':') ? db : dbUrl(db),
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_POOL_SIZE: String(poolSize),
    ...OURS_CHANGED_DEFAULTS,
    ...extraEnv,
  };
}

export async function startPostGraphile(node22, db, poolSize) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = await startProcess('postgraphile', node22, [`${ROOT}bench/postgraphile-server.mjs`], {
    env: { NODE_ENV: 'production', DATABASE_URL: dbUrl(db), PORT: String(port), DATABASE_POOL_SIZE: String(poolSize) },
    ready: async () =>
      (await answers(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' })) === 200,
  });
  return { url, proc };
}

export async function startFloor(db, poolSize) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = await startProcess('floor', process.execPath, [`${ROOT}bench/floor-server.mjs`], {
    env: { DATABASE_URL: dbUrl(db), PORT: String(port), DATABASE_POOL_SIZE: String(poolSize) },
    ready: async () => (await answers(url, { method: 'POST' })) > 0,
  });
  return { url, proc };
}
