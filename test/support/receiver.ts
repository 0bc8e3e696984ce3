/**
 * A webhook receiver: a real HTTP server on 127.0.0.1, started and stopped by a test. Each request
 * is recorded and answered by `respond` (a status, or 'hang' to answer never, until the receiver stops).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  json: { type: string; timestamp: string; data: any };
  receivedAt: number;
  /** When the answer was sent; null while it is outstanding (or was never sent). */
  answeredAt: number | null;
}

export type Reply = number | 'hang' | { status: number; afterMs: number };

export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** How the next request is answered; defaults to 200. */
  respond: (request: ReceivedWebhook, index: number) => Reply;
  /** Resolves once `predicate` holds for what was received (checked on every arrival), or rejects after `timeoutMs`. */
  waitFor(predicate: (received: ReceivedWebhook[]) => boolean, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  /** Answers every hanging request with `status`. */
  release(status?: number): void;
  stop(): Promise<void>;
}

export async function startReceiver(respond: Receiver['respond'] = () => 200): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  const hanging = new Set<http.ServerResponse>();
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      let json: ReceivedWebhook['json'];
      try {
        json = JSON.parse(body);
      } catch {
        json = { type: 'unparseable', timestamp: '', data: null };
      }
      const request: ReceivedWebhook = { headers, body, json, receivedAt: Date.now(), answeredAt: null };
      res.on('finish', () => (request.answeredAt = Date.now()));
      received.push(request);
      const reply = receiver.respond(request, received.length - 1);
      for (const wake of [...waiters]) wake();
      const answer = (status: number) => {
        if (!res.destroyed) res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 300 ? 'receiver says no' : 'ok');
      };
      if (reply === 'hang') hanging.add(res);
      else if (typeof reply === 'number') answer(reply);
      else setTimeout(() => answer(reply.status), reply.afterMs);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    respond,
    waitFor(predicate, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(received)) return;
          cleanup();
          resolve(received);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`receiver: condition not met within ${timeoutMs} ms; received ${received.length}: ${received.map((r) => r.json.type).join(', ')}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    release(status = 200) {
      for (const res of hanging) if (!res.writableEnded && !res.destroyed) res.writeHead(status).end('released');
      hanging.clear();
    },
    async stop() {
      receiver.release(503);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return receiver;
}
