/**
 * The `newsflow` command. Help is answered from here, before any module of the pipeline is loaded: start-up time
 * is what a person waits for on every command (`pnpm bench cli`).
 */
import { USAGE } from './usage.ts';

const argv = process.argv.slice(2);
if (argv[0] === undefined || ['help', '--help', '-h'].includes(argv[0])) {
  process.stdout.write(`${USAGE}\n`);
} else {
  const { runCommand } = await import('./cli.ts');
  runCommand(argv);
}
