/**
 * A `postgres://` URL may name several hosts, libpq's way:
 * `postgres://user:pass@db1:5432,db2:5432/factcheck?target_session_attrs=read-write`. This splits
 * one into its hosts and its `target_session_attrs`, and writes the URL of each host alone (the
 * same user, password, database and parameters, `target_session_attrs` left out). config.ts checks
 * DATABASE_URL with it; src/db/hosts.ts picks the host to connect to.
 */

export interface DatabaseHost {
  /** As written: a name, an IPv4 address or a bracketed IPv6 address (`[::1]`). */
  host: string;
  port: number;
}

export interface DatabaseHosts {
  hosts: DatabaseHost[];
  /** The URL's `target_session_attrs` (read-write, primary…), null when it has none. */
  targetSessionAttrs: string | null;
  /** The URL naming `host` alone, without `target_session_attrs`. */
  urlOf(host: DatabaseHost): string;
}

const DEFAULT_PORT = 5432;

/** The hosts of a `postgres://` or `postgresql://` URL; null for anything else or a host list that cannot be read. */
export function databaseHosts(url: string): DatabaseHosts | null {
  const scheme = /^postgres(ql)?:\/\//.exec(url)?.[0];
  if (!scheme) return null;
  const afterScheme = url.slice(scheme.length);
  const authorityEnd = afterScheme.search(/[/?#]/);
  const authority = authorityEnd === -1 ? afterScheme : afterScheme.slice(0, authorityEnd);
  const rest = authorityEnd === -1 ? '' : afterScheme.slice(authorityEnd);
  const at = authority.lastIndexOf('@');
  const userinfo = at === -1 ? '' : authority.slice(0, at + 1);
  const hostList = authority.slice(at + 1);
  const hosts: DatabaseHost[] = [];
  for (const entry of hostList.split(',')) {
    if (!entry) return null;
    let parsed: URL;
    try {
      parsed = new URL(`postgres://${entry}`);
    } catch {
      return null;
    }
    if (!parsed.hostname) return null;
    hosts.push({ host: parsed.hostname, port: parsed.port ? Number(parsed.port) : DEFAULT_PORT });
  }
  const queryStart = rest.indexOf('?');
  const path = queryStart === -1 ? rest : rest.slice(0, queryStart);
  const params = new URLSearchParams(queryStart === -1 ? '' : rest.slice(queryStart + 1).replace(/#.*$/, ''));
  const targetSessionAttrs = params.get('target_session_attrs');
  params.delete('target_session_attrs');
  const query = params.size ? `?${params.toString()}` : '';
  return {
    hosts,
    targetSessionAttrs,
    urlOf: ({ host, port }) => `${scheme}${userinfo}${host}:${port}${path}${query}`,
  };
}
