import { defineConfig } from 'vitest/config';
import { sourceConditions } from './vitest.shared.ts';

/** `pnpm test:chaos`: the fault-injection suite (minutes, not seconds); CI runs it after `pnpm test`. */
export default defineConfig({
  ...sourceConditions,
  test: {
    include: ['test/chaos/**/*.test.ts'],
    globalSetup: ['./vitest.global-setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // One at a time: each run starts its own Redis and five workers, and the machine has two cores.
    fileParallelism: false,
  },
});
