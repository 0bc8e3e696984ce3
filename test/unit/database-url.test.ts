import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { connectionTarget } from '../../src/db/hosts.js';
import { databaseHosts } from '../../src/model/database-url.js';

describe('a DATABASE_URL naming several hosts', () => {
  test('is split into its hosts, its target_session_attrs, and one URL per host', () => {
    const parsed = databaseHosts('postgres://app:p%40ss@db1:5433,db2,[::1]:6000/factcheck?sslmode=require&target_session_attrs=read-write&application_name=x')!;
    expect(parsed.hosts).toEqual([
      { host: 'db1', port: 5433 },
      { host: 'db2', port: 5432 },
      { host: '[::1]', port: 6000 },
    ]);
    expect(parsed.targetSessionAttrs).toBe('read-write');
    expect(parsed.hosts.map(parsed.urlOf)).toEqual([
      'postgres://app:p%40ss@db1:5433/factcheck?sslmode=require&application_name=x',
      'postgres://app:p%40ss@db2:5432/factcheck?sslmode=require&application_name=x',
      'postgres://app:p%40ss@[::1]:6000/factcheck?sslmode=require&application_name=x',
    ]);
    expect(databaseHosts('postgresql://db/x')).toMatchObject({ hosts: [{ host: 'db', port: 5432 }], targetSessionAttrs: null });
    for (const notOne of ['pglite:./x', 'memory:', 'postgres://a,,b/db', 'postgres://a:notaport/db']) expect(databaseHosts(notOne), notOne).toBeNull();
  });

  test('goes to postgres.js as one host and a socket that picks the writable one; one host, or no target, is left as it is', () => {
    const several = connectionTarget('postgres://u@db1:5001,db2:5002/db?target_session_attrs=read-write', 5_000);
    expect(several.url).toBe('postgres://u@db1:5001/db');
    expect(typeof several.options.socket).toBe('function');
    for (const url of [
      'postgres://u@db1:5001/db',
      'postgres://u@db1:5001/db?target_session_attrs=read-write',
      'postgres://u@db1,db2/db?target_session_attrs=standby',
    ])
      expect(connectionTarget(url, 5_000), url).toEqual({ url, options: {} });
  });

  test('needs target_session_attrs=read-write or primary: a start-up error otherwise, without the password', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:pw@db1,db2/db?target_session_attrs=read-write' }).DATABASE_URL).toContain('db1,db2');
    expect(loadConfig({ DATABASE_URL: 'postgres://u:pw@db1,db2/db?target_session_attrs=primary' }).DATABASE_URL).toContain('db1,db2');
    for (const DATABASE_URL of ['postgres://u:s3cret@db1,db2/db', 'postgres://u:s3cret@db1,db2/db?target_session_attrs=any']) {
      expect(() => loadConfig({ DATABASE_URL })).toThrow(/^invalid configuration: DATABASE_URL names 2 hosts: add target_session_attrs=read-write/);
      expect(() => loadConfig({ DATABASE_URL })).not.toThrow(/s3cret/);
    }
  });
});
