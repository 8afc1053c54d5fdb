import { readFileSync } from 'node:fs';

/** Text of page chrome the demo site wraps around every article; none of it may reach the stored text. */
export const CHROME_MARKERS = [
  'We use cookies to improve your experience',
  'Sign up for our morning briefing',
  'Share on Facebook',
  'Most read',
  'Photo: Reuters',
  '3 comments',
  'All rights reserved',
  'Advertisement',
];

const SEED_LINES = readFileSync(new URL('../../demo/seed-article.txt', import.meta.url), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter(Boolean);

export interface DemoArticle {
  path: string;
  title: string;
  author: string;
  publishedAt: string;
  /** Body HTML: paragraphs, subheadings, placeholders as the source site has them. */
  body: string;
}

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The founding example: a real scraped article with `[ad_1]`/`[ad_2]` and a repeated background paragraph. */
export const SEED_ARTICLE: DemoArticle = {
  path: '/news/belarus-military-attaches.html',
  title: 'Belarus reserves the right to take additional security measures, Minsk tells military attachés',
  author: 'Newsdesk',
  publishedAt: '2021-02-20T09:15:00Z',
  body: SEED_LINES.map((line) =>
    line === 'Lukashenko goes to Putin' ? `<h2>${escape(line)}</h2>` : `<p>${escape(line)}</p>`,
  ).join('\n'),
};

/** Another story on the topic that repeats the protest background, reworded as news copy does. */
export const FOLLOW_UP_ARTICLE: DemoArticle = {
  path: '/news/eu-weighs-new-belarus-sanctions.html',
  title: 'EU weighs a fourth package of sanctions against Minsk',
  author: 'Anna Petrauskaite',
  publishedAt: '2021-02-22T14:30:00Z',
  body: [
    'European Union foreign ministers on Monday discussed widening sanctions against Belarusian officials, diplomats said, as the bloc looks for ways to increase pressure on the government in Minsk.',
    'The ministers asked the EU foreign policy service to prepare a list of additional names, including business people who are seen as financing the regime, according to two diplomats familiar with the talks.',
    'In Belarus, mass protests have continued for more than six months against the results of the August 9 presidential election, which was won by authoritarian President Alexander Lukashenko, who has led the country since 1994. The opposition and Western democracies consider the vote rigged.',
    'Lithuania, which hosts opposition leader Sviatlana Tsikhanouskaya, pushed for the new measures to be agreed before the summer. Several member states want the sanctions to target state-owned companies as well.',
    'A decision is not expected before the next meeting of foreign ministers in March.',
  ]
    .map((text) => `<p>${escape(text)}</p>`)
    .join('\n'),
};

/** A partner site's copy of the seed article: a whole-article republication. */
export const REPUBLISHED_ARTICLE: DemoArticle = {
  path: '/partner/2021/02/20/belarus-warns-west.html',
  title: 'Belarus warns the West of "additional actions"',
  author: 'Partner wire',
  publishedAt: '2021-02-20T11:00:00Z',
  body: [...SEED_LINES.filter((line) => !line.startsWith('[ad_')), 'This article first appeared on our partner site.']
    .map((line) => `<p>${escape(line)}</p>`)
    .join('\n'),
};

export const MISSING_PATH = '/news/story-that-was-taken-down.html';

export function articlePage(article: DemoArticle, siteName: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${escape(article.title)} | ${escape(siteName)}</title>
  <meta property="og:title" content="${escape(article.title)}">
  <meta property="og:site_name" content="${escape(siteName)}">
  <meta property="article:published_time" content="${article.publishedAt}">
  <meta name="author" content="${escape(article.author)}">
  <script>window.dataLayer = window.dataLayer || []; dataLayer.push({ section: 'world' });</script>
  <style>.cookie-banner { position: fixed; bottom: 0 }</style>
</head>
<body>
  <div class="cookie-banner" id="cookie-consent">We use cookies to improve your experience. <button>Accept all</button></div>
  <header class="site-header">
    <a class="logo" href="/">${escape(siteName)}</a>
    <nav><ul><li><a href="/world">World</a></li><li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li></ul></nav>
  </header>
  <div class="ad ad-leaderboard">Advertisement</div>
  <main>
    <article class="story">
      <h1>${escape(article.title)}</h1>
      <p class="byline">By ${escape(article.author)} · <time datetime="${article.publishedAt}">${article.publishedAt.slice(0, 10)}</time></p>
      <div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> <a href="#">Email</a></div>
      <figure><img src="/img/minsk.jpg" alt=""><figcaption>Minsk, February 2021. Photo: Reuters</figcaption></figure>
      <div class="story-body">
${article.body}
      </div>
      <div class="newsletter-signup">Sign up for our morning briefing and get the news in your inbox.</div>
    </article>
    <aside class="related">
      <h3>Most read</h3>
      <ul><li><a href="/news/a.html">Five things to know this week</a></li><li><a href="/news/b.html">Markets close higher</a></li></ul>
    </aside>
    <section class="comments" id="comments"><h3>3 comments</h3><p>Great article, thanks for sharing it with all of us here!</p></section>
  </main>
  <footer><p>© 2021 ${escape(siteName)}. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body>
</html>`;
}

export function rssFeed(baseUrl: string, items: { article: DemoArticle; link: string }[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Demo World News</title>
  <link>${baseUrl}/</link>
  <description>World news from the newsflow demo site</description>
${items
  .map(
    ({ article, link }) => `  <item>
    <title>${escape(article.title)}</title>
    <link>${escape(link)}</link>
    <guid isPermaLink="true">${escape(link)}</guid>
    <pubDate>${new Date(article.publishedAt).toUTCString()}</pubDate>
    <dc:creator>${escape(article.author)}</dc:creator>
  </item>`,
  )
  .join('\n')}
</channel>
</rss>`;
}

export function atomFeed(baseUrl: string, items: { article: DemoArticle; link: string }[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Partner Wire</title>
  <link href="${baseUrl}/partner/"/>
  <id>${baseUrl}/partner/</id>
  <updated>2021-02-22T15:00:00Z</updated>
${items
  .map(
    ({ article, link }) => `  <entry>
    <title>${escape(article.title)}</title>
    <link href="${escape(link)}"/>
    <id>${escape(link)}</id>
    <updated>${article.publishedAt}</updated>
    <author><name>${escape(article.author)}</name></author>
  </entry>`,
  )
  .join('\n')}
</feed>`;
}
