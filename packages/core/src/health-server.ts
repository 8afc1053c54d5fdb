import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage } from './errors.ts';
import { metricsRegistry } from './metrics.ts';

export interface ReadinessCheck {
  /** What is checked, for the 503's reason: `redis`, `database`. */
  name: string;
  /** Resolves when the dependency answers; rejects (or times out) when it does not. */
  check(): Promise<unknown>;
}

export interface HealthServerOptions {
  port: number;
  /** Default 0.0.0.0: probes come from outside the container. */
  host?: string;
  checks: ReadinessCheck[];
  /** Runs before each `/metrics` answer: gauges read on demand (queue depths). */
  beforeMetrics?: () => Promise<void>;
}

export interface HealthServer {
  url: string;
  close(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 2000;

/**
 * `/healthz`: the process and its event loop answer (liveness). `/readyz`: every dependency answers within 2 s,
 * else 503 with the reasons (readiness). `/metrics`: Prometheus text format.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const answer = (status: number, type: string, body: string) =>
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    if (path === '/healthz') return answer(200, 'text/plain', 'ok\n');
    if (path === '/readyz') {
      void readiness(options.checks).then((failures) =>
        failures.length === 0
          ? answer(200, 'application/json', '{"ready":true}\n')
          : answer(503, 'application/json', `${JSON.stringify({ ready: false, failures })}\n`),
      );
      return;
    }
    if (path === '/metrics') {
      void (options.beforeMetrics?.() ?? Promise.resolve())
        .catch(() => {})
        .then(() => metricsRegistry.metrics())
        .then(
          (text) => answer(200, metricsRegistry.contentType, text),
          (error: unknown) => answer(500, 'text/plain', `${errorMessage(error)}\n`),
        );
      return;
    }
    answer(404, 'text/plain', 'not found: /healthz, /readyz, /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readiness(checks: ReadinessCheck[]): Promise<{ name: string; reason: string }[]> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
          }),
        ]);
        return null;
      } catch (error) {
        return { name, reason: errorMessage(error) };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return results.filter((result): result is { name: string; reason: string } => result !== null);
}
