// The servers under test, each started on a free port against a bench database.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dbUrl } from './db.mjs';
import { freePort, startProcess } from './procs.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
const NODE22_DIR = `${ROOT}bench/.node22`;

/** PostGraphile 5 needs Node >= 22; the project runs on 20, so the bench keeps its own Node 22. */
export function ensureNode22() {
  const bin = `${NODE22_DIR}/node_modules/.bin/node`;
  if (!existsSync(bin)) {
    execFileSync('npm', ['install', '--prefix', NODE22_DIR, '--no-audit', '--no-fund', '--loglevel=error', 'node@22'], { stdio: 'inherit' });
  }
  const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  if (!version.startsWith('v22.')) throw new Error(`${bin} is ${version}, expected v22`);
  return bin;
}

const answers = async (url, init) => (await fetch(url, init)).status;

/**
 * Our API, compiled, in production mode, without demo seeds. The per-token budgets are counted as
 * in production but set far above what a bench sends, so that none of its requests is refused.
 */
export async function startOurs(db, poolSize) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = await startProcess('ours', process.execPath, [`${ROOT}dist/src/server/main.js`], {
    env: { NODE_ENV: 'production', SEED: 'none', DATABASE_URL: dbUrl(db), PORT: String(port), HOST: '127.0.0.1', DATABASE_POOL_SIZE: String(poolSize), LOG_LEVEL: 'warn',
      RATE_LIMIT_PARTNER_PER_MINUTE: '100000000', RATE_LIMIT_STAFF_PER_MINUTE: '100000000' },
    ready: async () => (await answers(`${url}/readyz`)) === 200,
  });
  return { url, proc };
}

export async function startPostGraphile(node22, db, poolSize) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = await startProcess('postgraphile', node22, [`${ROOT}bench/postgraphile-server.mjs`], {
    env: { NODE_ENV: 'production', DATABASE_URL: dbUrl(db), PORT: String(port), DATABASE_POOL_SIZE: String(poolSize) },
    ready: async () => (await answers(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' })) === 200,
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
