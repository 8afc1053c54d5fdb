import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import pg from 'pg';

/** The servers tests use; CI starts both (see .ci/run). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A key prefix of its own for each test, so tests never see each other's queues or keys. */
export function uniquePrefix(label = 'test'): string {
  return `nftest-${label}-${randomBytes(4).toString('hex')}`;
}

/** A TCP port nobody listens on right now (for servers a test starts itself, such as its own Redis). */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A fresh PostgreSQL database for one test file; `drop` removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `newsflow_test_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A local HTTP server on 127.0.0.1 answering each path with its handler (404 otherwise). */
export async function serve(routes: Record<string, Handler>): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const handler = routes[new URL(request.url ?? '/', 'http://x').pathname];
    if (handler) handler(request, response);
    else response.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `../shared/corpora` beside the checkout (CI always has it; .ci/run fails without it), or NEWSFLOW_CORPORA. */
export const CORPORA_DIR = process.env.NEWSFLOW_CORPORA ?? new URL('../../shared/corpora/', import.meta.url).pathname;
export const HAVE_CORPORA = existsSync(CORPORA_DIR);

export const CLI = new URL('../services/cli/bin/newsflow.mjs', import.meta.url).pathname;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the `newsflow` command as a user would, with `env` on top of ours. `hangAfterMs` only guards against a
 * hang (the process is killed and the test fails); it is not a timing assertion.
 */
export function runCli(
  args: string[],
  env: Record<string, string>,
  hangAfterMs = 120_000,
  input?: string,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, LOG_FORMAT: 'json', LOG_LEVEL: 'warn', ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`newsflow ${args.join(' ')} hung for ${hangAfterMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, hangAfterMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Writes a feeds.yaml for tests: the given feeds, private networks allowed (local servers), no politeness delay. */
export function writeTestConfig(directory: string, feedUrls: string[], extra = ''): string {
  const path = join(directory, 'feeds.yaml');
  const feeds = feedUrls.map((url) => `  - url: ${url}`).join('\n');
  writeFileSync(
    path,
    `feeds:\n${feeds}\nfetch:\n  allowPrivateNetworks: true\n  perHostDelayMs: 0\n  timeoutMs: 5000\n${extra}`,
  );
  return path;
}
