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

/** Each logger's stdout writer, for flushLogs(). */
const destinations = new WeakMap<Logger, ReturnType<typeof pino.destination>>();

/**
 * At most this many bytes per write(2): a pipe writes up to PIPE_BUF (4096 on Linux) at once, so
 * lines written by several processes to one pipe (the workers of a cluster share stdout) never
 * interleave. sonic-boom puts whole lines into each write of at most this size; a line longer than
 * it is written alone, and may then be spliced.
 */
export const LOG_MAX_WRITE = 4096;
/** Lines waiting beyond this many bytes (a reader of stdout that stopped reading) are dropped, and counted. */
export const LOG_MAX_BUFFER = 64 * 1024 * 1024;

let dropped = 0;
/** Log lines dropped since the process started, the buffer being full (LOG_MAX_BUFFER). */
export const droppedLogLines = () => dropped;

/**
 * JSON lines on stdout (`fields` on every line: with WORKERS, each process's `pid`, as the workers
 * share one stdout), written off the main thread: pino's default writes each line with a
 * blocking write(2), so a slow reader of stdout (a full pipe) stalls every request. Here a line is
 * appended to a buffer that libuv's thread pool writes (the lines logged meanwhile go in the next
 * write), as soon as the previous write is done: nothing waits for more lines or for a timer. (A
 * reader that stops reading costs memory instead: the buffer grows, up to LOG_MAX_BUFFER, beyond which
 * lines are dropped and counted: droppedLogLines(), `log_lines_dropped_total` on /metrics.)
 * Lines still buffered when the process exits: flushLogs() before a planned exit; on any other
 * (process.exit, an uncaught exception) pino's own 'exit' hook writes them synchronously, beside
 * a write still in progress, whose lines may then come after them. A kill -9 loses the buffer.
 */
export function createLogger(level: string, fields: Record<string, unknown> = {}): Logger {
  const options = loggerOptions();
  const withFields = { ...options, base: { ...options.base, ...fields }, level };
  if (level === 'silent') return pino(withFields);
  const destination = pino.destination({ dest: 1, sync: false, maxWrite: LOG_MAX_WRITE, maxLength: LOG_MAX_BUFFER });
  destination.on('drop', () => dropped++);
  const logger = pino(withFields, destination);
  destinations.set(logger, destination);
  return logger;
}

/**
 * Resolves once every line `logger` logged so far is written (at most `timeoutMs`: a reader that
 * stopped reading does not hold the exit up). An empty write goes after the buffered lines; its
 * 'drain' comes when the writer has nothing left. After a timeout, the lines still buffered are
 * given up: pino's 'exit' hook would otherwise write them synchronously, waiting for that same
 * reader as long as it does not read (sonic-boom retries a full pipe for ever), and the exit with it.
 */
export function flushLogs(logger: Logger, timeoutMs = 2_000): Promise<void> {
  const destination = destinations.get(logger);
  if (!destination) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      destination.flushSync = () => {};
      done();
    }, timeoutMs);
    function done() {
      clearTimeout(timer);
      destination!.off('drain', done);
      resolve();
    }
    destination.once('drain', done);
    destination.write('');
  });
}
