import type { Config } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/connection.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { ensureAdminToken } from '../domain/access/users.js';
import { seedDemo, type SeededUser } from '../seed.js';
import { StartupError } from '../startup-error.js';

type PrepareConfig = Pick<Config, 'DATABASE_URL' | 'ADMIN_TOKEN' | 'SEED'>;

/**
 * What a start does to the database before it serves: the migrations (and the backfill they cannot
 * do), ADMIN_TOKEN's admin, the demo seed. Each is safe when processes start at once (advisory
 * locks); returns the demo users this start created (null when seeding was off or done before).
 */
export async function prepareDatabase(database: DatabaseHandle, config: PrepareConfig): Promise<SeededUser[] | null> {
  await database.migrate().catch((error: unknown) => {
    throw isDatabaseUnavailable(error) || isRefusedConnection(error)
      ? new StartupError(`cannot open the database ${describeUrl(config.DATABASE_URL)}: ${reasonOf(error)}`)
      : error;
  });
  if (config.ADMIN_TOKEN) await ensureAdminToken(database.db, config.ADMIN_TOKEN);
  return config.SEED === 'demo' ? await seedDemo(database.db) : null;
}

/**
 * The same once for a cluster (WORKERS), in the primary before it forks: on a pool of one connection
 * (the migrations take one more of their own), closed before returning, so that the primary, which
 * serves nothing, holds no connection while the workers run.
 */
export async function prepareDatabaseOnce(
  config: PrepareConfig & Pick<Config, 'DATABASE_STATEMENT_TIMEOUT_MS' | 'DATABASE_CONNECT_TIMEOUT_MS'>,
): Promise<SeededUser[] | null> {
  const database = await openDatabase(config.DATABASE_URL, {
    poolSize: 1,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
  });
  try {
    return await prepareDatabase(database, config);
  } finally {
    await database.close();
  }
}

/** Postgres refusing us: authentication (class 28), no such database (3D000). */
const isRefusedConnection = (error: unknown) =>
  /^(28|3D)/.test(String((error as { cause?: { code?: unknown } }).cause?.code ?? (error as { code?: unknown }).code ?? ''));

/** The driver's own words, without drizzle's "Failed query: …" wrapper. */
function reasonOf(error: unknown): string {
  const e = ((error as { cause?: unknown }).cause ?? error) as { message?: string; code?: string };
  return e.code && !String(e.message).includes(e.code) ? `${e.message} (${e.code})` : String(e.message);
}

/** The URL without its password. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    // Several hosts (`@db1:5432,db2:5432/`) are no URL to WHATWG: the password goes by hand.
    const multiHost = /^(postgres(?:ql)?:\/\/[^:@/?#]*)(?::[^/?#]*)?@([^/?#]*,[^/?#]*)(.*)$/.exec(url);
    return multiHost ? `${multiHost[1]}@${multiHost[2]}${multiHost[3]}` : url.split(':')[0] + ':…';
  }
}
