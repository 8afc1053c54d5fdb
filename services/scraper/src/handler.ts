import {
  PermanentError,
  politenessWaitsTotal,
  saveBody,
  bodyKey,
  type ArticleDedupPayload,
  type ArticleRecord,
  type ArticleScrapePayload,
  type Config,
  type StageContext,
  type RedisClient,
} from '@newsflow/core';
import { decodeBytes, fetchPolitely, type HostSlots, type RobotsCache } from '@newsflow/fetch';
import type { ArticleFingerprints, FingerprintSettings } from '@newsflow/dedup';
import type { ExtractionPool } from '@newsflow/extract';

const PAGE_ACCEPT = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5';
const HTML_TYPE = /^\s*(?:text\/html|application\/xhtml\+xml|text\/plain)|^\s*$/i;

export interface ScraperDeps {
  redis: RedisClient;
  prefix: string;
  config: Config;
  robots: RobotsCache;
  /** This process's per-host request slots (see HostSlots). */
  hostSlots: HostSlots;
  extraction: ExtractionPool;
  enqueueDedup(payload: ArticleDedupPayload, jobId: string): Promise<void>;
  /** The next stages, where they run in this process (`run --once`). */
  nextStagesInProcess?: InProcessStages;
}

/** A deduper and storage in the scraper's process, which take its articles without a queue hop. */
export interface InProcessStages {
  /** How the deduper fingerprints an article: the extraction thread computes them with the article. */
  fingerprintSettings: FingerprintSettings;
  /** True once they took the article, false when it must go through the dedup queue after all. */
  take(article: ArticleRecord, fingerprints: ArticleFingerprints): Promise<boolean>;
}

export interface ScrapeResult {
  paragraphs: number;
  title: string;
  alreadyStored?: boolean;
}

/**
 * Downloads an article page politely (robots.txt, one request per host per delay across all replicas), decodes
 * it, extracts the article and hands it to the deduper through Redis.
 */
export async function scrapeArticle(
  payload: ArticleScrapePayload,
  deps: ScraperDeps,
  context: StageContext,
): Promise<ScrapeResult> {
  const { fetch: fetchSettings } = deps.config;
  const host = new URL(payload.url).host;
  let crawlDelayMs = 0;
  if (fetchSettings.respectRobots) {
    const verdict = await deps.robots.check(payload.url);
    if (!verdict.allowed)
      throw new PermanentError(`robots.txt of ${host} disallows ${payload.url}`, 'robots_disallowed');
    crawlDelayMs = verdict.crawlDelayMs ?? 0;
  }
  const polite = await fetchPolitely(deps.hostSlots, payload.url, {
    ...fetchSettings,
    accept: PAGE_ACCEPT,
    crawlDelayMs,
  });
  if (!polite.response) {
    politenessWaitsTotal.inc();
    return context.delay(polite.waitMs);
  }
  const response = polite.response;
  if (!HTML_TYPE.test(response.contentType ?? '')) {
    throw new PermanentError(`not an HTML page (${response.contentType}) at ${payload.url}`, 'not_html');
  }
  const html = decodeBytes(response.body, response.contentType).text;
  const feed = deps.config.feeds.find((entry) => entry.url === payload.feedUrl);
  const nextStages = deps.nextStagesInProcess;
  const { article: extracted, fingerprints } = nextStages
    ? await deps.extraction.extractAndFingerprint(html, response.url, feed?.extract, nextStages.fingerprintSettings)
    : { article: await deps.extraction.extract(html, response.url, feed?.extract), fingerprints: null };
  if (extracted.paragraphs.length === 0) throw new PermanentError(`no article text found at ${payload.url}`, 'no_text');

  const article: ArticleRecord = {
    url: payload.url,
    feedUrl: payload.feedUrl,
    title: extracted.title ?? payload.hints.title ?? payload.url,
    author: extracted.author ?? payload.hints.author,
    // Stored as UTC instants, whatever offset the page wrote (the export's format; the databases sort on it).
    publishedAt: inUtc(extracted.publishedAt) ?? payload.hints.publishedAt,
    language: extracted.language,
    siteName: extracted.siteName,
    fetchedAt: new Date().toISOString(),
    modifiedAt: inUtc(extracted.modifiedAt),
    canonicalUrl: extracted.canonicalUrl,
    image: extracted.image,
    feedName: feed?.name ?? payload.feed?.name ?? null,
    tags: feed?.tags ?? payload.feed?.tags ?? [],
    paragraphs: extracted.paragraphs.map((paragraph) => ({ text: paragraph.text, duplicateOf: null })),
    duplicateOf: null,
  };
  if (nextStages && fingerprints && (await nextStages.take(article, fingerprints)))
    return { paragraphs: article.paragraphs.length, title: article.title };
  const key = bodyKey(deps.prefix, payload.url);
  // Not saved: this job was delivered again after its article was stored; its dedup job ran long ago.
  if (!(await saveBody(deps.redis, key, article)))
    return { paragraphs: article.paragraphs.length, title: article.title, alreadyStored: true };
  await deps.enqueueDedup(
    { url: payload.url, feedUrl: payload.feedUrl, bodyKey: key },
    `dedup-${key.split(':').at(-1)}`,
  );
  return { paragraphs: article.paragraphs.length, title: article.title };
}

function inUtc(isoDate: string | null): string | null {
  return isoDate === null ? null : new Date(isoDate).toISOString();
}
