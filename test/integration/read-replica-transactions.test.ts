/**
 * A transaction on the partner-read database (src/db/read-replica.ts): it runs wholly on one server,
 * the one partner reads go to when it begins, and falls back to the primary as a statement does: when
 * the lag check found the replica down, and when the replica fails to give it a connection. (None of
 * the partner reads opens a transaction today; this is what one would get.)
 *
 * No standby is needed: the "replica" is this test's own database, which is current by definition (it
 * is not in recovery), reached directly or through a TCP proxy the test closes, or a port nobody
 * listens on. Which server ran the transaction: its connection's application_name (the replica's pool
 * says "partner reads"). The standby itself: read-replica.test.ts. Postgres project only.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { openReadReplica, type FallbackCause, type ReadDatabases } from '../../src/db/read-replica.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/database.js';
import { freePort } from '../support/pg-cluster.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

const silent = { info: () => {}, warn: () => {} };

/** Which pool's connection ran a transaction on `db`: its application_name. */
const transactionOn = (db: Database) =>
  db.transaction(async (tx) => {
    const [row] = (await tx.execute(sql`select current_setting('application_name') as app`)) as unknown as { app: string }[];
    return row!.app;
  });

describe.runIf(testDatabaseKind === 'postgres')('a transaction on the partner-read database', () => {
  let testDb: TestDatabase;
  const opened: ReadDatabases[] = [];

  /** Partner reads on `replicaUrl`; a lag check only at start (the test decides when the replica goes away). */
  async function partnerReadsOn(replicaUrl: string): Promise<ReadDatabases> {
    const reads = await openReadReplica(testDb, replicaUrl, { maxLagMs: 60_000, checkIntervalMs: 600_000, connectTimeoutMs: 2_000, poolSize: 2, log: silent });
    opened.push(reads);
    return reads;
  }

  beforeAll(async () => {
    testDb = await createTestDatabase({ poolSize: 2 });
  });
  afterAll(async () => {
    for (const reads of opened) await reads.close();
    await testDb?.drop();
  });

  test('with the replica up, it runs on the replica', async () => {
    const reads = await partnerReadsOn(testDb.url!);
    expect(reads.status()).toMatchObject({ target: 'replica', reason: null });
    expect(await transactionOn(reads.partner)).toBe('factcheck-api partner reads');
  });

  test('with the replica found down by the lag check, it runs on the primary', async () => {
    const reads = await partnerReadsOn(`postgres://postgres@127.0.0.1:${await freePort()}/nowhere`);
    expect(reads.status()).toMatchObject({ target: 'primary', reason: 'down' });
    expect(await transactionOn(reads.partner)).toBe('factcheck-api');
  });

  test('with the replica gone since the last check, the connection comes from the primary, and the replica is marked down', async () => {
    const target = new URL(testDb.url!);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const reads = await partnerReadsOn(proxy.via(testDb.url!));
    expect(reads.status()).toMatchObject({ target: 'replica', reason: null });
    const fallbacks: FallbackCause[] = [];
    reads.onFallback((cause) => fallbacks.push(cause));
    await proxy.close(); // the partner-read pool has no connection yet: its next one is refused

    expect(await transactionOn(reads.partner)).toBe('factcheck-api');
    expect(reads.status()).toMatchObject({ target: 'primary', reason: 'down' });
    expect(fallbacks).toEqual(['down']);
  });
});
