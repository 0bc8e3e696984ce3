/**
 * A reason the process cannot start that the person starting it can fix (a setting, a folder held
 * by another process, a database that does not answer): main.ts prints its message as one line on
 * stderr, without a stack trace, and exits 1. Anything else that fails at start is a bug, logged whole.
 */
export class StartupError extends Error {
  override name = 'StartupError';
}
