/**
 * One fetch of a feed: a conditional GET (If-None-Match, If-Modified-Since), at most MAX_REDIRECTS
 * redirects followed by hand, each target checked with the webhook SSRF rules (an IP literal here,
 * a name in the socket's own lookup, so the connection goes to the address that was checked), one
 * deadline for the whole exchange, the body streamed and cut at the cap. Every failure is a
 * FetchError with a sentence for lastError; nothing else is thrown.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { ForbiddenAddressError, isPublicAddress, publicOnlyLookup } from '../webhooks/addresses.js';
import { mayBePrivate, type FeedPolicy } from './settings.js';

export const MAX_REDIRECTS = 3;

export class FetchError extends Error {
  /** The last HTTP status the publisher answered, when it answered one (a trace span records it). */
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

export interface FetchRequest {
  url: string;
  etag: string | null;
  lastModified: string | null;
  timeoutMs: number;
  maxBytes: number;
  policy: FeedPolicy;
}

export type FetchedDocument =
  | { kind: 'not_modified'; status: number }
  | { kind: 'document'; status: number; body: string; contentType: 'json' | 'html'; etag: string | null; lastModified: string | null };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * A URL as errors (lastError, which editors read) and logs show it: origin and path only. A feed's
 * query string can hold an API key (Fact Check Tools' `key=`), and the user part a password.
 */
export const shown = (url: URL) => `${url.protocol}//${url.host}${url.pathname}`;

/** The document at `request.url`, or a FetchError saying why not. */
export async function fetchDocument(request: FetchRequest): Promise<FetchedDocument> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), request.timeoutMs);
  const headers: Record<string, string> = {
    accept: 'application/ld+json, application/json, text/html;q=0.9, */*;q=0.1',
    'accept-encoding': 'gzip, deflate, br',
    'user-agent': 'factcheck-feeds/1',
    ...(request.etag ? { 'if-none-match': request.etag } : {}),
    ...(request.lastModified ? { 'if-modified-since': request.lastModified } : {}),
  };
  // The last status answered, for the error too: a 200 whose body then fails (too large, cut off,
  // neither JSON nor HTML) was still a 200.
  let answered: number | null = null;
  try {
    let url = target(request.url, request.policy);
    for (let redirects = 0; ; redirects++) {
      // Each hop's own: a redirect's 302 then a DNS failure answered nothing.
      answered = null;
      const response = await get(url, headers, controller.signal, mayBePrivate(request.policy, url));
      const status = response.statusCode ?? 0;
      answered = status;
      if (REDIRECTS.has(status)) {
        response.destroy();
        if (redirects === MAX_REDIRECTS) throw new FetchError(`more than ${MAX_REDIRECTS} redirects (the last to ${shown(url)})`);
        const location = response.headers.location;
        if (!location) throw new FetchError(`HTTP ${status} without a Location header at ${shown(url)}`);
        url = target(location, request.policy, url);
        continue;
      }
      if (status === 304) {
        response.destroy();
        return { kind: 'not_modified', status };
      }
      if (status < 200 || status > 299) {
        response.destroy();
        throw new FetchError(`${shown(url)} answered HTTP ${status}`);
      }
      const contentType = documentType(response.headers['content-type']);
      const body = await readBody(response, request.maxBytes);
      return {
        kind: 'document',
        status,
        body: decode(body, response.headers['content-type']),
        contentType: contentType ?? sniff(body, response.headers['content-type']),
        etag: response.headers.etag ?? null,
        lastModified: response.headers['last-modified'] ?? null,
      };
    }
  } catch (error) {
    const message = controller.signal.aborted
      ? `no complete answer within ${request.timeoutMs} ms (EXTERNAL_FETCH_TIMEOUT_MS)`
      : error instanceof FetchError
        ? error.message
        : describe(error);
    throw new FetchError(message, answered);
  } finally {
    clearTimeout(timer);
  }
}

/** An http(s) URL whose host, if an IP literal, may be reached (a name is checked when the socket resolves it). */
function target(location: string, policy: FeedPolicy, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(location, base);
  } catch {
    throw new FetchError(`${base ? 'a redirect to ' : ''}${JSON.stringify(location)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchError(`refused: ${shown(url)} is not http or https`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!mayBePrivate(policy, url) && isIP(host) && !isPublicAddress(host)) throw new FetchError(`refused: ${new ForbiddenAddressError(host, host).message}`);
  return url;
}

function get(url: URL, headers: Record<string, string>, signal: AbortSignal, allowPrivate: boolean): Promise<http.IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, { method: 'GET', headers, signal, agent: false, ...(allowPrivate ? {} : { lookup: publicOnlyLookup }) });
    request.on('response', resolve);
    request.on('error', reject);
    request.end();
  });
}

async function readBody(response: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new FetchError(`the body is larger than ${maxBytes} bytes (EXTERNAL_FETCH_MAX_BYTES)`);
  const encoding = (response.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  const declared = Number(response.headers['content-length']);
  if (encoding === 'identity' && declared > maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  const stream = decompressed(response, encoding);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      // Counted after decompression: a small compressed body cannot unpack past the cap.
      if (size > maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
  } finally {
    response.destroy();
    if (stream !== response) stream.destroy();
  }
  return Buffer.concat(chunks);
}

function decompressed(response: http.IncomingMessage, encoding: string): Readable {
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : encoding === 'identity'
            ? null
            : undefined;
  if (decoder === undefined) {
    response.destroy();
    throw new FetchError(`the body is in an unknown encoding (${encoding})`);
  }
  if (decoder === null) return response;
  response.on('error', (error) => decoder.destroy(error));
  return response.pipe(decoder);
}

const mediaType = (header: string | undefined) => (header ?? '').split(';')[0]!.trim().toLowerCase();

function documentType(header: string | undefined): 'json' | 'html' | null {
  const type = mediaType(header);
  if (type === 'application/json' || type === 'text/json' || type.endsWith('+json')) return 'json';
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  return null;
}

/** No JSON or HTML type given (text/plain, application/octet-stream, none): the first character decides. */
function sniff(body: Buffer, header: string | undefined): 'json' | 'html' {
  const start = body.subarray(0, 1024).toString('utf8').trimStart();
  if (start.startsWith('{') || start.startsWith('[')) return 'json';
  if (start.startsWith('<')) return 'html';
  throw new FetchError(`the answer is neither JSON nor HTML (content type ${mediaType(header) || 'none'})`);
}

function decode(body: Buffer, header: string | undefined): string {
  const charset = /charset\s*=\s*"?([\w.:-]+)"?/i.exec(header ?? '')?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

function describe(error: unknown): string {
  if (error instanceof ForbiddenAddressError) return `refused: ${error.message}`;
  const e = error as NodeJS.ErrnoException & { hostname?: string };
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return `${e.hostname ?? 'the host'} does not resolve (${e.code})`;
  if (e.code === 'ECONNREFUSED') return 'connection refused';
  if (e.code === 'ECONNRESET') return 'the connection was reset';
  return e.message || String(error);
}
