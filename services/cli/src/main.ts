/**
 * The `newsflow` command. Help is answered from here, before any module of the pipeline is loaded: start-up time
 * is what a person waits for on every command (`pnpm bench cli`).
 */
import { setFlagsFromString } from 'node:v8';
import { USAGE } from './usage.ts';

// V8 lets a heap grow to up to four times what its last full collection kept before it collects again: a worker's
// short-lived pages and articles, promoted once, took its resident memory from 220 to 290 MiB over a run (`pnpm bench
// pipeline --articles 5000`). One and a half times keeps it near 200 MiB for a few more full collections, no slower
// beyond the noise in ten alternated runs. A setting of the user's own (NODE_OPTIONS or a node flag) wins.
if (!/heap[-_]growing[-_]percent/.test(`${process.env.NODE_OPTIONS ?? ''} ${process.execArgv.join(' ')}`))
  setFlagsFromString('--heap-growing-percent=50');

const argv = process.argv.slice(2);
if (argv[0] === undefined || ['help', '--help', '-h'].includes(argv[0])) {
  process.stdout.write(`${USAGE}\n`);
} else {
  // The commands that scrape start their extraction threads first, so that the threads load their modules while
  // this thread loads the rest of the CLI, not after it (the first pages would wait for them).
  const scrapes = argv[0] === 'start' || argv[0] === 'run' || (argv[0] === 'worker' && argv[1] === 'scraper');
  const extraction = scrapes ? await import('@newsflow/extract/pool') : undefined;
  extraction?.prestartExtractionPool();
  const { runCommand } = await import('./cli.ts');
  runCommand(argv, extraction?.prestartedThreadsLoaded);
}
