/**
 * npm run db:move -- --to postgres://… [--from <folder or db:backup file>]
 *
 * Copies an embedded (PGlite) database into an empty PostgreSQL database, both migrated to this
 * code's level first: every table (COPY, in foreign-key order, in one transaction: a failure leaves
 * the target as it was), sequences past their maximum, the normalised-URL columns filled. Tokens
 * are rows like any other, so they stay valid; webhook endpoints and pending deliveries come along.
 *
 * The change feed's positions are transaction IDs of the source, which mean nothing in the target
 * (a new cluster counts from far below them). The move keeps every position a partner was handed:
 * the copied changes keep their positions, and change_feed_offset makes every change written in the
 * target afterwards come after all of them (src/domain/change-feed/feed.ts).
 */
import 'reflect-metadata';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { openDatabase, type DatabaseHandle } from '../src/db/connection.js';
import { backupBlob, folderOf, holdsDatabase, parseArgs } from './data-folder.js';
import { rowProgress } from './progress.js';

/** Filled by a trigger on fact_checks as their rows arrive; change_feed_offset is written by the move itself. */
const NOT_COPIED = new Set(['search_configs_in_use', 'change_feed_offset']);

async function openSource(from: string): Promise<DatabaseHandle> {
  const path = resolve(from);
  const info = await stat(path).catch(() => null);
  if (info?.isFile()) {
    const dump = backupBlob(await readFile(path));
    if (!dump) throw new Error(`${path} is neither a folder nor a db:backup file`);
    return openDatabase('memory:', { loadDataDir: dump });
  }
  if (!holdsDatabase(path)) throw new Error(`${path} holds no embedded database (no PG_VERSION)`);
  // The folder's lock refuses this while a server runs on it: stop the server, or move a db:backup file.
  return openDatabase(`pglite:${path}`);
}

interface TableInfo {
  name: string;
  columns: string[];
  rows: number;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The source's tables, parents before children (a table's own self-reference is checked at the end of its COPY). */
async function tablesInOrder(source: PGlite): Promise<TableInfo[]> {
  const { rows: tables } = await source.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r' order by 1`,
  );
  const { rows: edges } = await source.query<{ child: string; parent: string }>(
    `select cl.relname as child, pa.relname as parent from pg_constraint k join pg_class cl on cl.oid = k.conrelid join pg_class pa on pa.oid = k.confrelid
     join pg_namespace n on n.oid = k.connamespace where k.contype = 'f' and n.nspname = 'public'`,
  );
  const { rows: columns } = await source.query<{ table_name: string; column_name: string }>(
    `select table_name, column_name from information_schema.columns where table_schema = 'public' and is_generated = 'NEVER' order by table_name, ordinal_position`,
  );
  const ordered: string[] = [];
  const placing = new Set<string>();
  const place = (name: string) => {
    if (ordered.includes(name)) return;
    if (placing.has(name)) throw new Error(`the foreign keys between tables form a cycle through ${name}; db:move cannot order them`);
    placing.add(name);
    for (const edge of edges) if (edge.child === name && edge.parent !== name) place(edge.parent);
    ordered.push(name);
  };
  for (const { name } of tables) place(name);
  const infos: TableInfo[] = [];
  for (const name of ordered.filter((n) => !NOT_COPIED.has(n))) {
    const { rows } = await source.query<{ n: string }>(`select count(*)::text as n from ${ident(name)}`);
    infos.push({ name, columns: columns.filter((c) => c.table_name === name).map((c) => c.column_name), rows: Number(rows[0]!.n) });
  }
  return infos;
}

const one = async (client: PGlite, text: string) => Number((await client.query<{ v: string }>(text)).rows[0]!.v);

async function main() {
  const { options } = parseArgs(process.argv.slice(2), ['from', 'to']);
  const to = options.to;
  if (!to || !/^postgres(ql)?:\/\//.test(to)) throw new Error('usage: npm run db:move -- --to postgres://… [--from <folder or backup file>]');
  const from = options.from ?? folderOf(undefined);
  const started = Date.now();
  const sourceHandle = await openSource(from);
  const targetHandle = await openDatabase(to, { statementTimeoutMs: 0 });
  const target = postgres(to, { max: 1, onnotice: () => {} });
  try {
    await sourceHandle.migrate();
    await targetHandle.migrate();
    const source = (sourceHandle.db as unknown as { $client: PGlite }).$client;
    const [state] = await target<{ used: boolean }[]>`
      select exists (select 1 from users) or exists (select 1 from articles) or exists (select 1 from claims) as used`;
    const used = state!.used;
    if (used) throw new Error('the target database is not empty (it has users, articles or claims): db:move copies into an empty database only');
    const tables = await tablesInOrder(source);
    // Positions handed out by the source are at most its next transaction ID plus its own offset.
    const sourceShift = await one(source, `select coalesce((select position_offset from change_feed_offset), 0)::text as v`);
    const sourceNext = await one(source, `select (pg_snapshot_xmax(pg_current_snapshot())::text)::bigint::text as v`);
    const progress = rowProgress(
      'move',
      tables.reduce((sum, t) => sum + t.rows, 0),
    );
    let done = 0;
    await target.begin(async (tx) => {
      const [{ next }] = (await tx<{ next: string }[]>`select (pg_snapshot_xmax(pg_current_snapshot())::text)::bigint::text as next`) as unknown as [
        { next: string },
      ];
      const shift = Math.max(0, sourceNext + sourceShift + 1 - Number(next));
      await tx.unsafe(`truncate ${tables.map((t) => ident(t.name)).join(', ')}, search_configs_in_use, change_feed_offset`);
      for (const table of tables.filter((t) => t.rows > 0)) {
        const list = table.columns.map(ident).join(', ');
        const select =
          table.name === 'fact_check_changes' ? table.columns.map((c) => (c === 'xid' ? `xid + ${sourceShift} - ${shift} as xid` : ident(c))).join(', ') : list;
        const { blob } = await source.query(`copy (select ${select} from ${ident(table.name)}) to '/dev/blob'`);
        const writable = await tx.unsafe(`copy ${ident(table.name)} (${list}) from stdin`).writable();
        await pipeline(Readable.from(Buffer.from(await blob!.arrayBuffer())), writable).catch((error: unknown) => {
          throw new Error(`copying ${table.name}: ${error instanceof Error ? error.message : String(error)}`);
        });
        done += table.rows;
        progress.update(done);
      }
      await tx`insert into change_feed_offset (position_offset) values (${shift})`;
      // Every serial column's sequence past the largest value copied.
      const serials = await tx<{ table_name: string; column_name: string }[]>`
        select table_name, column_name from information_schema.columns
        where table_schema = 'public' and column_default like 'nextval(%'`;
      for (const s of serials) {
        await tx.unsafe(
          `select setval(pg_get_serial_sequence('${ident(s.table_name)}', '${s.column_name}'), coalesce(max(${ident(s.column_name)}), 0) + 1, false) from ${ident(s.table_name)}`,
        );
      }
    });
    progress.stop();
    // Fills what SQL cannot (normalised URLs of rows written before they existed), as a start would.
    await targetHandle.migrate();
    for (const table of tables) {
      const [{ n }] = (await target.unsafe<{ n: string }[]>(`select count(*)::text as n from ${ident(table.name)}`)) as unknown as [{ n: string }];
      if (Number(n) !== table.rows) throw new Error(`${table.name}: ${table.rows} rows in the source, ${n} in the target after the move`);
    }
    const width = Math.max(...tables.map((t) => t.name.length));
    console.log(`moved ${from} into ${to.replace(/\/\/[^@/]*@/, '//…@')} in ${((Date.now() - started) / 1000).toFixed(1)} s; rows per table:`);
    for (const table of tables.filter((t) => t.rows > 0)) console.log(`  ${table.name.padEnd(width)}  ${table.rows}`);
    console.log(`  (${tables.filter((t) => t.rows === 0).length} empty tables)`);
  } finally {
    await target.end({ timeout: 5 });
    await targetHandle.close();
    await sourceHandle.close();
  }
}

main().catch((error: unknown) => {
  console.error(`db:move: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
