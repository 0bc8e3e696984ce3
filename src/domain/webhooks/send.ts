/** One HTTP attempt at a delivery: POST, no redirects followed, a deadline on the whole exchange, a capped body read. */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { ForbiddenAddressError, isPublicAddress, publicOnlyLookup } from './addresses.js';

export interface AttemptResult {
  delivered: boolean;
  status: number | null;
  error: string | null;
}

/** The most of a response body that is read (and kept in lastError); the rest is discarded unread. */
export const RESPONSE_BODY_CAP = 1024;

export async function postWebhook(options: {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
}): Promise<AttemptResult> {
  const url = new URL(options.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // An IP literal skips the socket's lookup, so it is checked here.
  if (!options.allowPrivate && isIP(host) && !isPublicAddress(host)) {
    return { delivered: false, status: null, error: `refused: ${new ForbiddenAddressError(host, host).message}` };
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = client.request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'factcheck-webhooks/1',
        ...options.headers,
        'content-length': Buffer.byteLength(options.body),
      },
      agent: false,
      ...(options.allowPrivate ? {} : { lookup: publicOnlyLookup }),
    });
    const timer = setTimeout(() => {
      request.destroy();
      finish({ delivered: false, status: null, error: `timeout after ${options.timeoutMs} ms` });
    }, options.timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => {
      const reason =
        error instanceof ForbiddenAddressError ? `refused: ${error.message}` : error.code === 'ECONNREFUSED' ? 'connection refused' : error.message;
      finish({ delivered: false, status: null, error: reason });
    });
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        response.destroy();
        const delivered = status >= 200 && status < 300;
        const text = Buffer.concat(chunks)
          .subarray(0, RESPONSE_BODY_CAP)
          .toString('utf8')
          .replaceAll('\u0000', '')
          .replace(/\uFFFD+$/, '');
        finish({ delivered, status, error: delivered ? null : `HTTP ${status}${text ? `: ${text}` : ''}` });
      };
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= RESPONSE_BODY_CAP) done();
      });
      response.on('end', done);
      response.on('error', done);
    });
    request.end(options.body);
  });
}
