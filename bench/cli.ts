/**
 * `pnpm bench cli [--runs N] [--no-image]`: how long a person waits for `newsflow --help`, against the floor of
 * starting Node itself, measured as pairs of runs (one of each, alternating, so machine noise hits both alike):
 * - from the repository: `pnpm -s newsflow --help` against `pnpm -s exec node -e 0` (target ≤ 1.5×);
 * - the compiled CLI as the image runs it: `newsflow --help` against `node -e 0` in the image's folder, built by
 *   replaying infra/Dockerfile (target ≤ 4×);
 * - `extract` of one page, the lightest command that does real work, for scale.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { imageEnvironment, machineEnvironment, replayRepositoryImage } from '../test/dockerfile-replay.ts';
import { CORPORA_DIR } from './corpus.ts';

const REPO = new URL('..', import.meta.url).pathname;

interface Command {
  label: string;
  file: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

function timeOnce(command: Command): number {
  const started = performance.now();
  const run = spawnSync(command.file, command.args, {
    cwd: command.cwd,
    env: command.env ?? process.env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const elapsed = performance.now() - started;
  if (run.status !== 0) throw new Error(`${command.label} exited ${run.status}: ${run.stderr.toString()}`);
  return elapsed;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function comparePairs(subject: Command, floor: Command, runs: number): void {
  timeOnce(subject); // warm the file cache for both before counting
  timeOnce(floor);
  const subjectTimes: number[] = [];
  const floorTimes: number[] = [];
  for (let run = 0; run < runs; run++) {
    subjectTimes.push(timeOnce(subject));
    floorTimes.push(timeOnce(floor));
  }
  const ratio = median(subjectTimes) / median(floorTimes);
  console.log(
    `${subject.label.padEnd(44)} ${median(subjectTimes).toFixed(0).padStart(5)} ms   ` +
      `${floor.label.padEnd(30)} ${median(floorTimes).toFixed(0).padStart(5)} ms   ${ratio.toFixed(2)}×`,
  );
}

export async function benchCli(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { runs: { type: 'string' }, 'no-image': { type: 'boolean' } } });
  const runs = Number(values.runs ?? 15);
  const env = machineEnvironment();
  console.log(`startup, median of ${runs} pairs of runs (wall time)`);
  comparePairs(
    { label: 'pnpm -s newsflow --help', file: 'pnpm', args: ['-s', 'newsflow', '--help'], cwd: REPO, env },
    { label: 'pnpm -s exec node -e 0', file: 'pnpm', args: ['-s', 'exec', 'node', '-e', '0'], cwd: REPO, env },
    runs,
  );
  const node = { label: 'node -e 0', file: process.execPath, args: ['-e', '0'], cwd: REPO };
  const pages = join(CORPORA_DIR, 'extraction/asb/html_gz');
  const page = join(pages, readdirSync(pages).sort()[0]!);
  comparePairs(
    {
      label: 'node services/cli/bin/newsflow.mjs --help',
      file: process.execPath,
      args: [bin(REPO), '--help'],
      cwd: REPO,
    },
    node,
    runs,
  );
  comparePairs(
    {
      label: 'newsflow extract PAGE.html.gz (one ASB page)',
      file: process.execPath,
      args: [bin(REPO), 'extract', page],
      cwd: REPO,
    },
    node,
    Math.min(runs, 5),
  );
  if (values['no-image']) return;
  const scratch = mkdtempSync(join(tmpdir(), 'newsflow-bench-image-'));
  try {
    console.log('replaying infra/Dockerfile into a scratch folder…');
    const image = replayRepositoryImage(REPO, scratch);
    const imageEnv = imageEnvironment(image);
    comparePairs(
      { label: 'image: newsflow --help', file: 'newsflow', args: ['--help'], cwd: image.workdir, env: imageEnv },
      { label: 'image: node -e 0', file: 'node', args: ['-e', '0'], cwd: image.workdir, env: imageEnv },
      runs,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const bin = (root: string) => join(root, 'services/cli/bin/newsflow.mjs');
