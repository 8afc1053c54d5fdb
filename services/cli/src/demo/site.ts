import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  articlePage,
  atomFeed,
  FOLLOW_UP_ARTICLE,
  MISSING_PATH,
  REPUBLISHED_ARTICLE,
  rssFeed,
  SEED_ARTICLE,
} from './pages.ts';

export interface DemoSite {
  baseUrl: string;
  /** The site's feeds: an RSS 2.0 news feed and a partner's Atom feed. */
  feedUrls: string[];
  close(): Promise<void>;
}

/**
 * A small offline news site on 127.0.0.1: an RSS feed (the seed article, a follow-up story repeating its background
 * paragraph, a dead link) and an Atom feed (a partner's republication of the seed article, and a link to the seed
 * article carrying tracking parameters).
 */
export async function startDemoSite(): Promise<DemoSite> {
  const routes = new Map<string, { type: string; body: string }>();
  const server: Server = createServer((request, response) => {
    const route = routes.get(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (!route) {
      response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
      return;
    }
    response.writeHead(200, { 'content-type': route.type }).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const html = 'text/html; charset=utf-8';
  routes.set('/robots.txt', { type: 'text/plain', body: 'User-agent: *\nDisallow: /private/\n' });
  routes.set(SEED_ARTICLE.path, { type: html, body: articlePage(SEED_ARTICLE, 'Baltic Daily') });
  routes.set(FOLLOW_UP_ARTICLE.path, { type: html, body: articlePage(FOLLOW_UP_ARTICLE, 'Baltic Daily') });
  routes.set(REPUBLISHED_ARTICLE.path, { type: html, body: articlePage(REPUBLISHED_ARTICLE, 'Partner Wire') });
  routes.set('/feeds/world.rss', {
    type: 'application/rss+xml; charset=utf-8',
    body: rssFeed(baseUrl, [
      { article: SEED_ARTICLE, link: `${baseUrl}${SEED_ARTICLE.path}` },
      { article: FOLLOW_UP_ARTICLE, link: `${baseUrl}${FOLLOW_UP_ARTICLE.path}` },
      { article: { ...FOLLOW_UP_ARTICLE, title: 'A story that was taken down' }, link: `${baseUrl}${MISSING_PATH}` },
    ]),
  });
  routes.set('/feeds/partner.atom', {
    type: 'application/atom+xml; charset=utf-8',
    body: atomFeed(baseUrl, [
      { article: REPUBLISHED_ARTICLE, link: `${baseUrl}${REPUBLISHED_ARTICLE.path}` },
      { article: SEED_ARTICLE, link: `${baseUrl}${SEED_ARTICLE.path}?utm_source=partner&utm_medium=atom#top` },
    ]),
  });
  return {
    baseUrl,
    feedUrls: [`${baseUrl}/feeds/world.rss`, `${baseUrl}/feeds/partner.atom`],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
