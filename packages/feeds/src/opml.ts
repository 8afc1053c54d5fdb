import { decodeXML, encodeXML } from 'entities';
import { PermanentError } from '@newsflow/core';

/** One subscription of an OPML file: the folders it sits in and its `category` attribute become tags. */
export interface OpmlFeed {
  url: string;
  title: string | null;
  tags: string[];
}

const TAG = /<(\/?)outline\b((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/gi;
const ATTRIBUTE = /([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function attributesOf(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of text.matchAll(ATTRIBUTE)) attributes[match[1]!.toLowerCase()] = decodeXML(match[2] ?? match[3]!);
  return attributes;
}

/**
 * Reads the subscriptions of an OPML 1.0/2.0 file (what feed readers export). Outlines without `xmlUrl` are
 * folders: their titles become the tags of the feeds inside, with the `category` attribute's entries
 * (`/News/World,Tech` → `News/World`, `Tech`).
 */
export function parseOpml(text: string): OpmlFeed[] {
  if (!/<opml\b/i.test(text)) throw new PermanentError('not an OPML file: no <opml> element', 'not_opml');
  const folders: (string | null)[] = [];
  const feeds: OpmlFeed[] = [];
  for (const match of text.matchAll(TAG)) {
    const [, closing, rawAttributes, selfClosing] = match;
    if (closing) {
      folders.pop();
      continue;
    }
    const attributes = attributesOf(rawAttributes!);
    const title = attributes.title || attributes.text || null;
    if (attributes.xmlurl) {
      const categories = (attributes.category ?? '')
        .split(',')
        .map((category) => category.trim().replace(/^\/+|\/+$/g, ''))
        .filter(Boolean);
      const tags = [...new Set([...folders.filter((folder): folder is string => folder !== null), ...categories])];
      feeds.push({ url: attributes.xmlurl.trim(), title, tags });
    }
    if (!selfClosing) folders.push(attributes.xmlurl ? null : title);
  }
  return feeds;
}

/** OPML 2.0 for other feed readers: feeds in a folder per first tag, every tag in `category`. */
export function formatOpml(feeds: { url: string; name: string; tags: string[] }[], title = 'newsflow feeds'): string {
  const outline = (feed: (typeof feeds)[number], indent: string) =>
    `${indent}<outline type="rss" text="${encodeXML(feed.name)}" title="${encodeXML(feed.name)}" xmlUrl="${encodeXML(feed.url)}"${
      feed.tags.length > 0 ? ` category="${encodeXML(feed.tags.map((tag) => `/${tag}`).join(','))}"` : ''
    }/>`;
  const folders = new Map<string, typeof feeds>();
  const loose: typeof feeds = [];
  for (const feed of feeds) {
    const folder = feed.tags[0];
    if (folder === undefined) loose.push(feed);
    else folders.set(folder, [...(folders.get(folder) ?? []), feed]);
  }
  const body = [
    ...[...folders].flatMap(([folder, members]) => [
      `    <outline text="${encodeXML(folder)}" title="${encodeXML(folder)}">`,
      ...members.map((feed) => outline(feed, '      ')),
      '    </outline>',
    ]),
    ...loose.map((feed) => outline(feed, '    ')),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    `  <head><title>${encodeXML(title)}</title></head>`,
    '  <body>',
    ...body,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}
