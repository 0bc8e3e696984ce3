/**
 * A quiet install, checked on the lock files (the checks npm itself makes on `npm ci`): no package the
 * product installs declares a Node version this one does not satisfy (npm's EBADENGINE warning), and
 * every install script that runs is listed in `allowScripts` (npm 11 warns of the others; npm 12
 * skips them). The bench's own packages (bench/package.json) are held to the second rule only: they
 * run on the bench's Node 22.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, test } from 'vitest';
import { projectRoot } from '../../src/paths.js';

interface LockEntry {
  version?: string;
  optional?: boolean;
  engines?: { node?: string } | string[];
  hasInstallScript?: boolean;
}

const readJson = (path: string) => JSON.parse(readFileSync(join(projectRoot, path), 'utf8'));
const lockedPackages = (lockPath: string): [string, LockEntry][] => Object.entries<LockEntry>(readJson(lockPath).packages).filter(([path]) => path !== '');
const nameOf = (lockPath: string) => lockPath.slice(lockPath.lastIndexOf('node_modules/') + 'node_modules/'.length);

/** What `allowScripts` approves: a name, or a name pinned to versions (`pkg@1.2.3`). */
function approved(allowScripts: Record<string, boolean>, name: string, version: string | undefined): boolean {
  return Object.entries(allowScripts).some(([key, allowed]) => {
    if (!allowed) return false;
    const at = key.lastIndexOf('@');
    if (at <= 0) return key === name;
    return key.slice(0, at) === name && version !== undefined && semver.satisfies(version, key.slice(at + 1));
  });
}

describe('the product install (package-lock.json)', () => {
  const packages = lockedPackages('package-lock.json');

  test('no installed package wants a Node this one is not (npm warns EBADENGINE)', () => {
    // npm skips optional packages whose engines do not match; everything else it installs, and warns.
    const unsupported = packages
      .filter(([, entry]) => !entry.optional && !Array.isArray(entry.engines) && entry.engines?.node)
      .filter(([, entry]) => !semver.satisfies(process.version, (entry.engines as { node: string }).node, { includePrerelease: true }))
      .map(([path, entry]) => `${nameOf(path)}@${entry.version} wants node ${(entry.engines as { node: string }).node}`);
    expect(unsupported, `on Node ${process.version}`).toEqual([]);
  });

  test('the benchmark-only packages are not in it', () => {
    const names = new Set(packages.map(([path]) => nameOf(path)));
    expect(['postgraphile', 'autocannon', 'node'].filter((name) => names.has(name))).toEqual([]);
  });

  test('every install script that runs is approved in allowScripts', () => {
    const { allowScripts = {} } = readJson('package.json');
    const unapproved = packages.filter(([path, entry]) => entry.hasInstallScript && !approved(allowScripts, nameOf(path), entry.version));
    expect(unapproved.map(([path, entry]) => `${nameOf(path)}@${entry.version}`)).toEqual([]);
  });
});

describe("the bench's own install (bench/package-lock.json)", () => {
  test('it holds PostGraphile, autocannon and a Node 22', () => {
    const versions = new Map(lockedPackages('bench/package-lock.json').map(([path, entry]) => [path, entry.version]));
    expect(versions.get('node_modules/postgraphile')).toMatch(/^5\./);
    expect(versions.get('node_modules/autocannon')).toBeDefined();
    expect(versions.get('node_modules/node')).toMatch(/^22\./);
  });

  test('every install script that runs is approved in allowScripts', () => {
    const { allowScripts = {} } = readJson('bench/package.json');
    const unapproved = lockedPackages('bench/package-lock.json').filter(
      ([path, entry]) => entry.hasInstallScript && !approved(allowScripts, nameOf(path), entry.version),
    );
    expect(unapproved.map(([path, entry]) => `${nameOf(path)}@${entry.version}`)).toEqual([]);
  });
});
