import { execFileSync } from 'node:child_process';
import { defaultServerConditions } from 'vite';
import type { ViteUserConfig } from 'vitest/config';

/**
 * Tests import the packages' TypeScript sources (the `newsflow-source` export condition), while the processes they
 * spawn run the compiled CLI as users do: `buildOnce` compiles first (incremental, about a second when up to date),
 * so a spawned `newsflow` is never older than the sources under test.
 */
export const sourceConditions: ViteUserConfig = {
  resolve: { conditions: ['newsflow-source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['newsflow-source', ...defaultServerConditions] } },
};

export function buildOnce(): void {
  execFileSync('pnpm', ['-s', 'build'], { stdio: 'inherit' });
}
