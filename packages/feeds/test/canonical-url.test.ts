import { describe, expect, it } from 'vitest';
import { canonicalizeUrl } from '../src/index.ts';

describe('canonicalizeUrl', () => {
  it.each([
    ['https://News.Example/a?utm_source=rss&utm_medium=feed#comments', 'https://news.example/a'],
    ['https://news.example:443/a?b=2&a=1', 'https://news.example/a?a=1&b=2'],
    ['http://news.example:80/a/../b?fbclid=xyz&id=7', 'http://news.example/b?id=7'],
    ['https://news.example/a?gclid=1&mc_cid=2&_ga=3', 'https://news.example/a'],
    ['https://user:pass@news.example/a', 'https://news.example/a'],
    ['https://news.example/path/', 'https://news.example/path/'],
    ['  https://news.example/a  ', 'https://news.example/a'],
    ['https://news.example/a?x', 'https://news.example/a?x'],
    ['https://news.example/a?q=a%20b&p=1&utm_source=x', 'https://news.example/a?p=1&q=a%20b'],
    ['https://news.example/a?', 'https://news.example/a'],
    ['mailto:editor@news.example', null],
    ['javascript:alert(1)', null],
    ['not a url', null],
  ])('%s → %s', (input, expected) => {
    expect(canonicalizeUrl(input)).toBe(expected);
  });

  it('resolves relative URLs against a base', () => {
    expect(canonicalizeUrl('../story?utm_campaign=x', 'https://news.example/world/index.html')).toBe(
      'https://news.example/story',
    );
  });

  it('gives one spelling for the same article reached two ways', () => {
    const fromFeed = canonicalizeUrl('https://news.example/story?id=1&ref_src=twsrc');
    const fromPartner = canonicalizeUrl('https://NEWS.example/story?utm_source=partner&id=1#top');
    expect(fromFeed).toBe(fromPartner);
  });
});
