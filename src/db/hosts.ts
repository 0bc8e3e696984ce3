/**
 * DATABASE_URL naming several hosts with `target_session_attrs=read-write` (or `primary`): every new
 * connection goes to the host that accepts writes now, so that after a failover (the primary gone,
 * a standby promoted) the pool reconnects to the new primary by itself.
 *
 * postgres.js 3.4 reads such a URL but cannot be trusted with it (porsager/postgres#815):
 * - `read-write` looks only at `default_transaction_read_only`, which a hot standby of Postgres 14+
 *   reports `off`: it accepted the standby, and every write failed with "cannot execute INSERT in a
 *   read-only transaction" until the promotion;
 * - while no host fits (the primary down, the standby not yet promoted; or every host down), a
 *   connection attempt neither fails nor waits: it goes round the hosts at once and for ever (its
 *   connect timeout restarts at each host), so requests hung, and the process spun, instead of
 *   the quick 503 a single host gives.
 *
 * So postgres.js is given one host and a `socket` (its option for a socket of our own making): for
 * each connection it opens, all the hosts are asked at once, on a short connection each, whether
 * they are in recovery and whether a session there is read-only; the first to fit wins. When none
 * fits, the connection fails at once with NO_WRITABLE_HOST (src/db/unavailable.ts: a 503 the client
 * may retry), and the pool's back-off (at most 0.5 s) spaces the next attempt. Concurrent attempts
 * share one round of questions.
 */
import net from 'node:net';
import postgres from 'postgres';
import { databaseHosts, type DatabaseHost } from '../model/database-url.js';

type SocketLike = postgres.SocketLike;

/** The `target_session_attrs` values this module serves; anything else (or one host) is left to postgres.js. */
const WRITABLE = new Set(['read-write', 'primary']);

/** What to hand postgres.js: the URL (one host), and the socket that picks it when the URL named several. */
export interface ConnectionTarget {
  url: string;
  options: { socket?: () => Promise<SocketLike> };
}

interface HostState {
  standby: boolean;
  readOnly: boolean;
}

const label = ({ host, port }: DatabaseHost) => `${host}:${port}`;

/** One short connection to `url`: is the server in recovery, is a new session read-only. */
async function askHost(url: string, connectTimeoutMs: number): Promise<HostState> {
  const sql = postgres(url, {
    max: 1,
    connect_timeout: connectTimeoutMs / 1000,
    fetch_types: false,
    prepare: false,
    onnotice: () => {},
    // A host that accepts the connection but never answers the question counts as not answering.
    connection: { application_name: 'factcheck-api host check', statement_timeout: connectTimeoutMs },
  });
  try {
    const [row] = await sql<{ standby: boolean; read_only: string }[]>`
      select pg_is_in_recovery() as standby, current_setting('transaction_read_only') as read_only`;
    return { standby: row!.standby, readOnly: row!.read_only === 'on' };
  } finally {
    await sql.end({ timeout: 0 });
  }
}

/** The error a connection fails with while no host fits. */
export class NoWritableHostError extends Error {
  readonly code = 'NO_WRITABLE_HOST';
}

/**
 * The URL and options postgres.js gets for `url`: unchanged unless it names several hosts with
 * `target_session_attrs=read-write` or `primary` (config.ts allows several hosts only with those).
 */
export function connectionTarget(url: string, connectTimeoutMs: number): ConnectionTarget {
  const parsed = databaseHosts(url);
  if (!parsed || parsed.hosts.length < 2 || !WRITABLE.has(parsed.targetSessionAttrs ?? '')) return { url, options: {} };
  const { hosts, urlOf } = parsed;
  const wanted = parsed.targetSessionAttrs!;
  const fits = (state: HostState) => (wanted === 'primary' ? !state.standby : !state.readOnly);

  let round: Promise<DatabaseHost> | null = null;
  const locate = () =>
    new Promise<DatabaseHost>((resolve, reject) => {
      const why: string[] = [];
      let pending = hosts.length;
      for (const host of hosts) {
        askHost(urlOf(host), connectTimeoutMs)
          .then(
            (state) => {
              if (fits(state)) resolve(host);
              else why.push(`${label(host)} is ${state.standby ? 'in recovery' : 'read-only'}`);
            },
            (error: { code?: string; message?: string }) => why.push(`${label(host)}: ${error.code ?? error.message}`),
          )
          .finally(() => {
            // After a resolve this changes nothing.
            if (--pending === 0) reject(new NoWritableHostError(`no host accepts ${wanted} sessions (${why.join('; ')})`));
          });
      }
    });
  const find = () => (round ??= locate().finally(() => (round = null)));

  async function socket(): Promise<SocketLike> {
    try {
      const found = await find();
      const host = found.host.replace(/^\[(.*)\]$/, '$1');
      // postgres.js reads `host` for TLS's server name, as on the sockets it makes itself.
      // net.Socket is what postgres.js makes itself; its typings' SocketLike spells end() narrower.
      return Object.assign(net.connect(found.port, host), { host }) as unknown as SocketLike;
    } catch (error) {
      // postgres.js 4 fails this connection attempt with it (its queries get NO_WRITABLE_HOST, a 503)
      // and backs off before the next.
      throw error instanceof NoWritableHostError ? error : new NoWritableHostError((error as Error).message);
    }
  }
  return { url: urlOf(hosts[0]!), options: { socket } };
}
