/** WakeablePause (src/jobs/wakeable-pause.ts): the pause between a job's polls. */
import { expect, test, vi } from 'vitest';
import { WakeablePause } from '../../src/jobs/wakeable-pause.js';

test('a pause ends after its time, or at a wake-up; a wake-up while no pause runs ends the next one at once, once', async () => {
  vi.useFakeTimers();
  try {
    const between = new WakeablePause();
    let ended = false;
    void between.pause(1_000).then(() => (ended = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(ended).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(ended).toBe(true);

    ended = false;
    void between.pause(1_000).then(() => (ended = true));
    between.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(ended).toBe(true);

    between.wake(); // while busy: kept
    ended = false;
    void between.pause(1_000).then(() => (ended = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(ended).toBe(true);

    ended = false; // consumed: the next pause waits its time
    void between.pause(1_000).then(() => (ended = true));
    await vi.advanceTimersByTimeAsync(500);
    expect(ended).toBe(false);
    await vi.advanceTimersByTimeAsync(500);
    expect(ended).toBe(true);
  } finally {
    vi.useRealTimers();
  }
});
