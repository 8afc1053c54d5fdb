/**
 * Replays a Dockerfile without a Docker engine: each stage gets a folder of its own standing for its file system
 * root, WORKDIR and COPY act on those folders, and RUN runs the stage's commands in order with their absolute paths
 * placed under the stage's folder. Steps that install system tools (apt-get, `npm install -g`) are not run but
 * checked: the tool must already be on this machine, at the version pinned. The result is the runtime stage's
 * folder: only what the image's last stage copied and made.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join, posix } from 'node:path';

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  name: string;
  instructions: Instruction[];
}

/** Instructions by stage, continuation lines joined, comments dropped. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    let content = lines[index]!.trim();
    if (!content || content.startsWith('#')) continue;
    while (content.endsWith('\\') && index + 1 < lines.length) {
      const next = lines[++index]!.trim();
      content = `${content.slice(0, -1).trimEnd()} ${next.startsWith('#') ? '' : next}`.trimEnd();
    }
    const [keyword, ...rest] = content.split(/\s+/);
    const instruction = { keyword: keyword!.toUpperCase(), args: rest.join(' '), line };
    if (instruction.keyword === 'FROM') {
      const name = /\bAS\s+(\S+)/i.exec(instruction.args)?.[1] ?? String(stages.length);
      stages.push({ name, instructions: [] });
    } else if (stages.length === 0) throw new Error(`Dockerfile line ${line}: ${keyword} before FROM`);
    stages.at(-1)!.instructions.push(instruction);
  }
  return stages;
}

export interface ReplayResult {
  /** The runtime stage's root folder. */
  root: string;
  /** WORKDIR of the runtime stage, inside `root`. */
  workdir: string;
  /** ENV of the runtime stage, absolute paths placed under `root`. */
  env: Record<string, string>;
  entrypoint: string[];
  cmd: string[];
  /** The HEALTHCHECK's command, exec form. */
  healthcheck: string[] | null;
  /** The system-tool steps checked instead of run, for the test to report. */
  checkedInstead: string[];
}

/**
 * Replays `dockerfile` with the build context `contextFiles` (paths relative to `contextDir`) into `scratch`.
 * `ignore` is .dockerignore's patterns.
 */
export function replayDockerfile(options: {
  dockerfile: string;
  contextDir: string;
  contextFiles: string[];
  ignore: string[];
  scratch: string;
  env: NodeJS.ProcessEnv;
}): ReplayResult {
  const stages = parseDockerfile(options.dockerfile);
  const roots = new Map<string, string>();
  const ignored = options.ignore.map(dockerignorePattern);
  const context = options.contextFiles.filter((file) => !ignored.some((pattern) => pattern.test(file)));
  const checkedInstead: string[] = [];
  let result: ReplayResult | undefined;
  for (const stage of stages) {
    const root = join(options.scratch, `stage-${stage.name}`);
    roots.set(stage.name, root);
    for (const systemDir of ['usr/local/bin', 'tmp']) mkdirSync(join(root, systemDir), { recursive: true });
    const inRoot = (path: string) => join(root, path);
    let workdir = '/';
    const env: Record<string, string> = {};
    const state: ReplayResult = {
      root,
      workdir: root,
      env,
      entrypoint: [],
      cmd: [],
      healthcheck: null,
      checkedInstead,
    };
    for (const { keyword, args, line } of stage.instructions) {
      const where = `Dockerfile line ${line}`;
      switch (keyword) {
        case 'FROM':
        case 'USER':
        case 'EXPOSE':
          break;
        case 'WORKDIR':
          workdir = posix.resolve(workdir, args);
          mkdirSync(inRoot(workdir), { recursive: true });
          break;
        case 'ENV':
          for (const match of args.matchAll(/(\w+)=("[^"]*"|\S+)/g))
            env[match[1]!] = placeAbsolutePaths(match[2]!.replace(/^"|"$/g, ''), root);
          break;
        case 'COPY': {
          const words = args.split(/\s+/);
          const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
          const [source, destination] = words.filter((word) => !word.startsWith('--'));
          if (!source || !destination) throw new Error(`${where}: COPY needs a source and a destination`);
          const target = inRoot(posix.resolve(workdir, destination));
          if (from) {
            const sourceRoot = roots.get(from);
            if (!sourceRoot) throw new Error(`${where}: no stage named ${from}`);
            // verbatimSymlinks: pnpm's node_modules is relative links into .pnpm; they must stay relative.
            cpSync(join(sourceRoot, source), target, { recursive: true, verbatimSymlinks: true });
          } else {
            const prefix = source === '.' ? '' : `${source.replace(/\/$/, '')}/`;
            for (const file of context.filter((entry) => entry.startsWith(prefix) || entry === source)) {
              const relative = file === source ? posix.basename(file) : file.slice(prefix.length);
              mkdirSync(dirname(join(target, relative)), { recursive: true });
              cpSync(join(options.contextDir, file), join(target, relative), { verbatimSymlinks: true });
            }
          }
          break;
        }
        case 'RUN': {
          const systemStep = checkSystemStep(args);
          if (systemStep) {
            checkedInstead.push(systemStep);
            break;
          }
          const command = withoutMissingUserChown(placeAbsolutePaths(args, root));
          const run = spawnSync('bash', ['-euo', 'pipefail', '-c', command], {
            cwd: inRoot(workdir),
            env: { ...options.env, ...env },
            encoding: 'utf8',
            maxBuffer: 64 * 1024 * 1024,
          });
          if (run.status !== 0)
            throw new Error(`${where}: RUN ${args} exited ${run.status}\n${run.stdout}\n${run.stderr}`);
          break;
        }
        case 'ENTRYPOINT':
          state.entrypoint = JSON.parse(args) as string[];
          break;
        case 'CMD':
          state.cmd = JSON.parse(args) as string[];
          break;
        case 'HEALTHCHECK': {
          const exec = /\bCMD\s+(\[.*\])\s*$/.exec(args);
          if (!exec) throw new Error(`${where}: HEALTHCHECK needs CMD in exec form`);
          state.healthcheck = JSON.parse(exec[1]!) as string[];
          break;
        }
        default:
          throw new Error(`${where}: the replay does not know ${keyword}`);
      }
    }
    state.workdir = inRoot(workdir);
    result = state;
  }
  if (!result) throw new Error('the Dockerfile has no stage');
  return result;
}

/** `/app/x` → `<root>/app/x` wherever an absolute path stands alone or after `=`/`:` (as in `file:/app/db`). */
function placeAbsolutePaths(text: string, root: string): string {
  return text.replace(/(^|[\s=:])(\/[\w.@/-]+)/g, (_, before: string, path: string) => `${before}${root}${path}`);
}

/** `chown node:node x` where this machine has no such user: ownership is the one thing a folder cannot replay. */
function withoutMissingUserChown(command: string): string {
  return command.replace(/\bchown\s+(\w+):\w+\s+\S+/g, (step, user: string) =>
    spawnSync('id', [user]).status === 0 ? step : 'true',
  );
}

/**
 * apt-get and `npm install -g` install into the system, which a replay must not touch: the tools they name must
 * be here already (pnpm at the pinned version). Returns what was checked, or null for a step to run.
 */
function checkSystemStep(command: string): string | null {
  if (/\bapt-get\b/.test(command)) {
    const packages = /install\s+(?:-\S+\s+)*([^&|;]+)/.exec(command)?.[1]?.trim().split(/\s+/) ?? [];
    for (const tool of packages) execFileSync('bash', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return `apt-get install ${packages.join(' ')}: present`;
  }
  const global = /\bnpm install -g (\S+)@(\S+)/.exec(command);
  if (global) {
    const version = execFileSync(global[1]!, ['--version'], { encoding: 'utf8' }).trim();
    if (version !== global[2]) throw new Error(`${global[1]} ${global[2]} is pinned, this machine has ${version}`);
    return `npm install -g ${global[1]}@${global[2]}: present`;
  }
  return null;
}

/** One .dockerignore line as a test on a context-relative path (the path itself or any folder above it). */
function dockerignorePattern(pattern: string): RegExp {
  const body = pattern
    .replace(/^\.\//, '')
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .split('**/')
    .map((part) => part.replace(/\*/g, '[^/]*'))
    .join('(?:.*/)?');
  return new RegExp(`^${body}(?:/.*)?$`);
}

export function readDockerignore(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

/**
 * This machine's environment as a build or the image sees it: without what pnpm and vitest set for the process that
 * runs the replay, and without this checkout's node_modules on the PATH.
 */
export function machineEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^(npm_|PNPM_|VITEST|NODE_OPTIONS)/.test(key)) delete env[key];
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((entry) => !entry.includes('node_modules'))
    .join(delimiter);
  return env;
}

/** Replays the repository's infra/Dockerfile on its tracked files (less .dockerignore) into `scratch`. */
export function replayRepositoryImage(repo: string, scratch: string): ReplayResult {
  return replayDockerfile({
    dockerfile: readFileSync(join(repo, 'infra/Dockerfile'), 'utf8'),
    contextDir: repo,
    contextFiles: execFileSync('git', ['ls-files', '-z'], { cwd: repo, encoding: 'utf8' }).split('\0').filter(Boolean),
    ignore: readDockerignore(join(repo, '.dockerignore')),
    scratch,
    env: machineEnvironment(),
  });
}

/** The environment of a process in the replayed image: its ENV, its PATH first, a HOME of its own. */
export function imageEnvironment(image: ReplayResult, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: [join(image.root, 'usr/local/bin'), machineEnvironment().PATH].join(delimiter),
    HOME: join(image.root, 'tmp'),
    ...image.env,
    ...extra,
  };
}
