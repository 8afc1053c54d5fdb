import zlib from 'node:zlib';
import { Agent, request } from 'undici';
import type { Readable } from 'node:stream';
import { fetchedBytesTotal, httpResponsesTotal, PermanentError, statusClass, TransientError } from '@newsflow/core';
import { assertPublicHost, guardedLookup } from './address-guard.ts';
import { classifyResponse, freshnessMs, headerValue } from './response.ts';

export interface FetchOptions {
  userAgent: string;
  /** Deadline for the whole fetch, redirects and body included: a slow-drip server cannot hold a worker. */
  timeoutMs: number;
  /** Cap on the decompressed body: a gzip bomb is cut off as soon as it passes it. */
  maxBytes: number;
  maxRedirects: number;
  allowPrivateNetworks: boolean;
  accept?: string;
  /** Validators from the previous fetch, for a conditional GET. */
  etag?: string | null;
  lastModified?: string | null;
}

export interface FetchResult {
  /** The URL after redirects: relative links in the body resolve against it. */
  url: string;
  status: number;
  notModified: boolean;
  contentType: string | undefined;
  etag: string | null;
  lastModified: string | null;
  /** Freshness the server declared (Cache-Control max-age, Expires), or null. */
  freshnessMs: number | null;
  body: Buffer;
}

type Headers = Record<string, string | string[] | undefined>;

/** Establishing the TCP/TLS connection gets its own, shorter limit within the overall deadline. */
const CONNECT_TIMEOUT_MS = 10_000;

export async function fetchUrl(url: string, options: FetchOptions): Promise<FetchResult> {
  const deadline = Date.now() + options.timeoutMs;
  const visited = new Set<string>();
  let current = url;
  for (let hop = 0; ; hop++) {
    const target = parseHttpUrl(current);
    if (visited.has(target.href)) throw new PermanentError(`redirect loop at ${target.href}`, 'redirect_loop');
    visited.add(target.href);
    const response = await requestOnce(target, options, deadline);
    httpResponsesTotal.inc({ class: statusClass(response.status) });
    fetchedBytesTotal.inc(response.body.length);
    const verdict = classifyResponse(response.status, response.headers);
    switch (verdict.kind) {
      case 'ok':
      case 'not-modified':
        return {
          url: target.href,
          status: response.status,
          notModified: verdict.kind === 'not-modified',
          contentType: headerValue(response.headers, 'content-type'),
          etag: headerValue(response.headers, 'etag') ?? null,
          lastModified: headerValue(response.headers, 'last-modified') ?? null,
          freshnessMs: freshnessMs(response.headers),
          body: response.body,
        };
      case 'redirect':
        if (hop >= options.maxRedirects) {
          throw new PermanentError(
            `too many redirects (more than ${options.maxRedirects}) from ${url}`,
            'too_many_redirects',
          );
        }
        current = new URL(verdict.location, target).href;
        break;
      case 'error':
        verdict.error.message = `${verdict.error.message} from ${target.href}`;
        throw verdict.error;
    }
  }
}

function parseHttpUrl(value: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new PermanentError(`invalid URL ${JSON.stringify(value)}`, 'invalid_url');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new PermanentError(
      `refused ${parsed.protocol} URL ${value}: only http and https are fetched`,
      'unsupported_scheme',
    );
  }
  return parsed;
}

interface RawResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

/**
 * Connection pools: one whose DNS lookup refuses internal addresses (checked on the IP actually connected to, so a
 * name cannot be rebound between check and connect), one for configs that allow private networks.
 */
let guardedAgent: Agent | undefined;
let openAgent: Agent | undefined;

function agentFor(allowPrivateNetworks: boolean): Agent {
  if (allowPrivateNetworks) return (openAgent ??= new Agent({ connect: { timeout: CONNECT_TIMEOUT_MS } }));
  return (guardedAgent ??= new Agent({ connect: { timeout: CONNECT_TIMEOUT_MS, lookup: guardedLookup } }));
}

async function requestOnce(target: URL, options: FetchOptions, deadline: number): Promise<RawResponse> {
  if (!options.allowPrivateNetworks) assertPublicHost(target.hostname);
  const remainingMs = deadline - Date.now();
  if (remainingMs <= 0) throw timeoutError(target, options.timeoutMs);

  const headers: Record<string, string> = {
    'user-agent': options.userAgent,
    accept: options.accept ?? '*/*',
    'accept-encoding': 'gzip, deflate, br',
  };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;

  // One deadline for headers and body together: a server dripping a byte a second cannot hold the worker.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(timeoutError(target, options.timeoutMs)), remainingMs);
  try {
    const response = await request(target, {
      method: 'GET',
      headers,
      dispatcher: agentFor(options.allowPrivateNetworks),
      signal: controller.signal,
    });
    const status = response.statusCode;
    // Bodies of redirects and errors are never read: only their status and headers matter.
    if (status < 200 || status >= 300) {
      discard(response.body);
      return { status, headers: response.headers, body: Buffer.alloc(0) };
    }
    const declared = Number(headerValue(response.headers, 'content-length'));
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      discard(response.body);
      throw tooLargeError(target, options.maxBytes);
    }
    const stream = decompress(response.body, headerValue(response.headers, 'content-encoding'));
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > options.maxBytes) throw tooLargeError(target, options.maxBytes);
        chunks.push(chunk);
      }
    } finally {
      discard(stream);
      discard(response.body);
    }
    return { status, headers: response.headers, body: Buffer.concat(chunks, size) };
  } catch (error) {
    if (controller.signal.aborted) throw timeoutError(target, options.timeoutMs);
    throw classifyNetworkError(error as Error & { code?: string }, target);
  } finally {
    clearTimeout(timer);
  }
}

/** Stops reading a body; the abort it causes is expected, not an error anyone must hear about. */
function discard(stream: Readable): void {
  stream.on('error', () => {});
  stream.destroy();
}

function decompress(response: Readable, encoding: string | undefined): Readable {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case '':
    case 'identity':
      return response;
    case 'gzip':
    case 'x-gzip':
      return response.pipe(zlib.createGunzip());
    case 'deflate':
      return response.pipe(zlib.createInflate());
    case 'br':
      return response.pipe(zlib.createBrotliDecompress());
    default:
      throw new PermanentError(`unsupported Content-Encoding ${JSON.stringify(encoding)}`, 'bad_encoding');
  }
}

function timeoutError(target: URL, timeoutMs: number): TransientError {
  return new TransientError(`timed out after ${timeoutMs} ms fetching ${target.href}`, 'timeout');
}

function tooLargeError(target: URL, maxBytes: number): PermanentError {
  return new PermanentError(
    `response from ${target.href} is larger than the ${maxBytes}-byte cap (fetch.maxBytes)`,
    'too_large',
  );
}

/**
 * Not ENOTFOUND: a resolver that is down or offline answers it for every name, and that passes; a dead domain
 * retries for a while before its job fails.
 */
const PERMANENT_NETWORK_CODES = new Set(['ERR_INVALID_URL', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT']);

function classifyNetworkError(error: Error & { code?: string; cause?: unknown }, target: URL): Error {
  if (error instanceof PermanentError || error instanceof TransientError) return error;
  // undici wraps what the socket reported (our address guard's refusal among them) as the cause.
  const cause = error.cause as (Error & { code?: string }) | undefined;
  if (cause instanceof PermanentError || cause instanceof TransientError) return cause;
  const code = cause?.code ?? error.code ?? 'network';
  const message = `${error.message} (${target.href})`;
  return PERMANENT_NETWORK_CODES.has(code) ? new PermanentError(message, code) : new TransientError(message, code);
}
