#!/usr/bin/env node
// The compiled CLI: plain Node, no TypeScript loader. `pnpm install` compiles it (its prepare script runs `pnpm
// build`); from the sources without a build, use `pnpm dev <command>`.
try {
  await import('../dist/main.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('/cli/dist/main.js')) {
    process.stderr.write('newsflow: not built yet: run `pnpm build` in the repository (or `pnpm dev <command>`)\n');
    process.exit(1);
  }
  throw error;
}
