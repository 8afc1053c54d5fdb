import { defineConfig } from 'vitest/config';
import { sourceConditions } from './vitest.shared.ts';

export default defineConfig({
  ...sourceConditions,
  test: {
    include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // The fault-injection suite runs on its own: `pnpm test:chaos` (vitest.chaos.config.ts).
    exclude: ['test/chaos/**', '**/node_modules/**'],
    globalSetup: ['./vitest.global-setup.ts'],
    // Tests talk to the real Redis and PostgreSQL and spawn the CLI: give them room, never a timing assertion.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
