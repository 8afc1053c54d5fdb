import { describe, expect, it } from 'vitest';
import { formatOpml, parseOpml } from '../src/index.ts';

// As feed readers write it: nested folders, entities, single quotes, a category attribute, a folder with no feed.
const OPML = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline text="News" title="News">
      <outline text="World">
        <outline type="rss" text="Baltic &amp; Nordic Daily" xmlUrl="https://baltic.example/rss.xml" htmlUrl="https://baltic.example/"/>
      </outline>
      <outline type="rss" title='Wire' text="wire" xmlUrl='https://wire.example/feed?a=1&amp;b=2' category="/Agencies,Breaking/"/>
    </outline>
    <outline text="Empty folder"></outline>
    <outline type="rss" text="Loose" xmlUrl="https://loose.example/atom.xml"/>
  </body>
</opml>`;

describe('OPML', () => {
  it('reads subscriptions with their folders and categories as tags', () => {
    expect(parseOpml(OPML)).toEqual([
      { url: 'https://baltic.example/rss.xml', title: 'Baltic & Nordic Daily', tags: ['News', 'World'] },
      { url: 'https://wire.example/feed?a=1&b=2', title: 'Wire', tags: ['News', 'Agencies', 'Breaking'] },
      { url: 'https://loose.example/atom.xml', title: 'Loose', tags: [] },
    ]);
  });

  it('writes OPML 2.0 that reads back to the same feeds and tags', () => {
    const feeds = [
      { url: 'https://a.example/rss?x=1&y=2', name: 'A <News>', tags: ['World', 'Europe'] },
      { url: 'https://b.example/atom.xml', name: 'B', tags: [] },
    ];
    const written = formatOpml(feeds);
    expect(written).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<opml version="2.0">/);
    expect(parseOpml(written)).toEqual(feeds.map((feed) => ({ url: feed.url, title: feed.name, tags: feed.tags })));
  });

  it('says what is wrong with a file that is not OPML', () => {
    expect(() => parseOpml('<rss version="2.0"></rss>')).toThrow(/not an OPML file/);
  });
});
