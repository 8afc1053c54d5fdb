import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  checkRedis,
  classifyFailure,
  ConfigError,
  ConnectionError,
  createLogger,
  createQueues,
  createRedis,
  errorMessage,
  followConfig,
  loadConfig,
  parseConfig,
  parseDuration,
  type Config,
  type Logger,
} from '@newsflow/core';
import type { ArticleStore } from '@newsflow/storage';
import { DEFAULT_DASHBOARD_PORT, parsePort, readEnvironment, type Environment } from './environment.ts';
import { SERVICE_NAMES, USAGE, type ServiceName } from './usage.ts';
import type { ExportFormat } from './commands/export.ts';
import type { Runtime } from './services.ts';

// Each command imports what only it needs when it runs (the database drivers, the workers, the extractor), so a
// command starts without loading the others' modules.
const openStore = async (url: string) => (await import('@newsflow/storage')).openStore(url);
const services = () => import('./services.ts');

/** Exit codes: 2 usage or configuration errors, 3 Redis or the database unreachable, 1 anything else. */
export const EXIT = { ok: 0, failure: 1, config: 2, connection: 3 } as const;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const env = readEnvironment();
  const logger = createLogger({ name: command === 'worker' ? rest[0] : command });
  switch (command) {
    case 'start':
      return start(rest, env, logger);
    case 'run':
      return runOnce(rest, env, logger);
    case 'worker':
      return worker(rest, env, logger);
    case 'export':
      return exportCommand(rest, env);
    case 'search':
      return searchCommand(rest, env);
    case 'prune':
      return pruneCommand(rest, env, logger);
    case 'feeds':
      return feedsCommand(rest, env);
    case 'status':
      return status(env);
    case 'dashboard':
      return dashboardCommand(rest, env, logger);
    case 'retry':
      return retryCommand(rest, env);
    case 'reindex':
      return reindexCommand(rest, env, logger);
    case 'extract':
    case 'parse-feed':
    case 'dedup':
      return inspect(command, rest, env);
    case 'demo':
      await (await import('./commands/demo.ts')).runDemo({ redisUrl: env.redisUrl, logger, out: process.stdout });
      return EXIT.ok;
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

function parse<T extends Record<string, { type: 'string' | 'boolean' }>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
}

async function start(args: string[], env: Environment, logger: Logger): Promise<number> {
  const { values } = parse(args, { config: { type: 'string' } });
  const configPath = values.config ?? env.configPath;
  const config = loadConfig(configPath);
  warnWithoutFeeds(config, configPath, logger);
  const { openRuntime, serveHealth, startServices } = await services();
  const runtime = await openRuntime(config, { redisUrl: env.redisUrl, prefix: env.prefix, logger });
  const store = await openStore(env.databaseUrl);
  const running = await startServices(SERVICE_NAMES, runtime, { store, configPath });
  const health = env.httpPort === null ? null : await serveHealth(env.httpPort, runtime, store);
  const dashboard = await startDashboardBeside(env, runtime, store, () => config, logger);
  logger.info(
    {
      feeds: config.feeds.length,
      database: store.description,
      health: health?.url ?? null,
      dashboard: dashboard?.url ?? null,
    },
    'newsflow started; Ctrl-C to stop',
  );
  await untilSignal(logger);
  await dashboard?.close();
  await health?.close();
  await running.close();
  await runtime.close();
  await store.close();
  return EXIT.ok;
}

async function runOnce(args: string[], env: Environment, logger: Logger): Promise<number> {
  const { values } = parse(args, {
    once: { type: 'boolean' },
    config: { type: 'string' },
    timeout: { type: 'string' },
  });
  if (!values.once) throw new UsageError('`run` needs --once (to poll forever, use `start`)');
  const config = loadConfig(values.config ?? env.configPath);
  warnWithoutFeeds(config, values.config ?? env.configPath, logger);
  const timeoutMs = values.timeout ? Number(values.timeout) * 1000 : 30 * 60 * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError('--timeout takes a number of seconds');
  const { openRuntime } = await services();
  const { formatSummary, runPipelineOnce } = await import('./commands/run-once.ts');
  const runtime = await openRuntime(config, { redisUrl: env.redisUrl, prefix: env.prefix, logger });
  let store: ArticleStore | undefined;
  try {
    store = await openStore(env.databaseUrl);
    const summary = await runPipelineOnce(runtime, store, config, { timeoutMs, logger, progress: process.stderr });
    process.stdout.write(`${formatSummary(summary)}\n`);
    return summary.timedOut ? EXIT.failure : EXIT.ok;
  } finally {
    await store?.close();
    await runtime.close();
  }
}

async function worker(args: string[], env: Environment, logger: Logger): Promise<number> {
  const { values, positionals } = parse(args, { config: { type: 'string' } });
  const name = positionals[0] as ServiceName | undefined;
  if (!name || !SERVICE_NAMES.includes(name)) {
    throw new UsageError(`worker needs a NAME, one of: ${SERVICE_NAMES.join(', ')}`);
  }
  const configPath = values.config ?? env.configPath;
  const config = loadConfig(configPath);
  if (name === 'scheduler') warnWithoutFeeds(config, configPath, logger);
  const { openRuntime, serveHealth, startServices } = await services();
  const runtime = await openRuntime(config, { redisUrl: env.redisUrl, prefix: env.prefix, logger });
  // The scheduler reads the database's feed list beside the config's.
  const store = name === 'storage' || name === 'scheduler' ? await openStore(env.databaseUrl) : undefined;
  const running = await startServices([name], runtime, { ...(store ? { store } : {}), configPath });
  const health = env.httpPort === null ? null : await serveHealth(env.httpPort, runtime, store);
  logger.info({ service: name, health: health?.url ?? null }, 'worker started');
  await untilSignal(logger);
  await health?.close();
  await running.close();
  await runtime.close();
  await store?.close();
  return EXIT.ok;
}

/**
 * `start`'s dashboard. A port already taken costs the dashboard, not the pipeline: the error is logged and `start`
 * goes on without it.
 */
async function startDashboardBeside(
  env: Environment,
  runtime: Runtime,
  store: ArticleStore,
  config: () => Config,
  logger: Logger,
) {
  if (env.dashboard.port === null) return null;
  const { startDashboard } = await import('./dashboard/server.ts');
  try {
    return await startDashboard({
      ...env.dashboard,
      port: env.dashboard.port,
      queues: runtime.queues,
      redis: runtime.redis,
      prefix: env.prefix,
      store,
      config,
      logger: logger.child({ stage: 'dashboard' }),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    logger.error(
      { port: env.dashboard.port, reason: errorMessage(error) },
      'no dashboard: its port is taken (set NEWSFLOW_DASHBOARD_PORT, or off)',
    );
    return null;
  }
}

/** `newsflow dashboard`: the dashboard alone, against the same Redis and database as the workers. */
async function dashboardCommand(args: string[], env: Environment, logger: Logger): Promise<number> {
  const { values } = parse(args, { port: { type: 'string' }, host: { type: 'string' }, config: { type: 'string' } });
  const port =
    values.port === undefined ? (env.dashboard.port ?? DEFAULT_DASHBOARD_PORT) : parsePort(values.port, '--port');
  const configPath = values.config ?? env.configPath;
  const config = loadConfigOrDefaults(configPath, values.config !== undefined);
  const follower = existsSync(configPath)
    ? followConfig(configPath, config, {
        onInvalid: (error) =>
          logger.warn({ reason: errorMessage(error) }, 'config change ignored: the file is invalid'),
      })
    : null;
  await checkRedis(env.redisUrl);
  const redis = createRedis(env.redisUrl);
  const queues = createQueues(redis, env.prefix, logger);
  const store = await openStore(env.databaseUrl);
  try {
    const { startDashboard } = await import('./dashboard/server.ts');
    const dashboard = await startDashboard({
      ...env.dashboard,
      port,
      host: values.host ?? env.dashboard.host,
      queues,
      redis,
      prefix: env.prefix,
      store,
      config: () => config,
      logger,
    });
    process.stdout.write(`newsflow dashboard at ${dashboard.url} (Ctrl-C to stop)\n`);
    await untilSignal(logger);
    await dashboard.close();
  } finally {
    follower?.close();
    await Promise.all(Object.values(queues).map((queue) => queue.close()));
    await redis.quit();
    await store.close();
  }
  return EXIT.ok;
}

async function exportCommand(args: string[], env: Environment): Promise<number> {
  const { values } = parse(args, {
    format: { type: 'string' },
    since: { type: 'string' },
    feed: { type: 'string' },
    query: { type: 'string' },
  });
  const format = (values.format ?? 'jsonl') as ExportFormat;
  if (format !== 'jsonl' && format !== 'csv') throw new UsageError('--format is jsonl or csv');
  const { exportArticles } = await import('./commands/export.ts');
  const store = await openStore(env.databaseUrl);
  try {
    await exportArticles(store, process.stdout, format, {
      ...(values.since ? { since: sinceInstant(values.since) } : {}),
      ...(values.feed ? { feedUrl: values.feed } : {}),
      ...(values.query !== undefined ? { query: values.query } : {}),
    });
  } finally {
    await store.close();
  }
  return EXIT.ok;
}

async function searchCommand(args: string[], env: Environment): Promise<number> {
  const { values, positionals } = parse(args, {
    since: { type: 'string' },
    feed: { type: 'string' },
    limit: { type: 'string' },
  });
  const query = positionals.join(' ');
  if (!query.trim()) throw new UsageError('search needs a QUERY');
  const limit = values.limit ? Number(values.limit) : 20;
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit takes a positive whole number');
  const store = await openStore(env.databaseUrl);
  try {
    const hits = await store.search(query, {
      limit,
      ...(values.since ? { since: sinceInstant(values.since) } : {}),
      ...(values.feed ? { feedUrl: values.feed } : {}),
    });
    for (const hit of hits) process.stdout.write(`${JSON.stringify(hit)}\n`);
  } finally {
    await store.close();
  }
  return EXIT.ok;
}

async function pruneCommand(args: string[], env: Environment, logger: Logger): Promise<number> {
  const { values } = parse(args, { 'older-than': { type: 'string' }, config: { type: 'string' } });
  const age = values['older-than'] ? parseDuration(values['older-than']) : null;
  if (age === null || age < 3_600_000)
    throw new UsageError('prune needs --older-than with a duration of at least 1h, such as 90d');
  const configPath = values.config ?? env.configPath;
  const config = loadConfigOrDefaults(configPath, values.config !== undefined);
  await checkRedis(env.redisUrl);
  const store = await openStore(env.databaseUrl);
  const redis = createRedis(env.redisUrl);
  try {
    const cutoff = new Date(Date.now() - age).toISOString();
    const removed = await store.pruneOlderThan(cutoff);
    const { RedisDedupIndex } = await import('@newsflow/dedup');
    const index = new RedisDedupIndex(redis, env.prefix, config.dedup);
    await index.forget(removed);
    await index.purgeExpired();
    logger.info({ removed: removed.length, cutoff }, 'pruned');
    process.stdout.write(`pruned ${removed.length} articles fetched before ${cutoff}\n`);
  } finally {
    await store.close();
    await redis.quit();
  }
  return EXIT.ok;
}

async function status(env: Environment): Promise<number> {
  const { formatStatus, readStatus } = await import('./commands/status.ts');
  await checkRedis(env.redisUrl);
  const redis = createRedis(env.redisUrl);
  const queues = createQueues(redis, env.prefix);
  try {
    process.stdout.write(`${formatStatus(await readStatus(queues))}\n`);
  } finally {
    await Promise.all(Object.values(queues).map((queue) => queue.close()));
    await redis.quit();
  }
  return EXIT.ok;
}

async function retryCommand(args: string[], env: Environment): Promise<number> {
  const { values } = parse(args, { stage: { type: 'string' }, reason: { type: 'string' } });
  const { retryFailed, STAGE_NAMES, stageQueue } = await import('./commands/retry.ts');
  const queue = values.stage === undefined ? undefined : stageQueue(values.stage);
  if (queue === null) throw new UsageError(`--stage is one of: ${STAGE_NAMES.join(', ')}`);
  await checkRedis(env.redisUrl);
  const redis = createRedis(env.redisUrl);
  const queues = createQueues(redis, env.prefix);
  try {
    const reports = await retryFailed(queues, {
      ...(queue ? { queue } : {}),
      ...(values.reason ? { reason: values.reason } : {}),
    });
    for (const report of reports) process.stdout.write(`${report.queue}: ${report.retried} retried\n`);
  } finally {
    await Promise.all(Object.values(queues).map((entry) => entry.close()));
    await redis.quit();
  }
  return EXIT.ok;
}

async function reindexCommand(args: string[], env: Environment, logger: Logger): Promise<number> {
  const { values } = parse(args, { config: { type: 'string' } });
  const config = loadConfigOrDefaults(values.config ?? env.configPath, values.config !== undefined);
  await checkRedis(env.redisUrl);
  const store = await openStore(env.databaseUrl);
  const redis = createRedis(env.redisUrl);
  try {
    const { reindex } = await import('@newsflow/storage-worker');
    const report = await reindex(store, redis, env.prefix, config, (progress) => logger.info(progress, 'reindexing'));
    process.stdout.write(`marked ${report.seen} stored articles seen, indexed ${report.indexed} for dedup\n`);
  } finally {
    await store.close();
    await redis.quit();
  }
  return EXIT.ok;
}

async function feedsCommand(args: string[], env: Environment): Promise<number> {
  const { values, positionals } = parse(args, {
    config: { type: 'string' },
    name: { type: 'string' },
    'no-check': { type: 'boolean' },
    db: { type: 'boolean' },
  });
  const [action, url] = positionals;
  const configPath = values.config ?? env.configPath;
  if (values.db) return databaseFeedsCommand(action, url, env);
  const { addFeed, exportFeeds, feedHealthRows, formatFeedHealth, importFeeds, listFeeds, removeFeed, resolveFeed } =
    await import('./commands/feeds.ts');
  if (action === 'add' && url && !values['no-check']) {
    const feed = await resolveFeed(url, loadConfig(configPath).fetch);
    const name = values.name ?? feed.title ?? undefined;
    if (feed.url !== url) process.stderr.write(`${url} is a web page; it announces the feed ${feed.url}\n`);
    process.stdout.write(`${addFeed(configPath, feed.url, name)}\n`);
    return EXIT.ok;
  }
  if (action === 'health') {
    const config = loadConfigOrDefaults(configPath, values.config !== undefined);
    const store = await openStore(env.databaseUrl);
    try {
      process.stdout.write(`${formatFeedHealth(feedHealthRows(config.feeds, await store.feedHealth()))}\n`);
    } finally {
      await store.close();
    }
    return EXIT.ok;
  }
  if (action === 'import' && url) {
    process.stdout.write(`${importFeeds(configPath, url)}\n`);
    return EXIT.ok;
  }
  if (action === 'export') {
    process.stdout.write(exportFeeds(configPath));
    return EXIT.ok;
  }
  if (action === 'list') {
    process.stdout.write(`${listFeeds(configPath)}\n`);
    return EXIT.ok;
  }
  if ((action === 'add' || action === 'remove') && url) {
    const message = action === 'add' ? addFeed(configPath, url, values.name) : removeFeed(configPath, url);
    process.stdout.write(`${message}\n`);
    return EXIT.ok;
  }
  throw new UsageError('feeds takes: list | add URL [--name N] | remove URL | health | import FILE.opml | export');
}

/** `feeds … --db`: the feed list kept in the database (DATABASE_URL), for lists too long for the config file. */
async function databaseFeedsCommand(
  action: string | undefined,
  url: string | undefined,
  env: Environment,
): Promise<number> {
  const { importFeedsIntoDatabase, listDatabaseFeeds } = await import('./commands/feeds.ts');
  if (!(action === 'list' || ((action === 'import' || action === 'remove') && url)))
    throw new UsageError('feeds --db takes: list | import FILE (OPML, or one URL per line) | remove URL');
  const store = await openStore(env.databaseUrl);
  try {
    if (action === 'import') process.stdout.write(`${await importFeedsIntoDatabase(store, url!)}\n`);
    else if (action === 'list') process.stdout.write(`${await listDatabaseFeeds(store)}\n`);
    else {
      const removed = await store.removeFeeds(URL.canParse(url!) ? [url!, new URL(url!).href] : [url!]);
      process.stdout.write(`${removed > 0 ? `removed ${url}` : `${url} is not in the database's feed list`}\n`);
    }
  } finally {
    await store.close();
  }
  return EXIT.ok;
}

/** An empty feed list is valid (feeds can be added while running) but is rarely what someone meant. */
function warnWithoutFeeds(config: Config, configPath: string, logger: Logger): void {
  if (config.feeds.length === 0)
    logger.warn(
      { config: configPath },
      `no feeds in ${configPath}: nothing will be polled until one is added (\`newsflow feeds add URL\`)`,
    );
}

/** `--since` takes an ISO date or a duration back from now (`7d`, `12h`). */
function sinceInstant(value: string): string {
  const age = parseDuration(value);
  if (age !== null) return new Date(Date.now() - age).toISOString();
  if (Number.isNaN(Date.parse(value)))
    throw new UsageError(`--since takes an ISO date or a duration such as 7d or 12h (got ${value})`);
  return new Date(value).toISOString();
}

/** The config file when there is one (or when it was named: then missing is an error), else the defaults. */
function loadConfigOrDefaults(configPath: string, named: boolean) {
  return named || existsSync(configPath) ? loadConfig(configPath) : parseConfig('', 'defaults');
}

/** The offline commands: no Redis, no database; the config file only for its settings, when there is one. */
async function inspect(command: 'extract' | 'parse-feed' | 'dedup', args: string[], env: Environment): Promise<number> {
  const { values, positionals } = parse(args, { config: { type: 'string' } });
  const configPath = values.config ?? env.configPath;
  const config = loadConfigOrDefaults(configPath, values.config !== undefined);
  const print = (record: object) =>
    new Promise<void>((resolve) => {
      if (process.stdout.write(`${JSON.stringify(record)}\n`)) resolve();
      else process.stdout.once('drain', resolve);
    });
  const { dedupCommand, extractCommand, parseFeedCommand } = await import('./commands/inspect.ts');
  if (command === 'dedup') return (await dedupCommand(process.stdin, config, print)) ? EXIT.ok : EXIT.failure;
  if (positionals.length === 0) throw new UsageError(`${command} needs at least one FILE or URL`);
  const run = command === 'extract' ? extractCommand : parseFeedCommand;
  return (await run(positionals, config, print)) ? EXIT.ok : EXIT.failure;
}

/**
 * A second signal this soon after the first is the same Ctrl-C delivered twice, not a person insisting: the terminal
 * signals its whole foreground group, and `pnpm start` forwards the signal to us as well.
 */
const SAME_SIGNAL_MS = 3000;

/**
 * Resolves on the first SIGINT or SIGTERM; a second one (a deliberate one, see SAME_SIGNAL_MS) exits at once. The
 * listeners stay installed from the start: removing the last one (as `once` does) gives the signal back its default
 * action until the next is added, and the copy pnpm forwards a moment later killed the process in that window.
 */
function untilSignal(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    let firstAt: number | null = null;
    const onSignal = (signal: NodeJS.Signals) => {
      if (firstAt === null) {
        firstAt = Date.now();
        logger.info({ signal }, 'stopping: finishing active jobs (signal again to exit now)');
        resolve();
      } else if (Date.now() - firstAt > SAME_SIGNAL_MS) process.exit(EXIT.failure);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

function exitCodeFor(error: unknown): number {
  if (error instanceof ConfigError || error instanceof UsageError) return EXIT.config;
  // Redis or the database went away after the first check (a restart while a worker starts): the same case.
  if (error instanceof ConnectionError || classifyFailure(error) === 'transient') return EXIT.connection;
  return EXIT.failure;
}

/**
 * The exit code and the line printed on the way out. A connection lost after the first check (a socket reset while
 * a worker runs its migrations or first sync) says what happened, as "cannot reach …" does at the first check,
 * not only the socket's "read ECONNRESET".
 */
export function exitReport(error: unknown): { code: number; message: string } {
  const code = exitCodeFor(error);
  const reason = errorMessage(error);
  if (code !== EXIT.connection || error instanceof ConnectionError) return { code, message: reason };
  return {
    code,
    message: `cannot reach Redis or the database: ${reason} (lost after the first check; exit code ${code}, so that a supervisor starts this again)`,
  };
}

/** Exits once stdout has taken everything written to it: `process.exit` alone drops what a slow pipe has not read. */
function exitAfterOutput(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

/**
 * Runs one command (main.ts has already answered `--help`) and exits with its code, once `beforeExit` has settled:
 * main.ts waits there for extraction threads it started early, since an exit while a thread still loads its modules
 * (Redis unreachable, a bad config) would abort the process instead of exiting with its code.
 */
export function runCommand(argv: string[], beforeExit: () => Promise<void> = async () => {}): void {
  // A reader that went away (`newsflow export | head`) is not an error of ours: stop quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    throw error;
  });
  const exit = (code: number) => void beforeExit().then(() => exitAfterOutput(code));
  main(argv).then(exit, (error: unknown) => {
    const { code, message } = exitReport(error);
    process.stderr.write(`newsflow: ${message}\n`);
    if (error instanceof UsageError) process.stderr.write(`\n${USAGE}\n`);
    if (code === EXIT.failure && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    exit(code);
  });
}
