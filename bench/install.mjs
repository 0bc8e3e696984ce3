// The bench's own packages (bench/package.json: PostGraphile, the Node 22 it runs on, autocannon) are
// kept out of the product's install. `npm run bench` and `npm run bench:search` run this first: it
// installs them from bench/package-lock.json on first use, and again whenever that lock file changed.
// Runs on the project's Node (20), with nothing but Node's own modules.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const BENCH = new URL('./', import.meta.url).pathname;
const lockHash = createHash('sha256')
  .update(readFileSync(`${BENCH}package-lock.json`))
  .digest('hex');
// Written after a complete install; node_modules/.package-lock.json alone would not say from which lock.
const stamp = `${BENCH}node_modules/.installed-from-lock`;

if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== lockHash) {
  console.error('bench: installing its own packages (npm ci --prefix bench), once per change of bench/package-lock.json');
  // --loglevel=error: on Node 20, npm warns that PostGraphile's packages want Node 22 (EBADENGINE);
  // they run only on the bench's own Node 22 (bench/node_modules/.bin/node), so that is expected.
  execFileSync('npm', ['ci', '--prefix', BENCH, '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
  writeFileSync(stamp, lockHash);
}
