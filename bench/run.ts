/** `pnpm bench <name> [options]`: runs one benchmark and prints figures a person can compare. */
import { benchPipeline } from './pipeline.ts';
import { benchExtract } from './extract.ts';
import { benchDedup } from './dedup.ts';
import { benchFeeds } from './feeds.ts';
import { benchStorage } from './storage.ts';
import { benchCli } from './cli.ts';
import { benchMetadata } from './metadata.ts';
import { benchScheduler } from './scheduler.ts';

const BENCHMARKS: Record<string, (args: string[]) => Promise<void>> = {
  pipeline: benchPipeline,
  extract: benchExtract,
  dedup: benchDedup,
  feeds: benchFeeds,
  storage: benchStorage,
  cli: benchCli,
  metadata: benchMetadata,
  scheduler: benchScheduler,
};

const [name, ...args] = process.argv.slice(2);
const names = name ? [name] : Object.keys(BENCHMARKS);
for (const benchmark of names) {
  const run = BENCHMARKS[benchmark];
  if (!run) {
    console.error(`unknown benchmark ${JSON.stringify(benchmark)}; one of: ${Object.keys(BENCHMARKS).join(', ')}`);
    process.exit(2);
  }
  await run(args);
}
process.exit(0);
