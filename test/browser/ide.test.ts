/**
 * The development IDE in a real headless browser (Debian's chromium through playwright-core): the
 * compiled server started as `npm start` runs it in development, GraphiQL loaded from /graphql, the
 * printed editor token set in the header editor, `{ viewer { name role } }` run, its result read
 * from the page, and no request sent anywhere but the server itself. A screenshot shows the page
 * rendered (its size and colours, no pixel baseline). In the pglite project only (no Postgres).
 * Without a Chromium (CHROMIUM_PATH, /usr/bin/chromium) the test is skipped, saying so.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserServer, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { killAllServers, startServer, type ServerProcess } from '../support/processes.js';

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => path && existsSync(path));
if (!CHROMIUM)
  console.warn(
    'test/browser/ide.test.ts: SKIPPED: no Chromium at CHROMIUM_PATH, /usr/bin/chromium or /usr/bin/chromium-browser (Debian: apt-get install chromium)',
  );

/** The lines main.ts prints for each seeded user: "  EDITOR    Erin Editor          fc_…  id …". */
const TOKEN_LINE = /^ {2}(ADMIN|EDITOR|REVIEWER|PARTNER)\s+(\S.*?)\s+(fc_[A-Za-z0-9_-]{20,})\s+id [A-Za-z0-9_-]+\s*$/;

const isLocal = (url: string) => {
  const { protocol, hostname } = new URL(url);
  return protocol === 'data:' || protocol === 'blob:' || hostname === '127.0.0.1' || hostname === 'localhost';
};

describe.skipIf(!CHROMIUM)('GraphiQL in headless Chromium', () => {
  let server: ServerProcess;
  let browserServer: BrowserServer;
  let browserPid: number;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer('ide', { NODE_ENV: 'development', SEED: 'demo', DATABASE_URL: 'memory:' }, { readyTimeoutMs: 60_000 });
    browserServer = await chromium.launchServer({
      executablePath: CHROMIUM!,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    browserPid = browserServer.process().pid!;
    browser = await chromium.connect(browserServer.wsEndpoint());
  });
  afterAll(async () => {
    await browser?.close().catch(() => {});
    await browserServer?.close().catch(() => {});
    if (browserPid) {
      try {
        process.kill(browserPid, 'SIGKILL'); // still there after close(): end it by its pid
      } catch {
        // gone already
      }
    }
    if (server) await server.stop();
    await killAllServers();
  });

  test('loads offline, runs { viewer { name role } } with the printed editor token, and renders', async () => {
    const editor = server.stdout.map((line) => TOKEN_LINE.exec(line)).find((m) => m?.[1] === 'EDITOR');
    expect(editor, `no EDITOR token line in:\n${server.stdout.join('\n')}`).toBeTruthy();
    const token = editor![3]!;

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const requests: { url: string; method: string; authorization?: string }[] = [];
    page.on('request', (request) => requests.push({ url: request.url(), method: request.method(), authorization: request.headers().authorization }));
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(`${server.url}/graphql`, { waitUntil: 'load' });
    await page.locator('.graphiql-container').waitFor({ timeout: 20_000 });
    // The first tab holds the query; the header editor is open (defaultEditorToolsVisibility).
    const queryEditor = page.locator('.graphiql-query-editor .CodeMirror').first();
    await queryEditor.waitFor();
    expect(await queryEditor.evaluate((el) => (el as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue())).toContain(
      '{ viewer { name role } }',
    );

    const headers = page.locator('.graphiql-editor-tool .CodeMirror:visible').first();
    await headers.click();
    await headers.evaluate(
      (el, value) => (el as unknown as { CodeMirror: { setValue(v: string): void } }).CodeMirror.setValue(value),
      JSON.stringify({ Authorization: `Bearer ${token}` }),
    );
    await page.locator('.graphiql-execute-button').click();

    const result = page.locator('.result-window');
    await expect.poll(async () => result.innerText(), { timeout: 20_000 }).toContain('Erin Editor');
    const text = await result.innerText();
    expect(text).toContain('"role": "EDITOR"');
    expect(text).not.toContain('errors');

    // The operation went to our /graphql with the token from the header editor.
    const sent = requests.filter((r) => r.method === 'POST' && new URL(r.url).pathname === '/graphql');
    expect(sent.some((r) => r.authorization === `Bearer ${token}`)).toBe(true);
    // Everything the page fetched came from the server itself: no CDN, no fonts, no telemetry.
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.filter((r) => !isLocal(r.url)).map((r) => r.url)).toEqual([]);
    expect(pageErrors).toEqual([]);

    await screenshotCheck(page);
    await context.close();
  });
});

/** The page rendered something: a screenshot of real size with many colours, not one flat colour. */
async function screenshotCheck(page: Page) {
  const png = await page.screenshot({ fullPage: false });
  expect(png.length).toBeGreaterThan(20_000);
  // Decoded in a blank page of the same browser (a data: URL, no network): distinct colours and
  // how much of the picture the commonest one covers.
  const blank = await page.context().newPage();
  try {
    const stats = await blank.evaluate(
      async (dataUrl) => {
        // Runs in the page: the DOM's globals, which this project's TypeScript lib does not declare.
        const dom = globalThis as unknown as { Image: new () => BrowserImage; document: { createElement(tag: 'canvas'): BrowserCanvas } };
        const image = new dom.Image();
        image.src = dataUrl;
        await image.decode();
        const canvas = dom.document.createElement('canvas');
        canvas.width = image.width;
        canvas.height = image.height;
        const context = canvas.getContext('2d')!;
        context.drawImage(image, 0, 0);
        const { data } = context.getImageData(0, 0, image.width, image.height);
        const counts = new Map<number, number>();
        for (let i = 0; i < data.length; i += 4) {
          const key = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        return { width: image.width, height: image.height, colours: counts.size, commonest: Math.max(...counts.values()) / (data.length / 4) };
      },
      `data:image/png;base64,${png.toString('base64')}`,
    );
    expect(stats).toMatchObject({ width: 1280, height: 800 });
    expect(stats.colours).toBeGreaterThan(100);
    expect(stats.commonest).toBeLessThan(0.97);
  } finally {
    await blank.close();
  }
}

/** The few DOM shapes the screenshot decoding uses. */
interface BrowserImage {
  src: string;
  width: number;
  height: number;
  decode(): Promise<void>;
}
interface BrowserCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    drawImage(image: BrowserImage, x: number, y: number): void;
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  } | null;
}
