// The bench's data set in an embedded (PGlite) data folder, copied table by table from the Postgres
// database `npm run bench` builds (factcheck_bench): PGlite takes no COPY FROM STDIN, so each table
// leaves Postgres as `COPY (select …) TO STDOUT` (text format) and enters PGlite as `COPY … FROM
// '/dev/blob'`, in slices of at most SLICE_BYTES cut at row ends. The folder is migrated by the
// project's own code first (openDatabase(...).migrate(), as a server start does), every table
// emptied (the migrations' default rows come from the source too), secondary indexes dropped during
// the load and rebuilt after, sequences set past their largest value, and the change feed's offset
// set as db:move sets it. A marker file written last says what the folder holds; a folder without
// it, or with another, is rebuilt.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from './db.mjs';

const MARKER_FILE = 'bench-marker.json';
const SLICE_BYTES = 16 << 20;
/** Filled by a trigger on fact_checks as their rows arrive (ENABLE ALWAYS); written below (db:move's rule). */
const NOT_COPIED = new Set(['search_configs_in_use', 'change_feed_offset']);
const ident = (name) => `"${name.replace(/"/g, '""')}"`;

/** What the folder at `folder` holds (its marker), or null if it is not a complete build. */
export function folderMarker(folder) {
  const file = join(folder, MARKER_FILE);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

/** The source database's marker (COMMENT ON DATABASE, written by lib/db.mjs after a complete load); null if it is missing or incomplete. */
export async function sourceMarker(name) {
  const admin = connect('postgres');
  try {
    const [row] = await admin`select shobj_description(oid, 'pg_database') as marker from pg_database where datname = ${name}`;
    return row?.marker ?? null;
  } finally {
    await admin.end();
  }
}

/** Streams `COPY (select selects from table) TO STDOUT` of the source into PGlite's `columns`, slice by slice. */
async function copyTable(source, pglite, table, columns, selects) {
  const list = columns.map(ident).join(', ');
  const readable = await source.unsafe(`copy (select ${selects.join(', ')} from ${ident(table)}) to stdout`).readable();
  let pending = [];
  let pendingBytes = 0;
  let bytes = 0;
  const flush = async (last) => {
    if (!pendingBytes) return;
    const all = Buffer.concat(pending);
    const cut = last ? all.length : all.lastIndexOf(0x0a) + 1; // rows end in \n; a row's own newlines are escaped
    if (cut > 0) await pglite.query(`copy ${ident(table)} (${list}) from '/dev/blob'`, [], { blob: new Blob([all.subarray(0, cut)]) });
    pending = cut < all.length ? [all.subarray(cut)] : [];
    pendingBytes = all.length - cut;
  };
  for await (const chunk of readable) {
    pending.push(chunk);
    pendingBytes += chunk.length;
    bytes += chunk.length;
    if (pendingBytes >= SLICE_BYTES) await flush(false);
  }
  await flush(true);
  return bytes;
}

const one = async (pglite, text) => (await pglite.query(text)).rows[0];

/**
 * (Re)builds `folder` from the Postgres database `sourceName`. Returns the marker written. Opens the
 * folder through the project's openDatabase (its lock, its migrations); nothing may hold it.
 */
export async function buildEmbeddedFolder(folder, sourceName, log) {
  const marker = await sourceMarker(sourceName);
  if (!marker)
    throw new Error(`the database ${sourceName} is missing or incomplete: build it with \`npm run bench\` (or wait for the run building it to finish)`);
  rmSync(folder, { recursive: true, force: true });
  const started = Date.now();
  const { openDatabase } = await import('../../dist/src/db/connection.js');
  const handle = await openDatabase(`pglite:${folder}`, { minFreeBytes: 0 });
  const source = connect(sourceName, { max: 1 });
  try {
    await handle.migrate();
    const pglite = handle.db.$client;
    const tables = (
      await pglite.query(
        `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r' order by 1`,
      )
    ).rows.map((r) => r.name);
    const columns = (
      await pglite.query(
        `select table_name, column_name from information_schema.columns where table_schema = 'public' and is_generated = 'NEVER' order by table_name, ordinal_position`,
      )
    ).rows;
    const counts = Object.fromEntries(
      (await source`select relname, n_live_tup::int as n from pg_stat_user_tables where schemaname = 'public'`).map((r) => [r.relname, r.n]),
    );
    // Secondary indexes (not those backing a constraint) are built once after the load, not row by row.
    const indexes = (
      await pglite.query(`select i.indexname, i.indexdef from pg_indexes i where i.schemaname = 'public'
        and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`)
    ).rows;
    await pglite.exec(`truncate ${tables.map(ident).join(', ')}`);
    for (const { indexname } of indexes) await pglite.exec(`drop index ${ident(indexname)}`);
    // The source is consistent: no foreign-key checks row by row (ENABLE ALWAYS triggers still fire).
    await pglite.exec(`set session_replication_role = replica`);
    // The change feed's positions stay valid (db:move's rule): what the source handed out keeps its
    // value, and the offset puts every position PGlite writes after all of them.
    const [{ v: sourceOffset }] = await source`select coalesce((select position_offset from change_feed_offset), 0)::int8::text as v`;
    const [{ v: sourceNext }] = await source`select (pg_snapshot_xmax(pg_current_snapshot())::text)::bigint::text as v`;
    const { v: ownNext } = await one(pglite, `select (pg_snapshot_xmax(pg_current_snapshot())::text)::bigint::text as v`);
    const shift = Math.max(0, Number(sourceNext) + Number(sourceOffset) + 1 - Number(ownNext));
    let totalBytes = 0;
    for (const table of tables.filter((t) => !NOT_COPIED.has(t))) {
      const names = columns.filter((c) => c.table_name === table).map((c) => c.column_name);
      const selects = names.map((c) => (table === 'fact_check_changes' && c === 'xid' ? `xid + ${Number(sourceOffset)} - ${shift} as xid` : ident(c)));
      const t = Date.now();
      const bytes = await copyTable(source, pglite, table, names, selects);
      totalBytes += bytes;
      if (bytes) log(`  ${table}: ~${counts[table] ?? '?'} rows, ${(bytes / 1048576).toFixed(1)} MiB in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    await pglite.exec(`set session_replication_role = origin`);
    await pglite.query(`insert into change_feed_offset (position_offset) values ($1)`, [shift]);
    log(`  rebuilding ${indexes.length} secondary indexes`);
    const t = Date.now();
    await pglite.exec(`set maintenance_work_mem = '256MB'`);
    for (const { indexdef } of indexes) await pglite.exec(indexdef);
    log(`  indexes built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    for (const { table_name: table, column_name: column } of (
      await pglite.query(`select table_name, column_name from information_schema.columns where table_schema = 'public' and column_default like 'nextval(%'`)
    ).rows) {
      await pglite.exec(
        `select setval(pg_get_serial_sequence('${ident(table)}', '${column}'), coalesce(max(${ident(column)}), 0) + 1, false) from ${ident(table)}`,
      );
    }
    // As lib/db.mjs does for Postgres: the visibility map set, the statistics there (PGlite runs no autovacuum).
    await pglite.exec('vacuum (analyze)');
    // Row counts against the source's.
    for (const table of tables.filter((t) => !NOT_COPIED.has(t))) {
      const [{ n: expected }] = await source.unsafe(`select count(*)::int as n from ${ident(table)}`);
      const { n } = await one(pglite, `select count(*)::int as n from ${ident(table)}`);
      if (n !== expected) throw new Error(`${table}: ${expected} rows in ${sourceName}, ${n} in the embedded folder`);
    }
    await handle.migrate(); // what a start fills in after the migrations, here rather than in a measured start
    const built = { source: sourceName, marker, bytesCopied: totalBytes, seconds: Math.round((Date.now() - started) / 1000) };
    await handle.close(); // a clean stop: PGlite checkpoints
    writeFileSync(join(folder, MARKER_FILE), JSON.stringify(built));
    return built;
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  } finally {
    await source.end();
  }
}
