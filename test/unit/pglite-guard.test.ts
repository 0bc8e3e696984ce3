/**
 * The embedded database's defences against a full disk (src/db/pglite-guard.ts) without a disk to
 * fill: which statements count as writes, the reserve, and the fence after a PANIC. The real thing,
 * on a tmpfs through the compiled server, is test/integration/disk-full.test.ts.
 */
import { tmpdir } from 'node:os';
import type { PGlite } from '@electric-sql/pglite';
import { expect, test } from 'vitest';
import { EmbeddedDatabaseStopped, freeBytes, isWriteStatement, PgliteGuard, StorageReserveReached, type StorageState } from '../../src/db/pglite-guard.js';
import { hasStopped, isStorageFull } from '../../src/db/unavailable.js';

test('reads and transaction control are not writes; anything that may write a file is', () => {
  const reads = [
    'select "claims"."id", "claims"."updated_at" from "claims" where "claims"."status" = $1',
    '  (select 1) union all (select 2)',
    'with "page" as (select * from "claims") select * from "page"',
    'values (1), (2)',
    'begin',
    'BEGIN ISOLATION LEVEL REPEATABLE READ',
    'commit',
    'rollback',
    'savepoint "sp1"',
    'release savepoint "sp1"',
    'set local lock_timeout = 5000',
    'show server_version',
    'listen "factcheck_access"',
    'select pg_advisory_xact_lock(727271002)',
  ];
  const writes = [
    'insert into "articles" ("id") values (default)',
    'update "api_tokens" set "last_used_at" = $1',
    'DELETE FROM rate_limits WHERE expire < $1',
    'with "moved" as (update "claims" set "version" = 2 returning *) select * from "moved"',
    'select * from "claims" where "id" = $1 for update',
    'select * from "webhook_deliveries" for no key update skip locked',
    'select * from "claims" for share',
    "select nextval('some_seq')",
    'create table t (id int)',
    'vacuum analyze articles',
    'truncate claims',
    'copy claims from stdin',
    'lock table claims',
    'notify factcheck_access',
    'something we never send',
  ];
  for (const sql of reads) expect(isWriteStatement(sql), sql).toBe(false);
  for (const sql of writes) expect(isWriteStatement(sql), sql).toBe(true);
});

/** Enough of PGlite for the guard: the three protocol entry points, one of them failing as told. */
function fakePglite() {
  const calls: string[] = [];
  let failWith: unknown = null;
  const client = {
    execProtocolRawSync: (message: Uint8Array) => {
      calls.push('raw');
      return message;
    },
    execProtocolStream: async () => {
      calls.push('stream');
      if (failWith) throw failWith;
      return [];
    },
    execProtocol: async () => {
      calls.push('protocol');
      return { messages: [], data: new Uint8Array() };
    },
  };
  return { client: client as unknown as PGlite, calls, fail: (error: unknown) => (failWith = error) };
}

test('the reserve: below it, writes are refused as disk_full (53100) and reads pass; the change is told once each way', () => {
  const { client } = fakePglite();
  const told: StorageState[] = [];
  const dataDir = tmpdir();
  let minFreeBytes = freeBytes(dataDir) + 1024 ** 4; // more than there is: below the reserve
  const guard = new PgliteGuard(client, {
    dataDir,
    get minFreeBytes() {
      return minFreeBytes;
    },
    onStorageChange: (state) => told.push(state),
  });
  expect(() => guard.admit('select 1')).not.toThrow();
  const refusal = (() => {
    try {
      guard.admit('insert into "articles" default values');
    } catch (error) {
      return error;
    }
  })();
  expect(refusal).toBeInstanceOf(StorageReserveReached);
  expect(isStorageFull(refusal)).toBe(true);
  expect(String((refusal as Error).message)).toMatch(/MB free, less than PGLITE_MIN_FREE_MB \(\d+ MB\): writes are refused until space is freed/);
  expect(() => guard.admit('update "claims" set "version" = 1')).toThrow(StorageReserveReached);
  minFreeBytes = 1; // space freed
  expect(() => guard.admit('insert into "articles" default values')).not.toThrow();
  expect(told.map((s) => s.full)).toEqual([true, false]);
});

test('no reserve (0): nothing is refused, however full the disk', () => {
  const guard = new PgliteGuard(fakePglite().client, { dataDir: '/no/such/folder', minFreeBytes: 0 });
  expect(() => guard.admit('insert into "articles" default values')).not.toThrow();
});

test('the fence: after a PANIC, PGlite is never entered again and every statement fails as stopped', async () => {
  const { client, calls, fail } = fakePglite();
  const stopped: Error[] = [];
  const guard = new PgliteGuard(client, { dataDir: tmpdir(), minFreeBytes: 0, onStopped: (error) => stopped.push(error) });
  await client.execProtocolStream(new Uint8Array());
  expect(guard.stopped).toBeNull();

  // An ERROR is the statement's own: PGlite goes on.
  const error = Object.assign(new Error('could not extend file'), { code: '53100', severity: 'ERROR' });
  fail(error);
  await expect(client.execProtocolStream(new Uint8Array())).rejects.toBe(error);
  expect(guard.stopped).toBeNull();

  const panic = Object.assign(new Error('could not write to file "pg_wal/xlogtemp.42": No space left on device'), { code: '53100', severity: 'PANIC' });
  fail(panic);
  const met = await client.execProtocolStream(new Uint8Array()).catch((e: unknown) => e);
  expect(met).toBeInstanceOf(EmbeddedDatabaseStopped);
  expect((met as Error).cause).toBe(panic);
  expect(hasStopped(met)).toBe(true);
  expect(stopped).toEqual([panic]);
  expect((met as Error).message).toContain('stopped after a PANIC (could not write to file "pg_wal/xlogtemp.42": No space left on device)');

  const before = calls.length;
  expect(() => client.execProtocolRawSync(new Uint8Array())).toThrow(EmbeddedDatabaseStopped);
  expect(() => guard.admit('select 1')).toThrow(EmbeddedDatabaseStopped);
  expect(calls.length).toBe(before); // the fenced entry point never reached the real one
  expect(guard.stopped).toBe(met);
});
