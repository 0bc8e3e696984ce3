import { isIP } from 'node:net';
import { z } from 'zod';
import { databaseHosts } from './model/database-url.js';
import { StartupError } from './startup-error.js';

const ORIGIN = /^https?:\/\/[^/?#\s]+$/i;

/** CORS_ORIGINS: comma-separated origins (`https://app.example.org,http://localhost:3000`), or `*` alone; empty means none. */
/** A comma-separated list of origins, each trimmed and without trailing slashes; empty means none. */
const commaSeparatedOrigins = () =>
  z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim().replace(/\/+$/, ''))
        .filter(Boolean),
    );

export const corsOriginsSetting = commaSeparatedOrigins()
  .refine((origins) => origins.every((origin) => origin === '*' || (ORIGIN.test(origin) && new URL(origin).origin === origin.toLowerCase())), {
    message: 'a comma-separated list of origins (scheme://host[:port], no path), or * alone',
  })
  .refine((origins) => !origins.includes('*') || origins.length === 1, { message: '* stands alone: it already allows every origin' })
  .transform((origins) => origins.map((origin) => (origin === '*' ? origin : new URL(origin).origin)));

/** EXTERNAL_SOURCES_TRUSTED_ORIGINS: comma-separated origins, each as URL.origin writes it. */
const originList = commaSeparatedOrigins()
  .refine((origins) => origins.every((origin) => ORIGIN.test(origin) && URL.canParse(origin)), { message: 'a comma-separated list of origins' })
  .transform((origins) => origins.map((origin) => new URL(origin).origin));

/** Also the server's default when a caller (a test) builds it without this setting. */
export const DEFAULT_AUTH_FAILURES_PER_MINUTE = 30;
/** Access defaults, likewise. */
export const ACCESS_DEFAULTS = {
  RATE_LIMIT_PARTNER_PER_MINUTE: 600,
  RATE_LIMIT_STAFF_PER_MINUTE: 6000,
  TOKEN_CACHE_TTL_MS: 10_000,
  TRUST_PROXY: false as TrustProxy,
};

/** Express's `trust proxy`: true, false, a number of hops, or addresses, subnets and loopback/linklocal/uniquelocal. */
export type TrustProxy = boolean | number | string[];
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const isProxyAddress = (item: string) => {
  const [address, prefix, ...rest] = item.split('/');
  return PROXY_NAMES.has(item) || (!rest.length && isIP(address!) !== 0 && (prefix === undefined || /^\d{1,3}$/.test(prefix)));
};
const trustProxy = z.string().transform((v, ctx): TrustProxy => {
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^\d+$/.test(v)) return Number(v);
  const items = v.split(',').map((s) => s.trim());
  if (items.every(isProxyAddress)) return items;
  ctx.addIssue({ code: 'custom', message: 'true, false, a number of proxies, or addresses/subnets (and loopback, linklocal, uniquelocal), comma-separated' });
  return z.NEVER;
});

const integer = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);

/** Read replica: partner reads fall back to the primary past this replay lag; the lag is measured this often. */
export const REPLICA_DEFAULTS = { maxLagMs: 5_000, checkIntervalMs: 1_000 } as const;

/**
 * Feeds of other publishers' fact checks: the whole fetch's deadline, the body cap (50 MB), how often
 * each process looks for due feeds, and what fetchExternalSource's wait for another fetch of the same
 * feed allows beyond that fetch's deadline for its import (EXTERNAL_FETCH_WAIT_MS unset: 20 + 30 s).
 * 30 s imports a feed of thousands of reviews many times over (a whole 50 MB, 100k-review feed took
 * 32 s to import the first time, 14 s again: bench/README.md), and keeps the wait under the 60 s
 * that common proxies and load balancers give a response (nginx's proxy_read_timeout, AWS ALB's idle
 * timeout), so that the client gets our CONFLICT rather than their 504.
 */
export const FEED_DEFAULTS = { timeoutMs: 20_000, maxBytes: 50 * 1024 * 1024, pollMs: 5_000, importAllowanceMs: 30_000 } as const;

/** Idempotency-Key: how long a key is remembered (24 h), how long a retry waits for a running first attempt. */
export const DEFAULT_IDEMPOTENCY = { ttlSeconds: 86_400, waitMs: 5_000 } as const;

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: integer(0, 65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|pglite:|memory:)/)
    .default('pglite:./.data/factcheck'),
  DATABASE_POOL_SIZE: integer(1, 100).default(10),
  /** Server processes sharing the port (src/server/cluster/); more than 1 needs Postgres. */
  WORKERS: integer(1, 64).default(1),
  DATABASE_STATEMENT_TIMEOUT_MS: integer(0).default(10_000),
  DATABASE_CONNECT_TIMEOUT_MS: integer(1).default(5_000),
  /** Embedded database on a folder: writes are refused while its file system has less free (src/db/pglite-guard.ts); 0: never. */
  PGLITE_MIN_FREE_MB: integer(0, 1_048_576).default(64),
  /** A hot standby of DATABASE_URL for partner reads (src/db/read-replica.ts); Postgres only. */
  DATABASE_READ_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//)
    .optional(),
  REPLICA_MAX_LAG_MS: integer(0).default(REPLICA_DEFAULTS.maxLagMs),
  REPLICA_CHECK_INTERVAL_MS: integer(50, 600_000).default(REPLICA_DEFAULTS.checkIntervalMs),
  ADMIN_TOKEN: z.string().min(16).optional(),
  SEED: z.enum(['demo', 'none']).optional(),
  /** Unset: the URL the server listens on, with the port actually in use (see app.ts). */
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  ORG_NAME: z.string().min(1).default('Factcheck Desk'),
  ORG_URL: z.url({ protocol: /^https?$/ }).optional(),
  AUTH_FAILURES_PER_MINUTE: integer(1).default(DEFAULT_AUTH_FAILURES_PER_MINUTE),
  IDEMPOTENCY_KEY_TTL_SECONDS: integer(1, 31_536_000).default(DEFAULT_IDEMPOTENCY.ttlSeconds),
  IDEMPOTENCY_KEY_WAIT_MS: integer(1, 600_000).default(DEFAULT_IDEMPOTENCY.waitMs),
  WEBHOOK_TIMEOUT_MS: integer(1).default(10_000),
  WEBHOOK_RETRY_BASE_MS: integer(1).default(5_000),
  WEBHOOK_MAX_ATTEMPTS: integer(1, 100).default(8),
  WEBHOOK_DISABLE_AFTER: integer(1).default(5),
  WEBHOOK_SECRET_KEY: z.string().min(32, 'WEBHOOK_SECRET_KEY needs at least 32 characters').optional(),
  WEBHOOK_ALLOW_PRIVATE_URLS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  SCHEDULED_RELEASE_POLL_MS: integer(10, 60_000).default(500),
  EXTERNAL_FETCH_TIMEOUT_MS: integer(1, 600_000).default(FEED_DEFAULTS.timeoutMs),
  EXTERNAL_FETCH_MAX_BYTES: integer(1, 1_073_741_824).default(FEED_DEFAULTS.maxBytes),
  /** Unset: EXTERNAL_FETCH_TIMEOUT_MS + FEED_DEFAULTS.importAllowanceMs (src/server/external-sources-settings.ts). */
  EXTERNAL_FETCH_WAIT_MS: integer(0, 600_000).optional(),
  EXTERNAL_SOURCES_ALLOW_PRIVATE_URLS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  EXTERNAL_SOURCES_TRUSTED_ORIGINS: originList,
  EXTERNAL_SOURCES_POLL_MS: integer(0, 600_000).default(FEED_DEFAULTS.pollMs),
  /** Tests only (NODE_ENV=test): a file holding milliseconds to add to the feeds' clock, read at each use. */
  EXTERNAL_SOURCES_CLOCK_FILE: z.string().min(1).optional(),
  RATE_LIMIT_PARTNER_PER_MINUTE: integer(1).default(ACCESS_DEFAULTS.RATE_LIMIT_PARTNER_PER_MINUTE),
  RATE_LIMIT_STAFF_PER_MINUTE: integer(1).default(ACCESS_DEFAULTS.RATE_LIMIT_STAFF_PER_MINUTE),
  TOKEN_CACHE_TTL_MS: integer(0, 3_600_000).default(ACCESS_DEFAULTS.TOKEN_CACHE_TTL_MS),
  TRUST_PROXY: trustProxy.default(ACCESS_DEFAULTS.TRUST_PROXY),
  CORS_ORIGINS: corsOriginsSetting,
  METRICS_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Imports of ClaimReview markup (docs/operations.md): reviews per batch, rows per re-map batch, POST /imports/claim-reviews' body limit. */
  EXTERNAL_IMPORT_BATCH_SIZE: integer(1, 5_000).default(500),
  EXTERNAL_REMAP_BATCH_SIZE: integer(1, 5_000).default(2_000),
  EXTERNAL_IMPORT_MAX_BYTES: integer(1, 1_073_741_824).default(52_428_800),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

type Variable = keyof z.infer<typeof schema>;

/** Each setting's rule, in the words of the start-up error. */
const RULES: Record<Variable, string> = {
  NODE_ENV: 'development, production or test',
  PORT: 'an integer from 0 to 65535 (0: any free port)',
  HOST: 'an interface address or name',
  DATABASE_URL: 'postgres://…, pglite:<folder> or memory:',
  DATABASE_POOL_SIZE: 'an integer from 1 to 100',
  WORKERS: 'an integer from 1 to 64 (server processes on one port; more than 1 needs a postgres:// DATABASE_URL)',
  DATABASE_STATEMENT_TIMEOUT_MS: 'an integer number of milliseconds, 0 or more (0: no timeout)',
  DATABASE_CONNECT_TIMEOUT_MS: 'an integer number of milliseconds, 1 or more',
  PGLITE_MIN_FREE_MB: 'an integer number of megabytes from 0 to 1048576 (0: no reserve)',
  DATABASE_READ_URL: 'postgres://… (a hot standby of DATABASE_URL, which must be postgres://… too)',
  REPLICA_MAX_LAG_MS: 'an integer number of milliseconds, 0 or more',
  REPLICA_CHECK_INTERVAL_MS: 'an integer number of milliseconds from 50 to 600000',
  ADMIN_TOKEN: 'at least 16 characters',
  SEED: 'demo or none',
  PUBLIC_BASE_URL: 'an absolute http(s) URL',
  ORG_NAME: 'a non-empty name',
  ORG_URL: 'an absolute http(s) URL',
  AUTH_FAILURES_PER_MINUTE: 'an integer, 1 or more',
  IDEMPOTENCY_KEY_TTL_SECONDS: 'an integer number of seconds from 1 to 31536000 (a year)',
  IDEMPOTENCY_KEY_WAIT_MS: 'an integer number of milliseconds from 1 to 600000',
  RATE_LIMIT_PARTNER_PER_MINUTE: 'an integer, 1 or more',
  RATE_LIMIT_STAFF_PER_MINUTE: 'an integer, 1 or more',
  TOKEN_CACHE_TTL_MS: 'an integer number of milliseconds from 0 to 3600000 (0: look every token up)',
  TRUST_PROXY: 'false, true, a number of hops, or comma-separated addresses/subnets (e.g. loopback, 10.0.0.0/8)',
  WEBHOOK_TIMEOUT_MS: 'an integer number of milliseconds, 1 or more',
  WEBHOOK_RETRY_BASE_MS: 'an integer number of milliseconds, 1 or more',
  WEBHOOK_MAX_ATTEMPTS: 'an integer from 1 to 100',
  WEBHOOK_DISABLE_AFTER: 'an integer, 1 or more',
  WEBHOOK_SECRET_KEY: 'at least 32 characters',
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true or false',
  SCHEDULED_RELEASE_POLL_MS: 'an integer number of milliseconds from 10 to 60000',
  EXTERNAL_FETCH_TIMEOUT_MS: 'an integer number of milliseconds from 1 to 600000',
  EXTERNAL_FETCH_MAX_BYTES: 'an integer number of bytes from 1 to 1073741824',
  EXTERNAL_FETCH_WAIT_MS: 'an integer number of milliseconds from 0 to 600000 (0: answer CONFLICT at once while another fetch runs)',
  EXTERNAL_SOURCES_ALLOW_PRIVATE_URLS: 'true or false',
  EXTERNAL_SOURCES_TRUSTED_ORIGINS: 'comma-separated origins such as http://feeds.internal:8080 (scheme, host, optional port)',
  EXTERNAL_SOURCES_POLL_MS: 'an integer number of milliseconds from 0 to 600000 (0: this process fetches no feed by itself)',
  EXTERNAL_SOURCES_CLOCK_FILE: 'a file path, and only with NODE_ENV=test',
  CORS_ORIGINS: 'comma-separated origins such as https://partner.example (scheme, host, optional port), or * alone',
  METRICS_ENABLED: 'true or false',
  METRICS_TOKEN: 'at least 16 characters',
  EXTERNAL_IMPORT_BATCH_SIZE: 'an integer from 1 to 5000',
  EXTERNAL_REMAP_BATCH_SIZE: 'an integer from 1 to 5000',
  EXTERNAL_IMPORT_MAX_BYTES: 'an integer number of bytes from 1 to 1073741824',
  LOG_LEVEL: 'fatal, error, warn, info, debug, trace or silent',
};

/** Values not to repeat in an error message: they may hold a secret (a token, a database password). */
const SECRET: ReadonlySet<Variable> = new Set(['ADMIN_TOKEN', 'DATABASE_URL', 'DATABASE_READ_URL', 'WEBHOOK_SECRET_KEY', 'METRICS_TOKEN']);

export type Config = z.infer<typeof schema> & { SEED: 'demo' | 'none' };

/** Reads the environment once; an invalid setting stops the process at start with a one-line message (variable, rule, value). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const variables = [...new Set(parsed.error.issues.map((i) => String(i.path[0]) as Variable))];
    const problems = variables.map((name) => `${name} must be ${RULES[name]}${SECRET.has(name) ? '' : ` (got ${JSON.stringify(given[name])})`}`);
    throw new StartupError(`invalid configuration: ${problems.join('; ')}`);
  }
  const config = parsed.data;
  // A replica of an embedded database cannot exist (PGlite has no replication): refused rather
  // than ignored, so that a deployment that believes it offloads its partners finds out at once.
  if (config.DATABASE_READ_URL && !/^postgres(ql)?:\/\//.test(config.DATABASE_URL)) {
    throw new StartupError(
      `invalid configuration: DATABASE_READ_URL must be ${RULES.DATABASE_READ_URL}; DATABASE_URL is embedded (${config.DATABASE_URL.split(':')[0]}:)`,
    );
  }
  // Several processes on an embedded database: a folder is opened by one process only (the second
  // would be refused at start, src/db/data-folder-lock.ts), and memory: would give each its own database.
  if (config.WORKERS > 1 && !/^postgres(ql)?:\/\//.test(config.DATABASE_URL)) {
    throw new StartupError(
      `invalid configuration: WORKERS=${config.WORKERS} needs a postgres:// DATABASE_URL; DATABASE_URL is embedded (${config.DATABASE_URL.split(':')[0]}:), ` +
        'and an embedded database lives in one process (one process per embedded folder; with memory: each would have its own): unset WORKERS, or use PostgreSQL',
    );
  }
  if (config.EXTERNAL_SOURCES_CLOCK_FILE && config.NODE_ENV !== 'test') {
    throw new StartupError(`invalid configuration: EXTERNAL_SOURCES_CLOCK_FILE must be ${RULES.EXTERNAL_SOURCES_CLOCK_FILE}`);
  }
  // Several hosts without a target session: postgres.js would take the first that answers, a standby
  // included, and every write would fail there (src/db/hosts.ts picks the writable one).
  const hosts = databaseHosts(config.DATABASE_URL);
  if (hosts && hosts.hosts.length > 1 && !['read-write', 'primary'].includes(hosts.targetSessionAttrs ?? '')) {
    throw new StartupError(
      `invalid configuration: DATABASE_URL names ${hosts.hosts.length} hosts: add target_session_attrs=read-write (or primary) so that the server writes to the one that accepts writes`,
    );
  }
  return {
    ...config,
    ...(config.PUBLIC_BASE_URL ? { PUBLIC_BASE_URL: config.PUBLIC_BASE_URL.replace(/\/+$/, '') } : {}),
    SEED: config.SEED ?? (config.NODE_ENV === 'production' ? 'none' : 'demo'),
  };
}
