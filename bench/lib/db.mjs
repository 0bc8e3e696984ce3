// Bench databases: created, migrated by the project's own code, bulk-loaded with COPY, reused when
// their marker (a COMMENT ON DATABASE written only after a complete load) matches.
import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';

export const PG_BASE = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const dbUrl = (name) => `${PG_BASE}/${name}`;
export const connect = (name, options = {}) =>
  postgres(dbUrl(name), { max: 1, onnotice: () => {}, connection: { application_name: 'factcheck-bench' }, ...options });

/** Creates the empty database `name` (a run's own, dropped at its end: dropDatabase). */
export async function createDatabase(name) {
  const admin = connect('postgres');
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
}

/** Drops the database `name` if it is there, whoever is connected to it. */
export async function dropDatabase(name) {
  const admin = connect('postgres');
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}

/** Applies the project's migrations (drizzle/), as the server does on start. */
async function migrate(name) {
  const { openDatabase } = await import('../../dist/src/db/connection.js');
  const handle = await openDatabase(dbUrl(name), { poolSize: 1 });
  try {
    await handle.migrate();
  } finally {
    await handle.close();
  }
}

/** The database `name` with data described by `marker`: reused (and migrated), or (re)built by `build(sql)`. */
export async function ensureDatabase(name, marker, { fresh, build, log }) {
  const admin = connect('postgres');
  try {
    const [row] = await admin`select shobj_description(oid, 'pg_database') as marker from pg_database where datname = ${name}`;
    if (row && row.marker === marker && !fresh) {
      log(`reusing database ${name} (${marker})`);
      await migrate(name); // a migration added since the data was loaded runs now, not inside a measured server start
      return { reused: true };
    }
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  await migrate(name);

  const started = Date.now();
  const sql = connect(name, { max: 2 });
  try {
    await build(sql);
    // VACUUM as well as ANALYZE: after a COPY load the visibility map is empty, so every index-only
    // scan would visit the heap until autovacuum came by; a database in steady state has it set.
    await sql`vacuum (analyze)`;
    await sql.unsafe(`comment on database "${name}" is '${marker.replace(/'/g, "''")}'`);
  } finally {
    await sql.end();
  }
  await migrate(name); // what start-up fills in after the migrations (articles' normalised URLs), here rather than in a measured start
  log(`built database ${name} (${marker}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { reused: false };
}

const escapeCopy = (v) => {
  if (v === null || v === undefined) return '\\N';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
};

/** COPY `rows` (arrays in `columns` order) into `table` over one reserved connection. */
export async function copyRows(sql, table, columns, rows) {
  if (!rows.length) return;
  const conn = await sql.reserve();
  try {
    // The generated rows are consistent by construction: skip the per-row FK triggers while loading.
    await conn`set session_replication_role = replica`;
    const stream = await conn.unsafe(`copy "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) from stdin`).writable();
    async function* lines() {
      let chunk = '';
      for (const row of rows) {
        chunk += row.map(escapeCopy).join('\t') + '\n';
        if (chunk.length > 1 << 16) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    }
    await pipeline(Readable.from(lines()), stream);
  } finally {
    await conn`set session_replication_role = origin`;
    conn.release();
  }
}

/**
 * Runs `load` with the secondary indexes of `tables` dropped, then rebuilds them (two at a time, one
 * per core): building an index once is much faster than maintaining it row by row. Indexes that back
 * constraints (primary keys, UNIQUE) stay.
 */
export async function withoutSecondaryIndexes(sql, tables, load) {
  const defs = await sql`
    select i.indexname, i.indexdef from pg_indexes i
    where i.schemaname = 'public' and i.tablename = any(${tables})
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`;
  for (const d of defs) await sql.unsafe(`drop index "${d.indexname}"`);
  await load();
  const queue = [...defs];
  const worker = async () => {
    for (let d; (d = queue.shift());) {
      await sql.begin(async (tx) => {
        await tx`set local maintenance_work_mem = '1GB'`;
        await tx.unsafe(d.indexdef);
      });
    }
  };
  await Promise.all([worker(), worker()]);
}

/** pg_stat_statements counts every statement a server sends, the same way for every target. */
export async function ensurePgStatStatements(log) {
  const admin = connect('postgres');
  try {
    const [{ shared_preload_libraries: libs }] = await admin`show shared_preload_libraries`;
    if (
      libs
        .split(',')
        .map((s) => s.trim())
        .includes('pg_stat_statements')
    )
      return;
    const list = [
      ...libs
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      'pg_stat_statements',
    ].join(',');
    log(`enabling pg_stat_statements (shared_preload_libraries = '${list}') and restarting PostgreSQL 15/main`);
    await admin.unsafe(`alter system set shared_preload_libraries = '${list}'`);
  } finally {
    await admin.end();
  }
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', '15', 'main', 'restart'], { stdio: 'inherit' });
  for (let i = 0; i < 60; i++) {
    try {
      const probe = connect('postgres');
      await probe`select 1`;
      await probe.end();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error('PostgreSQL did not come back after the restart');
}

/** Statement counters of one database, without the bench's own queries. */
export function statementCounter(name) {
  const sql = connect(name);
  const own = `query not ilike '%pg_stat_statements%'`;
  return {
    async reset() {
      await sql`create extension if not exists pg_stat_statements`;
      await sql`select pg_stat_statements_reset(0, (select oid from pg_database where datname = ${name}), 0)`;
    },
    async total() {
      const [row] = await sql.unsafe(
        `select coalesce(sum(calls), 0)::bigint as calls from pg_stat_statements
         where dbid = (select oid from pg_database where datname = $1) and ${own}`,
        [name],
      );
      return Number(row.calls);
    },
    /** The statements that took the most time, for the report. */
    async top(limit = 5) {
      return sql.unsafe(
        `select calls, round(mean_exec_time::numeric, 2)::float8 as mean_ms, round(max_exec_time::numeric, 2)::float8 as max_ms, query
         from pg_stat_statements where dbid = (select oid from pg_database where datname = $1) and ${own}
         order by total_exec_time desc limit $2`,
        [name, limit],
      );
    },
    end: () => sql.end(),
    sql,
  };
}
