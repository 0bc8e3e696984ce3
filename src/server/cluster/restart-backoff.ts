/**
 * How long the primary waits before it starts a worker again in the place of one that died: at
 * once would let a worker that fails at every start (a bad deploy, a full disk) spin the machine.
 * The first death waits BASE_MS, each further one in a row twice as long, up to MAX_MS; a worker
 * that had run STABLE_MS ends the row (its death is a first one again).
 */
export const RESTART_BACKOFF = { baseMs: 500, maxMs: 30_000, stableMs: 60_000 } as const;

/** The deaths in a row of a worker's place, counting this one, and the wait before the next start. */
export function nextRestart(deathsBefore: number, livedMs: number): { deaths: number; delayMs: number } {
  const deaths = livedMs >= RESTART_BACKOFF.stableMs ? 1 : deathsBefore + 1;
  return { deaths, delayMs: Math.min(RESTART_BACKOFF.maxMs, RESTART_BACKOFF.baseMs * 2 ** Math.min(deaths - 1, 30)) };
}
