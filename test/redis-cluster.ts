import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from 'ioredis';
import { freePort } from './helpers.ts';

export interface LocalRedisCluster {
  /** `host:port,…`, as REDIS_CLUSTER_NODES takes it. */
  nodes: string;
  stop(): Promise<void>;
}

/**
 * A real Redis Cluster of three masters on this machine, made the way an operator makes one: three
 * `redis-server --cluster-enabled yes` and `redis-cli --cluster create`. Nothing is kept on disk.
 */
export async function startRedisCluster(): Promise<LocalRedisCluster> {
  const directory = mkdtempSync(join(tmpdir(), 'newsflow-cluster-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const servers: ChildProcess[] = ports.map((port) =>
    spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--dir',
        directory,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    ),
  );
  const stop = async () => {
    for (const server of servers) server.kill('SIGKILL');
    await Promise.all(
      servers.map(
        (server) => new Promise((resolve) => (server.exitCode !== null ? resolve(null) : server.once('exit', resolve))),
      ),
    );
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    for (const port of ports) await waitFor(() => cli(port, 'ping') === 'PONG', `redis-server on ${port}`);
    const create = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes'],
      { encoding: 'utf8' },
    );
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${create.stdout}${create.stderr}`);
    for (const port of ports)
      await waitFor(() => cli(port, 'cluster', 'info').includes('cluster_state:ok'), `cluster state on ${port}`);
    const nodes = ports.map((port) => `127.0.0.1:${port}`).join(',');
    // Every node must know every slot's owner before clients route to them.
    const probe = new Cluster(ports.map((port) => ({ host: '127.0.0.1', port })));
    await probe.set('newsflow-cluster-probe', '1');
    await probe.del('newsflow-cluster-probe');
    await probe.quit();
    return { nodes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function cli(port: number, ...args: string[]): string {
  return spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).stdout.trim();
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: not ready after 10 s`);
}
