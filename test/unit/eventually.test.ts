// The tests' one poll loop (test/support/eventually.ts): what it waits for, what it returns, how it fails.
import { describe, expect, test } from 'vitest';
import { eventually } from '../support/eventually.js';

describe('eventually', () => {
  test('returns the first answer that is not undefined, null or false, checking again until then', async () => {
    const answers = [undefined, null, false, 0, 1];
    let checks = 0;
    expect(await eventually(() => answers[checks++], { what: 'a number', intervalMs: 1 })).toBe(0);
    expect(checks).toBe(4);
    expect(await eventually(async () => 'at once', { what: 'a string' })).toBe('at once');
  });

  test('fails after timeoutMs, naming what it waited for and how often it looked', async () => {
    const started = Date.now();
    let checks = 0;
    const waited = eventually(() => (checks++, undefined), { what: 'the log line', timeoutMs: 100, intervalMs: 10 });
    await expect(waited).rejects.toThrow(/^timed out after 0\.1 s \(\d+ checks\) waiting for the log line$/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(checks).toBeGreaterThan(1);
  });

  test('an error the check throws fails the wait at once', async () => {
    let checks = 0;
    const failing = () => {
      checks++;
      throw new Error('the feed answered an error');
    };
    await expect(eventually(failing, { what: 'a change', timeoutMs: 10_000 })).rejects.toThrow('the feed answered an error');
    expect(checks).toBe(1);
  });
});
