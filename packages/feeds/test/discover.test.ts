import { describe, expect, it } from 'vitest';
import { findFeedLinks } from '../src/index.ts';

describe('findFeedLinks', () => {
  it('lists the feeds a page announces, absolute and in order, and nothing else', () => {
    const html = `<html><head>
      <link rel="stylesheet" href="/style.css">
      <link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml?a=1&amp;b=2">
      <link rel='alternate' type='application/atom+xml' href='https://other.example/atom'>
      <link rel="alternate" hreflang="de" href="/de/">
      <link rel="alternate" type="application/feed+json" href=feed.json>
    </head><body><link rel="alternate" type="application/rss+xml" href="/in-body.xml"></body></html>`;
    expect(findFeedLinks(html, 'https://site.example/news/')).toEqual([
      'https://site.example/feed.xml?a=1&b=2',
      'https://other.example/atom',
      'https://site.example/news/feed.json',
    ]);
  });
});
