/** Which reads may go to the read replica, and the settings that configure it (pure: no database). */
import { parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/connection.js';
import type { ReadDatabases } from '../../src/db/read-replica.js';
import { requestDatabase } from '../../src/domain/request-database.js';
import { onlyPartnerReads } from '../../src/server/read-routing.js';

const partnerReadsOnly = (source: string) => {
  const document = parse(source);
  return onlyPartnerReads(document, document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode);
};

describe('a GraphQL operation goes to the replica only when every root field is a partner read', () => {
  test.each([
    ['{ factChecks { totalCount } }', true],
    ['query($id: ID!) { factCheck(id: $id) { id } factChecks { totalCount } __typename }', true],
    ['{ factCheckChanges { pageInfo { endCursor } } }', true],
    ['{ ...Feed } fragment Feed on Query { factCheckChanges { pageInfo { endCursor } } ... on Query { factChecks { totalCount } } }', true],
    ['{ factChecks { totalCount } webhookEndpoints { totalCount } }', false],
    ['{ factChecks { totalCount } viewer { name } }', false],
    ['{ ...Mixed } fragment Mixed on Query { factChecks { totalCount } claims { totalCount } }', false],
    ['{ ...Missing }', false],
    ['{ claims { totalCount } }', false],
    ['mutation($i: PublishFactCheckInput!) { publishFactCheck(input: $i) { factCheck { id } } }', false],
    ['subscription { factChecks { totalCount } }', false],
    ['{ corrections { totalCount } organization { name } }', true],
    ['{ corrections { totalCount } factChecks { totalCount } }', true],
    ['mutation($i: SetOrganizationInput!) { setOrganization(input: $i) { organization { name } } }', false],
  ])('%s → %s', (source, expected) => {
    expect(partnerReadsOnly(source)).toBe(expected);
  });

  test('staff read the primary; partners and anonymous readers (the public pages) the partner-read database', () => {
    const reads = { primary: 'primary' as unknown as Database, partner: 'partner' as unknown as Database } as ReadDatabases;
    const viewer = (role: 'ADMIN' | 'EDITOR' | 'REVIEWER' | 'PARTNER') => ({ id: 'u', name: 'n', role });
    expect(['ADMIN', 'EDITOR', 'REVIEWER', 'PARTNER'].map((role) => requestDatabase({ reads }, viewer(role as never), 'partner-read'))).toEqual([
      'primary',
      'primary',
      'primary',
      'partner',
    ]);
    expect(requestDatabase({ reads }, null, 'partner-read')).toBe('partner');
  });

  test('anything but a partner read goes to the primary; a request with its own transaction runs wholly in it', () => {
    const reads = { primary: 'primary' as unknown as Database, partner: 'partner' as unknown as Database } as ReadDatabases;
    const transaction = 'transaction' as unknown as Database;
    for (const viewer of [null, { id: 'u', name: 'n', role: 'PARTNER' as const }, { id: 'u', name: 'n', role: 'EDITOR' as const }]) {
      expect(requestDatabase({ reads }, viewer, 'read-write')).toBe('primary');
      expect(requestDatabase({ reads, transaction }, viewer, 'read-write')).toBe('transaction');
      expect(requestDatabase({ reads, transaction }, viewer, 'partner-read')).toBe('transaction');
    }
  });
});

describe('DATABASE_READ_URL and the replica settings', () => {
  test('defaults: no replica, 5 s of lag allowed, checked every second', () => {
    const defaults = loadConfig({});
    expect(defaults.DATABASE_READ_URL).toBeUndefined();
    expect(defaults).toMatchObject({ REPLICA_MAX_LAG_MS: 5_000, REPLICA_CHECK_INTERVAL_MS: 1_000 });
    expect(loadConfig({ DATABASE_URL: 'postgres://p@primary/db', DATABASE_READ_URL: 'postgresql://p@standby/db', REPLICA_MAX_LAG_MS: '0' })).toMatchObject({
      DATABASE_READ_URL: 'postgresql://p@standby/db',
      REPLICA_MAX_LAG_MS: 0,
    });
  });

  test('a replica of an embedded database is a start-up error, and the URL (it may hold a password) is not repeated', () => {
    for (const DATABASE_URL of ['memory:', 'pglite:./.data/x', undefined]) {
      expect(() => loadConfig({ DATABASE_URL, DATABASE_READ_URL: 'postgres://user:s3cret@standby/db' })).toThrow(
        /DATABASE_READ_URL must be postgres:\/\/… .*DATABASE_URL is embedded/,
      );
    }
    expect(() => loadConfig({ DATABASE_URL: 'memory:', DATABASE_READ_URL: 'postgres://user:s3cret@standby/db' })).not.toThrow(/s3cret/);
  });

  test('invalid values name the variable and its rule', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://p@primary/db', DATABASE_READ_URL: 'mysql://user:s3cret@standby/db' })).toThrow(
      /^invalid configuration: DATABASE_READ_URL must be postgres:\/\/…[^"]*$/,
    );
    expect(() => loadConfig({ REPLICA_MAX_LAG_MS: '-1' })).toThrow(/REPLICA_MAX_LAG_MS must be an integer number of milliseconds, 0 or more \(got "-1"\)/);
    expect(() => loadConfig({ REPLICA_CHECK_INTERVAL_MS: '10' })).toThrow(
      /REPLICA_CHECK_INTERVAL_MS must be an integer number of milliseconds from 50 to 600000/,
    );
  });
});
