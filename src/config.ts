import { z } from 'zod';
import { corsOriginsSetting } from './server/cors.js';

/** Also the server's default when a caller (a test) builds it without this setting. */
export const DEFAULT_AUTH_FAILURES_PER_MINUTE = 30;

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().regex(/^(postgres(ql)?:\/\/|pglite:|memory:)/, 'postgres://…, pglite:<dir> or memory:').default('pglite:./.data/factcheck'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN needs at least 16 characters').optional(),
  SEED: z.enum(['demo', 'none']).optional(),
  PUBLIC_BASE_URL: z.url().default('http://localhost:4000'),
  ORG_NAME: z.string().min(1).default('Factcheck Desk'),
  ORG_URL: z.url().default('http://localhost:4000'),
  AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).default(DEFAULT_AUTH_FAILURES_PER_MINUTE),
  CORS_ORIGINS: corsOriginsSetting,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof schema> & { SEED: 'demo' | 'none' };

/** Reads the environment once; an invalid setting stops the process at start with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const config = parsed.data;
  return {
    ...config,
    PUBLIC_BASE_URL: config.PUBLIC_BASE_URL.replace(/\/+$/, ''),
    SEED: config.SEED ?? (config.NODE_ENV === 'production' ? 'none' : 'demo'),
  };
}
