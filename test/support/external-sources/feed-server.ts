/**
 * A publisher's feed: a real HTTP server on 127.0.0.1, started and stopped by a test. Each GET is
 * recorded (path and headers) and answered by `respond`: a status, headers and a body, optionally
 * after a delay, or never (`hang`: until the server stops).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FeedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  at: number;
}

export interface FeedReply {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Send the headers and this much of the body, then never the rest. */
  stallAfterBytes?: number;
  /** Never answer. */
  hang?: boolean;
}

export interface FeedServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  url(path?: string): string;
  requests: FeedRequest[];
  respond: (request: FeedRequest, index: number) => FeedReply;
  /** Resolves once `count` requests arrived, or rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  /** Answers every hanging request with `reply`. */
  release(reply?: FeedReply): void;
  stop(): Promise<void>;
}

export async function startFeedServer(respond: FeedServer['respond'] = () => ({ status: 404 })): Promise<FeedServer> {
  const sockets = new Set<Socket>();
  const hanging = new Set<http.ServerResponse>();
  const waiters = new Set<() => void>();
  const answer = (res: http.ServerResponse, reply: FeedReply) => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(reply.status ?? 200, reply.headers ?? {});
    const body = reply.body ?? '';
    if (reply.stallAfterBytes !== undefined) return void res.write(Buffer.from(body).subarray(0, reply.stallAfterBytes));
    res.end(body);
  };
  const server = http.createServer((req, res) => {
    const request = { path: req.url ?? '/', headers: req.headers, at: Date.now() };
    feed.requests.push(request);
    for (const wake of [...waiters]) wake();
    const reply = feed.respond(request, feed.requests.length - 1);
    if (reply.hang) hanging.add(res);
    else if (reply.delayMs) setTimeout(() => answer(res, reply), reply.delayMs);
    else answer(res, reply);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const feed: FeedServer = {
    origin,
    url: (path = '/feed.json') => `${origin}${path}`,
    requests: [],
    respond,
    waitForRequests(count, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (feed.requests.length < count) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`feed server: ${count} requests expected within ${timeoutMs} ms, got ${feed.requests.length}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    release(reply = { status: 503 }) {
      for (const res of hanging) answer(res, reply);
      hanging.clear();
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return feed;
}
