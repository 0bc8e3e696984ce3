/**
 * Migrates one template database per test run, so each test file gets a fresh copy quickly:
 * a PGlite dump file, or a Postgres database used as CREATE DATABASE … TEMPLATE.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { dumpPglite, openDatabase } from '../../src/db/connection.js';
import { adminUrl, databaseUrl } from './urls.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const kind = project.config.env?.TEST_DB ?? 'pglite';
  if (kind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'factcheck-test-'));
    const handle = await openDatabase('memory:');
    await handle.migrate();
    const dump = await dumpPglite(handle);
    await handle.close();
    const file = join(dir, 'template.tar');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    project.provide('pgliteTemplate', file);
    return () => rmSync(dir, { recursive: true, force: true });
  }
  const base = process.env.TEST_DATABASE_URL!;
  const template = `factcheck_tpl_${process.pid}_${Date.now()}`;
  const admin = postgres(adminUrl(base), { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${template}"`);
  const handle = await openDatabase(databaseUrl(base, template));
  await handle.migrate();
  await handle.close();
  project.provide('postgresTemplate', template);
  return async () => {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    await admin.end();
  };
}
