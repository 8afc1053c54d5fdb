import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError, TransientError } from '@newsflow/core';
import { fetchUrl, type FetchOptions } from '../src/index.ts';
import { serve } from '../../../test/helpers.ts';

const options: FetchOptions = {
  userAgent: 'newsflow-test/1.0',
  timeoutMs: 2000,
  maxBytes: 64 * 1024,
  maxRedirects: 5,
  allowPrivateNetworks: true,
};

let server: Awaited<ReturnType<typeof serve>>;
const seenUserAgents: string[] = [];

beforeAll(async () => {
  server = await serve({
    '/ok': (request, response) => {
      seenUserAgents.push(String(request.headers['user-agent']));
      response.writeHead(200, { 'content-type': 'text/plain', etag: '"v1"' }).end('hello');
    },
    '/conditional': (request, response) => {
      if (request.headers['if-none-match'] === '"v1"') response.writeHead(304).end();
      else response.writeHead(200, { etag: '"v1"', 'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT' }).end('body');
    },
    '/gzip': (_, response) => response.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('zipped text')),
    '/gzip-bomb': (_, response) =>
      response.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(Buffer.alloc(50 * 1024 * 1024))),
    '/huge-declared': (_, response) => response.writeHead(200, { 'content-length': String(10 * 1024 * 1024) }).end(),
    '/huge-streamed': (_, response) => {
      response.writeHead(200);
      const chunk = Buffer.alloc(16 * 1024, 'a');
      let sent = 0;
      const push = () => {
        while (sent < 200 && response.write(chunk)) sent++;
        if (sent < 200 && !response.destroyed) response.once('drain', push);
        else response.end();
      };
      push();
    },
    '/slow-drip': (_, response) => {
      response.writeHead(200);
      const timer = setInterval(() => response.write('.'), 100);
      response.on('close', () => clearInterval(timer));
    },
    '/loop-a': (_, response) => response.writeHead(302, { location: '/loop-b' }).end(),
    '/loop-b': (_, response) => response.writeHead(302, { location: '/loop-a' }).end(),
    '/redirect-to-ok': (_, response) => response.writeHead(301, { location: '/ok' }).end(),
    '/redirect-to-file': (_, response) => response.writeHead(302, { location: 'file:///etc/passwd' }).end(),
    '/deflate-bomb': (_, response) =>
      response.writeHead(200, { 'content-encoding': 'deflate' }).end(deflateSync(Buffer.alloc(50 * 1024 * 1024))),
    '/ten-gigabytes': (_, response) => {
      // Declares 10 GB and then sends data for as long as the client reads.
      response.writeHead(200, { 'content-length': String(10 * 1024 ** 3) });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const push = () => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', push);
      };
      push();
    },
    '/endless': (_, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(64 * 1024, 'y');
      const push = () => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', push);
      };
      push();
    },
    '/gone': (_, response) => response.writeHead(410).end(),
    '/busy': (_, response) => response.writeHead(503, { 'retry-after': '7' }).end(),
  });
});
afterAll(() => server.close());

async function failure(url: string, overrides: Partial<FetchOptions> = {}): Promise<Error> {
  try {
    await fetchUrl(url, { ...options, ...overrides });
  } catch (error) {
    return error as Error;
  }
  throw new Error(`expected ${url} to fail`);
}

describe('fetchUrl', () => {
  it('returns the body, validators and our User-Agent', async () => {
    const result = await fetchUrl(`${server.url}/ok`, options);
    expect(result.body.toString()).toBe('hello');
    expect(result.etag).toBe('"v1"');
    expect(seenUserAgents).toContain('newsflow-test/1.0');
  });

  it('sends validators and reports 304 as a result', async () => {
    const first = await fetchUrl(`${server.url}/conditional`, options);
    expect(first.notModified).toBe(false);
    const second = await fetchUrl(`${server.url}/conditional`, {
      ...options,
      etag: first.etag,
      lastModified: first.lastModified,
    });
    expect(second.notModified).toBe(true);
    expect(second.status).toBe(304);
  });

  it('decompresses gzip', async () => {
    expect((await fetchUrl(`${server.url}/gzip`, options)).body.toString()).toBe('zipped text');
  });

  it('follows redirects and reports the final URL', async () => {
    expect((await fetchUrl(`${server.url}/redirect-to-ok`, options)).url).toBe(`${server.url}/ok`);
  });

  it('refuses a body over the cap, declared or streamed or decompressed', async () => {
    for (const path of ['/huge-declared', '/huge-streamed', '/gzip-bomb']) {
      const error = await failure(`${server.url}${path}`);
      expect(error).toBeInstanceOf(PermanentError);
      expect((error as PermanentError).code).toBe('too_large');
    }
  });

  it('gives up on a slow drip at the deadline', async () => {
    const error = await failure(`${server.url}/slow-drip`, { timeoutMs: 500 });
    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toMatch(/timed out after 500 ms/);
  });

  it('detects redirect loops', async () => {
    const error = await failure(`${server.url}/loop-a`);
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toMatch(/redirect loop/);
  });

  it('caps the number of redirects', async () => {
    const error = await failure(`${server.url}/redirect-to-ok`, { maxRedirects: 0 });
    expect((error as PermanentError).code).toBe('too_many_redirects');
  });

  it('refuses non-http schemes, also as a redirect target', async () => {
    expect((await failure('file:///etc/passwd')).message).toMatch(/only http and https/);
    expect((await failure(`${server.url}/redirect-to-file`)).message).toMatch(/only http and https/);
  });

  it.each(['/deflate-bomb', '/ten-gigabytes', '/endless'])(
    'stops %s at the size cap, as a permanent failure',
    async (path) => {
      const error = await failure(`${server.url}${path}`);
      expect(error).toBeInstanceOf(PermanentError);
      expect(error.message).toMatch(/over|too large|cap|exceeds/i);
    },
  );

  // Every spelling reaches this machine (or none): a guard that let one through could only connect to loopback.
  it.each([
    'http://127.0.0.1:9/',
    'http://127.1:9/',
    'http://2130706433:9/',
    'http://0x7f000001:9/',
    'http://0177.0.0.1:9/',
    'http://0x7f.0.0.1:9/',
    'http://127.000.000.001:9/',
    'http://127.255.255.254:9/',
    'http://localhost:9/',
    'http://LOCALHOST:9/',
    'http://[::1]:9/',
    'http://[0:0:0:0:0:0:0:1]:9/',
    'http://[::ffff:127.0.0.1]:9/',
    'http://[::ffff:7f00:1]:9/',
    'http://[0:0:0:0:0:ffff:127.0.0.1]:9/',
    'http://[::127.0.0.1]:9/',
    'http://[::7f00:1]:9/',
    'http://0.0.0.0:9/',
    'http://0:9/',
    'http://[::]:9/',
  ])('refuses %s before connecting when private networks are not allowed', async (url) => {
    const error = await failure(url, { allowPrivateNetworks: false });
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toMatch(/private or internal address/);
  });

  it('refuses loopback addresses unless private networks are allowed', async () => {
    const error = await failure(`${server.url}/ok`, { allowPrivateNetworks: false });
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toMatch(/private or internal address/);
    const byName = await failure(`${server.url.replace('127.0.0.1', 'localhost')}/ok`, { allowPrivateNetworks: false });
    expect(byName.message).toMatch(/refused to connect to localhost/);
  });

  it('classifies HTTP errors', async () => {
    expect(await failure(`${server.url}/gone`)).toBeInstanceOf(PermanentError);
    const busy = await failure(`${server.url}/busy`);
    expect(busy).toBeInstanceOf(TransientError);
    expect((busy as TransientError).retryAfterMs).toBe(7000);
  });

  it('reports a refused connection as transient', async () => {
    const error = await failure('http://127.0.0.1:1/');
    expect(error).toBeInstanceOf(TransientError);
  });
});
