import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection.js';
import { adminUrl, databaseUrl } from './urls.js';

export const testDatabaseKind = (process.env.TEST_DB ?? 'pglite') as 'pglite' | 'postgres';

export interface TestDatabase extends DatabaseHandle {
  /** A connection string another process can open (Postgres only). */
  url: string | null;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own; drop() removes it. */
export async function createTestDatabase(options: { poolSize?: number; onQuery?: (sql: string) => void } = {}): Promise<TestDatabase> {
  if (testDatabaseKind === 'pglite') {
    const dump = new Blob([readFileSync(inject('pgliteTemplate'))]);
    const handle = await openDatabase('memory:', { loadDataDir: dump, onQuery: options.onQuery });
    return { ...handle, url: null, drop: () => handle.close() };
  }
  const base = process.env.TEST_DATABASE_URL!;
  const name = `factcheck_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl(base), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${inject('postgresTemplate')}"`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(base, name);
  const handle = await openDatabase(url, { poolSize: options.poolSize ?? 10, onQuery: options.onQuery });
  return {
    ...handle,
    url,
    async drop() {
      await handle.close();
      const dropper = postgres(adminUrl(base), { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
