/** How config becomes the feeds' settings: the SSRF rule of production, the test clock only in tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { feedSettings } from '../../src/server/external-sources-settings.js';

describe('feedSettings', () => {
  test('private addresses: refused in production unless EXTERNAL_SOURCES_ALLOW_PRIVATE_URLS=true, allowed elsewhere', () => {
    expect(feedSettings(loadConfig({ NODE_ENV: 'production' })).allowPrivateUrls).toBe(false);
    expect(feedSettings(loadConfig({ NODE_ENV: 'production', EXTERNAL_SOURCES_ALLOW_PRIVATE_URLS: 'true' })).allowPrivateUrls).toBe(true);
    expect(feedSettings(loadConfig({ NODE_ENV: 'development' })).allowPrivateUrls).toBe(true);
  });

  test('defaults: a 20 s fetch, a 50 MB cap, no trusted origin, the database clock as it is', () => {
    const settings = feedSettings(loadConfig({}));
    expect(settings).toMatchObject({ timeoutMs: 20_000, maxBytes: 50 * 1024 * 1024, trustedOrigins: [] });
    expect(settings.clock.offsetMs()).toBe(0);
  });

  test("fetchExternalSource's wait for another fetch: the fetch timeout plus 30 s unless EXTERNAL_FETCH_WAIT_MS says; 0 is allowed", () => {
    expect(feedSettings(loadConfig({})).waitMs).toBe(50_000);
    expect(feedSettings(loadConfig({ EXTERNAL_FETCH_TIMEOUT_MS: '45000' })).waitMs).toBe(75_000);
    expect(feedSettings(loadConfig({ EXTERNAL_FETCH_TIMEOUT_MS: '45000', EXTERNAL_FETCH_WAIT_MS: '5000' })).waitMs).toBe(5_000);
    expect(feedSettings(loadConfig({ EXTERNAL_FETCH_WAIT_MS: '0' })).waitMs).toBe(0);
    expect(() => loadConfig({ EXTERNAL_FETCH_WAIT_MS: '600001' })).toThrow(/EXTERNAL_FETCH_WAIT_MS must be an integer number of milliseconds from 0 to 600000/);
  });

  test('trusted origins are read as origins; anything else stops the start', () => {
    const config = loadConfig({ EXTERNAL_SOURCES_TRUSTED_ORIGINS: 'http://Feeds.Internal:8080/, https://10.0.0.7' });
    expect(feedSettings(config).trustedOrigins).toEqual(['http://feeds.internal:8080', 'https://10.0.0.7']);
    expect(() => loadConfig({ EXTERNAL_SOURCES_TRUSTED_ORIGINS: 'http://feeds.internal/path' })).toThrow(/EXTERNAL_SOURCES_TRUSTED_ORIGINS must be/);
  });

  test('the test clock file is refused outside NODE_ENV=test, and read at each use in tests', () => {
    const folder = mkdtempSync(join(tmpdir(), 'feed-clock-'));
    try {
      const file = join(folder, 'offset');
      expect(() => loadConfig({ EXTERNAL_SOURCES_CLOCK_FILE: file })).toThrow(/EXTERNAL_SOURCES_CLOCK_FILE must be/);
      const clock = feedSettings(loadConfig({ NODE_ENV: 'test', EXTERNAL_SOURCES_CLOCK_FILE: file })).clock;
      expect(clock.offsetMs()).toBe(0);
      writeFileSync(file, '300000');
      expect(clock.offsetMs()).toBe(300_000);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
