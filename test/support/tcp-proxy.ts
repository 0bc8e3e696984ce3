/**
 * A TCP proxy between a client and a Postgres server, to cut connections the way a network does: a
 * reset (RST) to the client and a close to the server, at a moment the test picks, or when the
 * client sends bytes matching a pattern (e.g. the BEGIN of a transaction). The server sees its
 * client go away (the session ends, its open transaction is rolled back); the client sees ECONNRESET.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  /** The port the proxy listens on (127.0.0.1). */
  port: number;
  /** `url` (a postgres:// URL of the target server) pointed at the proxy instead. */
  via(url: string): string;
  /** Connections currently open through the proxy. */
  open(): number;
  /** Resets every open connection now; resolves to how many were cut. */
  resetAll(): number;
  /**
   * Resets the connection whose client next sends a chunk matching `pattern` (latin1), before
   * the chunk reaches the server; resolves once that happened.
   */
  resetOn(pattern: RegExp): Promise<void>;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  server: Socket;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let trip: { pattern: RegExp; tripped: () => void } | null = null;

  const cut = (pair: Pair) => {
    pairs.delete(pair);
    pair.client.resetAndDestroy();
    pair.server.destroy();
  };

  const listener = createServer((client) => {
    const server = connect(target.port, target.host);
    const pair = { client, server };
    pairs.add(pair);
    const gone = () => {
      if (!pairs.delete(pair)) return;
      client.destroy();
      server.destroy();
    };
    client.on('error', gone).on('close', gone);
    server.on('error', gone).on('close', gone);
    server.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('data', (chunk: Buffer) => {
      if (trip && trip.pattern.test(chunk.toString('latin1'))) {
        const { tripped } = trip;
        trip = null;
        cut(pair);
        tripped();
        return;
      }
      server.write(chunk);
    });
  });
  await new Promise<void>((resolve, reject) => listener.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as { port: number };

  return {
    port,
    via(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    open: () => pairs.size,
    resetAll() {
      const all = [...pairs];
      all.forEach(cut);
      return all.length;
    },
    resetOn(pattern) {
      return new Promise<void>((tripped) => (trip = { pattern, tripped }));
    },
    async close() {
      trip = null;
      for (const pair of [...pairs]) cut(pair);
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}
