/**
 * A throw-away PostgreSQL cluster of the test's own (never the shared server at 5432): initdb into
 * a fresh temporary folder, pg_ctl on a free port, its socket in that folder. Tests run as root,
 * and Postgres refuses to: every binary then runs as the postgres OS user (runuser), and the folder
 * is handed to that user. createStandby() makes a hot standby of one (pg_basebackup -R),
 * makeSynchronous() the primary's synchronous standby; promote() makes a standby the primary.
 * destroy() stops the cluster (kill -9 of its postmaster if pg_ctl cannot) and removes the folder.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

export interface Cluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  folder: string;
  /** pg_ctl stop -m <mode>; resolves once the server is down. */
  stop(mode: 'fast' | 'immediate' | 'smart'): Promise<void>;
  /** pg_ctl start; resolves once it accepts connections. */
  start(): Promise<void>;
  /** pg_ctl promote (a standby leaves recovery); resolves once it accepts writes. */
  promote(): Promise<void>;
  /** Stops it whatever state it is in and removes its folder; safe to call twice. */
  destroy(): Promise<void>;
}

/** The folder holding initdb and pg_ctl: PG_BINDIR, pg_config --bindir, or the newest /usr/lib/postgresql/<major>/bin. */
export function postgresBinaries(): string {
  const candidates: string[] = [];
  if (process.env.PG_BINDIR) candidates.push(process.env.PG_BINDIR);
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // no pg_config on PATH
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian))
    candidates.push(
      ...readdirSync(debian)
        .sort((a, b) => Number(b) - Number(a))
        .map((major) => join(debian, major, 'bin')),
    );
  const found = candidates.find((bin) => existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl')));
  if (!found)
    throw new Error(`initdb and pg_ctl not found (looked in ${candidates.join(', ') || 'nothing'}); install the PostgreSQL server package or set PG_BINDIR`);
  return found;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
  });
}

interface Folder {
  bin: string;
  folder: string;
  data: string;
  log: string;
  /** Runs a PostgreSQL binary (as the postgres OS user when we are root); a failure carries the log's tail. */
  run(tool: string, args: string[]): Promise<void>;
}

/** A fresh temporary folder owned by the user Postgres runs as, with its data folder and log inside. */
function newFolder(): Folder {
  const bin = postgresBinaries();
  const asRoot = process.getuid?.() === 0;
  const folder = mkdtempSync(join(tmpdir(), 'factcheck-pg-cluster-'));
  const data = join(folder, 'data');
  const log = join(folder, 'postgres.log');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(folder, uid, gid);
  }
  // Asynchronous: the test's load and /readyz polls go on while pg_ctl waits.
  const run = async (tool: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    try {
      await promisify(execFile)(file, argv, { encoding: 'utf8', timeout: 60_000 });
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string; message: string };
      const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '';
      throw new Error(`${tool} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}\npostgres.log:\n${tail}`);
    }
  };
  return { bin, folder, data, log, run };
}

/** The Cluster of a data folder, on `port` (not started). */
function clusterOf({ folder, data, log, run }: Folder, port: number): Cluster {
  let destroyed = false;
  const cluster: Cluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    folder,
    start: () => run('pg_ctl', ['start', '-D', data, '-l', log, '-w', '-t', '60', '-o', `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1`]),
    stop: (mode) => run('pg_ctl', ['stop', '-D', data, '-m', mode, '-w', '-t', '60']),
    promote: () => run('pg_ctl', ['promote', '-D', data, '-w', '-t', '60']),
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      const pidFile = join(data, 'postmaster.pid');
      if (existsSync(pidFile)) {
        try {
          await cluster.stop('immediate');
        } catch {
          const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
          if (pid > 0) process.kill(pid, 'SIGKILL');
        }
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
  return cluster;
}

export async function createCluster(): Promise<Cluster> {
  const folder = newFolder();
  const cluster = clusterOf(folder, await freePort());
  try {
    // initdb's pg_hba.conf trusts replication connections from localhost too (-A trust), and
    // wal_level defaults to replica: a standby can be made from it as it is.
    await folder.run('initdb', ['-D', folder.data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    await cluster.start();
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  return cluster;
}

/**
 * A hot standby of `primary`, in a folder and on a free port of its own: `pg_basebackup -R` (which
 * writes standby.signal and primary_conninfo) streaming from the primary, then started; resolves
 * once it accepts read-only connections. `applicationName` goes into primary_conninfo: the name the
 * primary's synchronous_standby_names knows it by. destroy() stops it and removes its folder.
 */
export async function createStandby(primary: Cluster, { applicationName }: { applicationName?: string } = {}): Promise<Cluster> {
  const folder = newFolder();
  const cluster = clusterOf(folder, await freePort());
  try {
    await folder.run('pg_basebackup', [
      '-D',
      folder.data,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
      '--no-sync',
      '-h',
      '127.0.0.1',
      '-p',
      String(primary.port),
      '-U',
      'postgres',
      ...(applicationName ? ['-d', `application_name=${applicationName}`] : []),
    ]);
    await cluster.start();
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  return cluster;
}

/**
 * Makes the standby that connects as `applicationName` (createStandby's option) the synchronous
 * standby of `primary`: from then on a commit there returns only once the standby has flushed it.
 * Set with ALTER SYSTEM after the standby was copied, not before: a copy would inherit the setting,
 * and once promoted wait for a standby of its own that does not exist, hanging every commit.
 * Resolves once pg_stat_replication says `sync`.
 */
export async function makeSynchronous(primary: Cluster, applicationName: string): Promise<void> {
  const sql = postgres(primary.url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`alter system set synchronous_standby_names = '"${applicationName.replace(/["']/g, '')}"'`);
    await sql`select pg_reload_conf()`;
    for (let tries = 0; ; tries++) {
      const rows = await sql`select sync_state from pg_stat_replication where application_name = ${applicationName}`;
      if (rows[0]?.sync_state === 'sync') return;
      if (tries > 600) throw new Error(`${applicationName} never became a synchronous standby: ${JSON.stringify(rows)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}
