/**
 * Waiting for something a test cannot be told about: a log line written asynchronously, a change the
 * feed lists once older transactions end, a worker that restarts. One poll loop for all of them, so
 * that each waits the same way and a wait that never ends fails saying what it waited for.
 */
export interface EventuallyOptions {
  /** What the check waits for, as the failure message names it ("the request log line"). */
  what: string;
  /** How long to keep checking before failing (5 s). */
  timeoutMs?: number;
  /** The pause between two checks (50 ms). */
  intervalMs?: number;
}

/** What a check answers while it waits: not yet. */
type NotYet = undefined | null | false;

/**
 * Calls `check` until it answers something other than undefined, null or false, and returns that;
 * once `timeoutMs` have passed with no such answer (the last check runs after the deadline), throws
 * "timed out after … waiting for <what>". An error thrown by `check` is not retried: it fails the wait.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  { what, timeoutMs = 5_000, intervalMs = 50 }: EventuallyOptions,
): Promise<Exclude<Awaited<T>, NotYet>> {
  const deadline = Date.now() + timeoutMs;
  for (let checks = 1; ; checks++) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value as Exclude<Awaited<T>, NotYet>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s (${checks} checks) waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
