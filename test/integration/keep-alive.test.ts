/**
 * The server keeps an idle keep-alive connection 65 s (src/server/app.ts), not Node's 5 s: longer than
 * a load balancer's idle timeout, so the server is never the side that closes a connection a request
 * is on its way on. Clients read the hint from the Keep-Alive header.
 */
import http from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.stop();
});

function headersOf(url: string, agent: http.Agent) {
  return new Promise<http.IncomingHttpHeaders>((resolve, reject) => {
    http
      .get(url, { agent }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.headers));
      })
      .on('error', reject);
  });
}

test('a keep-alive answer says timeout=65, and a connection idle for longer than Node’s default 5 s still serves', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const first = await headersOf(`${app.url}/healthz`, agent);
    expect(first['keep-alive']).toBe('timeout=65');
    const socketsBefore = Object.values(agent.freeSockets).flat();
    expect(socketsBefore).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    expect(Object.values(agent.freeSockets).flat(), 'the server kept the idle connection open').toEqual(socketsBefore);
    expect((await headersOf(`${app.url}/healthz`, agent))['keep-alive']).toBe('timeout=65');
  } finally {
    agent.destroy();
  }
});
