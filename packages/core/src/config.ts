import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, type Document } from 'yaml';
import { z } from 'zod';
import { parseDuration } from './duration.ts';
import { ConfigError, errorMessage } from './errors.ts';

/** Where articles go when DATABASE_URL is unset: a SQLite file under the working directory. */
export const DEFAULT_DATABASE_URL = 'file:./data/newsflow.db';

const MIN_INTERVAL_MS = 10_000;

const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === null || ms < MIN_INTERVAL_MS) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a duration of at least 10s such as 30s, 10m or 1h (got ${JSON.stringify(value)})`,
    });
    return z.NEVER;
  }
  return ms;
});

/** Retention-style durations (`30d`, `12h`), at least an hour. */
const longDuration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === null || ms < 3_600_000) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a duration of at least 1h such as 12h, 30d or 90d (got ${JSON.stringify(value)})`,
    });
    return z.NEVER;
  }
  return ms;
});

const httpUrl = z.string().refine(
  (value) => {
    try {
      const { protocol } = new URL(value);
      return protocol === 'http:' || protocol === 'https:';
    } catch {
      return false;
    }
  },
  { error: (issue) => `expected an http(s) URL (got ${JSON.stringify(issue.input)})` },
);

const extractRules = z
  .object({
    include: z.string().min(1).optional(),
    exclude: z.array(z.string().min(1)).default([]),
  })
  .strict();

const feedSchema = z
  .object({
    url: httpUrl,
    name: z.string().min(1).optional(),
    interval: duration.optional(),
    tags: z.array(z.string()).default([]),
    extract: extractRules.optional(),
  })
  .strict();

const fetchSchema = z
  .object({
    userAgent: z.string().min(1).default('newsflow/0.1 (+https://github.com/newsflow/newsflow)'),
    timeoutMs: z.number().int().min(1000).max(300_000).default(20_000),
    maxBytes: z
      .number()
      .int()
      .min(1024)
      .default(10 * 1024 * 1024),
    maxRedirects: z.number().int().min(0).max(20).default(5),
    allowPrivateNetworks: z.boolean().default(false),
    perHostConcurrency: z.number().int().min(1).max(64).default(2),
    perHostDelayMs: z.number().int().min(0).max(600_000).default(1000),
    respectRobots: z.boolean().default(true),
  })
  .strict();

const dedupSchema = z
  .object({
    paragraphThreshold: z.number().gt(0).max(1).default(0.42),
    articleThreshold: z.number().gt(0).max(1).default(0.8),
    minWords: z.number().int().min(1).max(100).default(8),
    retention: longDuration.default(30 * 86_400_000),
  })
  .strict();

/** Jobs each worker process runs at once, per stage, and the threads that extract articles and fingerprint them. */
const workersSchema = z
  .object({
    feedFetch: z.number().int().min(1).max(256).default(4),
    scrape: z.number().int().min(1).max(256).default(16),
    dedup: z.number().int().min(1).max(256).default(8),
    store: z.number().int().min(1).max(1024).default(32),
    /** Worker threads that parse and extract pages; 0 extracts on the event loop. Default: cores - 1, at least 1. */
    extractThreads: z.number().int().min(0).max(64).optional(),
    /** Worker threads that compute the deduper's MinHash fingerprints; 0 on the event loop. Default: cores - 2. */
    fingerprintThreads: z.number().int().min(0).max(64).optional(),
  })
  .strict();

const configSchema = z
  .object({
    feeds: z.array(feedSchema).default([]),
    defaults: z
      .object({ interval: duration.default(15 * 60_000) })
      .strict()
      .prefault({}),
    fetch: fetchSchema.prefault({}),
    dedup: dedupSchema.prefault({}),
    workers: workersSchema.prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    // `HTTP://Example.org/rss` and `http://example.org/rss` are one feed: compare as the URL parser spells them.
    const seen = new Map<string, string>();
    config.feeds.forEach((feed, index) => {
      const spelled = new URL(feed.url).href;
      const first = seen.get(spelled);
      if (first !== undefined) {
        const also = first === feed.url ? '' : ` (also listed as ${first})`;
        ctx.addIssue({
          code: 'custom',
          path: ['feeds', index, 'url'],
          message: `duplicate feed URL ${feed.url}${also}`,
        });
      } else seen.set(spelled, feed.url);
    });
  });

type ParsedConfig = z.output<typeof configSchema>;
export type FetchSettings = ParsedConfig['fetch'];
export type DedupSettings = Omit<ParsedConfig['dedup'], 'retention'> & { retentionMs: number };
export type ExtractRules = z.output<typeof extractRules>;
export type WorkerSettings = ParsedConfig['workers'];

export interface FeedConfig {
  url: string;
  name: string;
  intervalMs: number;
  tags: string[];
  extract?: ExtractRules;
}

export interface Config {
  feeds: FeedConfig[];
  fetch: FetchSettings;
  dedup: DedupSettings;
  workers: WorkerSettings;
  defaults: { intervalMs: number };
}

/** Parses and validates a feeds.yaml text; every problem is reported with its line, key and what is allowed. */
export function parseConfig(text: string, source = 'config'): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((error) => {
      const line = lineCounter.linePos(error.pos[0]).line;
      return `${source}${line ? `:${line}` : ''}: invalid YAML: ${error.message.split('\n')[0]}`;
    });
    throw new ConfigError(problems.join('\n'), problems);
  }
  const raw: unknown = doc.toJS() ?? {};
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => describeIssue(issue, doc, lineCounter, source));
    throw new ConfigError(problems.join('\n'), problems);
  }
  return resolveConfig(result.data);
}

export function loadConfig(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${path}: cannot read config file: ${errorMessage(error)}`);
  }
  return parseConfig(text, path);
}

function resolveConfig(parsed: ParsedConfig): Config {
  return {
    feeds: parsed.feeds.map((feed) => ({
      url: feed.url,
      name: feed.name ?? new URL(feed.url).hostname,
      intervalMs: feed.interval ?? parsed.defaults.interval,
      tags: feed.tags,
      ...(feed.extract ? { extract: feed.extract } : {}),
    })),
    fetch: parsed.fetch,
    dedup: {
      paragraphThreshold: parsed.dedup.paragraphThreshold,
      articleThreshold: parsed.dedup.articleThreshold,
      minWords: parsed.dedup.minWords,
      retentionMs: parsed.dedup.retention,
    },
    workers: parsed.workers,
    defaults: { intervalMs: parsed.defaults.interval },
  };
}

function describeIssue(issue: z.core.$ZodIssue, doc: Document, lineCounter: LineCounter, source: string): string {
  const path = [...issue.path] as (string | number)[];
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeysAt(path);
    const key = issue.keys[0]!;
    path.push(key);
    message = `unknown key ${JSON.stringify(key)}${allowed ? ` (allowed: ${allowed.join(', ')})` : ''}`;
  } else if (issue.code === 'invalid_type') {
    // zod reports a wrong type and an absent key alike: the document tells them apart.
    message = doc.hasIn(path)
      ? `expected ${issue.expected} (got ${JSON.stringify(doc.getIn(path))})`
      : `required key is missing (expected ${issue.expected})`;
  }
  const line = lineOf(doc, lineCounter, path);
  return `${source}${line ? `:${line}` : ''}: ${formatPath(path) || '(top level)'}: ${message}`;
}

function formatPath(path: (string | number)[]): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    '',
  );
}

const ALLOWED_KEYS: Record<string, string[]> = {
  '': Object.keys(configSchema.shape),
  feeds: Object.keys(feedSchema.shape),
  fetch: Object.keys(fetchSchema.shape),
  dedup: Object.keys(dedupSchema.shape),
  defaults: ['interval'],
  extract: Object.keys(extractRules.shape),
};

function allowedKeysAt(path: (string | number)[]): string[] | undefined {
  const named = path.filter((part): part is string => typeof part === 'string');
  return ALLOWED_KEYS[named.at(-1) ?? ''];
}

/** The line of the deepest node on `path` that exists in the document (the key itself when it is there). */
function lineOf(doc: Document, lineCounter: LineCounter, path: (string | number)[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const parentPath = path.slice(0, depth - 1);
    const key = path[depth - 1];
    const parent = depth === 0 ? doc.contents : doc.getIn(parentPath, true);
    if (depth > 0 && isMap(parent)) {
      const pair = parent.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
      const keyNode = pair?.key as { range?: [number, number, number] } | undefined;
      if (keyNode?.range) return lineCounter.linePos(keyNode.range[0]).line;
    }
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (range) return lineCounter.linePos(range[0]).line;
  }
  return undefined;
}
