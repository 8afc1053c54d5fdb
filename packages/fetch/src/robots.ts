import { createRequire } from 'node:module';
import { PermanentError } from '@newsflow/core';
import { fetchUrl, type FetchOptions } from './http-client.ts';

interface Robots {
  isAllowed(url: string, userAgent?: string): boolean | undefined;
  getCrawlDelay(userAgent?: string): number | undefined;
}
// robots-parser is CommonJS (`module.exports = fn`) while its typings claim a default export.
const robotsParser = createRequire(import.meta.url)('robots-parser') as (url: string, text: string) => Robots;

const ROBOTS_MAX_BYTES = 512 * 1024;
const ROBOTS_TTL_MS = 60 * 60 * 1000;
/** After a network error or 5xx, allow everything for a short while rather than stalling the site forever. */
const ROBOTS_ERROR_TTL_MS = 5 * 60 * 1000;

export interface RobotsVerdict {
  allowed: boolean;
  crawlDelayMs: number | null;
}

/** robots.txt per origin, fetched once and cached in memory for an hour. */
export class RobotsCache {
  private readonly entries = new Map<string, { robots: Robots | null; expiresAt: number }>();

  constructor(private readonly fetchOptions: FetchOptions) {}

  async check(url: string): Promise<RobotsVerdict> {
    const robots = await this.robotsFor(new URL(url).origin);
    if (!robots) return { allowed: true, crawlDelayMs: null };
    const agent = this.fetchOptions.userAgent;
    const delay = robots.getCrawlDelay(agent);
    return {
      allowed: robots.isAllowed(url, agent) !== false,
      crawlDelayMs: delay === undefined ? null : delay * 1000,
    };
  }

  private async robotsFor(origin: string): Promise<Robots | null> {
    const cached = this.entries.get(origin);
    if (cached && cached.expiresAt > Date.now()) return cached.robots;
    const robotsUrl = `${origin}/robots.txt`;
    let robots: Robots | null = null;
    let ttl = ROBOTS_TTL_MS;
    try {
      const response = await fetchUrl(robotsUrl, {
        ...this.fetchOptions,
        maxBytes: ROBOTS_MAX_BYTES,
        accept: 'text/plain',
      });
      robots = robotsParser(robotsUrl, response.body.toString('utf8'));
    } catch (error) {
      // A missing robots.txt (4xx) means everything is allowed (RFC 9309 §2.3.1.3); other failures are retried soon.
      if (!(error instanceof PermanentError && /^http_4/.test(error.code))) ttl = ROBOTS_ERROR_TTL_MS;
      if (error instanceof PermanentError && error.code === 'private_address') throw error;
    }
    this.entries.set(origin, { robots, expiresAt: Date.now() + ttl });
    return robots;
  }
}
