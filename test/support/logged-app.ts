/**
 * The real HTTP server on a fresh database, like startTestApp(), but with its error log kept in
 * memory by request id: when a response is masked as INTERNAL_SERVER_ERROR, the test can say why.
 */
import { pino } from 'pino';
import { loggerOptions } from '../../src/server/logger.js';
import { startTestApp } from './app.js';
import type { TestDatabase } from './database.js';

export interface RawResponse {
  status: number;
  /** The parsed JSON body; undefined when the body is not JSON. */
  json?: { data?: Record<string, any> | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
  text: string;
}

export interface LoggedTestApp {
  url: string;
  database: TestDatabase;
  /** POSTs `body` (serialized as JSON unless it is a string) to /graphql with this request id. */
  post(body: unknown, options: { token: string | null; requestId: string }): Promise<RawResponse>;
  /** The causes of the errors the server logged while serving the request. */
  loggedErrors(requestId: string): string[];
  /** Every line the server logged (at the app's level), parsed, in order; `raw` the text as written. */
  lines(): { entry: Record<string, any>; raw: string }[];
  stop(): Promise<void>;
}

/** "caused by: error: date/time field value out of range …" from a logged error; else its first line. */
function causeOf(err: { message?: string; stack?: string } | undefined): string {
  const causes = [...(err?.stack ?? '').matchAll(/caused by: (.*)/g)].map((m) => m[1]!);
  return (causes.at(-1) ?? err?.message?.split('\n')[0] ?? 'an error without message').slice(0, 300);
}

/** `level`: what the server logs (warn: its errors; info: every request line too). `config`: server settings. */
export async function startLoggedTestApp(options: { level?: string; config?: Parameters<typeof startTestApp>[0] } = {}): Promise<LoggedTestApp> {
  const logged = new Map<string, string[]>();
  const all: { entry: Record<string, any>; raw: string }[] = [];
  // The server's own logger (redaction and all), writing here instead of to stdout.
  const logger = pino(
    { ...loggerOptions(), level: options.level ?? 'warn' },
    {
      write(line: string) {
        const entry = JSON.parse(line) as { requestId?: string; err?: { message?: string; stack?: string }; msg?: string };
        all.push({ entry, raw: line });
        const key = entry.requestId ?? 'unknown';
        logged.set(key, [...(logged.get(key) ?? []), `${entry.msg}: ${causeOf(entry.err)}`]);
      },
    },
  );
  const app = await startTestApp(options.config ?? {}, { logger });
  return {
    url: app.url,
    database: app.database,
    async post(body, { token, requestId }) {
      const response = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let json: RawResponse['json'];
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, json, text };
    },
    loggedErrors: (requestId) => logged.get(requestId) ?? [],
    lines: () => [...all],
    stop: app.stop,
  };
}
