import { pino, type Logger } from 'pino';

export type { Logger };

/** The logger's settings but the level (tests build the same logger on another destination). */
export function loggerOptions() {
  return {
    base: { service: 'factcheck-api' },
    // Request lines log the method and path only (never headers or the query string); these are a
    // second guard for objects logged whole.
    redact: { paths: ['req.headers.authorization', 'headers.authorization', 'authorization', 'token', '*.token', 'secret', '*.secret'], censor: '[redacted]' },
  };
}

/** `fields` join every line (with WORKERS, each process's `pid`: the workers share one stdout). */
export function createLogger(level: string, fields: Record<string, unknown> = {}): Logger {
  const options = loggerOptions();
  return pino({ ...options, base: { ...options.base, ...fields }, level });
}
