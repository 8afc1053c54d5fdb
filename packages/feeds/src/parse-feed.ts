import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import Parser from 'rss-parser';
import { decodeHTML, escapeUTF8 } from 'entities';
import { parseFeedDate } from './dates.ts';
import { PermanentError } from '@newsflow/core';
import { c1AsWindows1252 } from '@newsflow/core/windows-1252';
import { hasNestedXmlBase, withLinksResolved } from './xml-base.ts';

export type FeedFormat = 'rss' | 'rdf' | 'atom' | 'json';

export interface FeedItem {
  /** Stable identity: GUID/id when present, else the link, else the title. */
  id: string;
  title: string | null;
  /** Absolute URL, resolved against the feed's link or the URL the feed was fetched from. */
  link: string | null;
  /** ISO 8601 UTC, or null when absent or unreadable. */
  publishedAt: string | null;
  author: string | null;
  summary: string | null;
}

export interface ParsedFeed {
  format: FeedFormat;
  title: string | null;
  link: string | null;
  /** RSS <ttl>: minutes the feed may be cached, or null. */
  ttlMinutes: number | null;
  items: FeedItem[];
}

type RssItem = Parser.Item & {
  id?: string;
  issued?: string[];
  created?: string[];
  modified?: string[];
  updated?: string[];
  published?: string[];
  rawTitle?: unknown[];
  'rdf:about'?: string;
  'dcterms:issued'?: string;
  'dcterms:created'?: string;
  'dcterms:modified'?: string;
  'dc:date'?: string;
  'dc:author'?: string;
  'itunes:author'?: string;
  'media:title'?: string;
  'media:description'?: unknown;
  'media:group'?: unknown;
  'dc:title'?: string;
  author?: string;
  summary?: string;
  'dc:creator'?: string;
  'atom:author'?: unknown;
  'atom:published'?: string;
  'atom:updated'?: string;
  'atom:summary'?: unknown;
  'atom:content'?: unknown;
  'atom:link'?: unknown;
  rawLinks?: unknown[];
  rawGuid?: unknown[];
  'dc:description'?: string;
  'itunes:summary'?: string;
  'content:encoded'?: string;
  'xhtml:body'?: unknown;
  body?: unknown;
  fullitem?: string;
};

/** Date elements an entry may repeat: the last one counts, as in feedparser. */
const REPEATABLE_DATES = ['updated', 'published', 'issued', 'created', 'modified'];

/**
 * rss-parser strips the HTML of every description and `content:encoded` into a "snippet" with a lazy `<(?:.|\n)*?>`:
 * on text with many `<` and no `>` that is quadratic (the hostile-feed test of a description of unclosed "<"). The
 * summary is read from the raw HTML here (htmlText), so its snippets are never used: they are not computed.
 */
const rssParserUtils = createRequire(import.meta.url)('rss-parser/lib/utils.js') as {
  getSnippet(html: string): string;
};
rssParserUtils.getSnippet = () => '';

const parser = new Parser<Record<string, unknown>, RssItem>({
  defaultRSS: 2,
  customFields: {
    // rss-parser's typings allow plain names for feed fields; at run time they take [from, to, options] as for items.
    feed: [
      'ttl',
      'dc:title',
      ['title', 'rawTitle', { keepArray: true }],
      // Every <link> (a channel may repeat it, the first one empty) and Atom links inside RSS (rel="alternate").
      ['link', 'rawLinks', { keepArray: true }],
      ['atom:link', 'atomLinks', { keepArray: true }],
    ] as unknown as string[],
    item: [
      'id',
      'author',
      'summary',
      'dc:creator',
      'dc:author',
      'itunes:author',
      'media:title',
      'media:description',
      'media:group',
      'dc:title',
      'dc:description',
      'itunes:summary',
      'xhtml:body',
      'body',
      'fullitem',
      'dc:date',
      'dcterms:issued',
      'dcterms:created',
      'dcterms:modified',
      // Atom elements inside RSS items, as gofeed and feedparser read them.
      'atom:author',
      'atom:published',
      'atom:updated',
      'atom:summary',
      'atom:content',
      ['atom:link', 'atom:link', { keepArray: true }] as [string, string, { keepArray: boolean }],
      // The title element as parsed, so mixed content ("Example <b>Atom</b>") keeps its child elements' text.
      ['title', 'rawTitle', { keepArray: true }] as [string, string, { keepArray: boolean }],
      // An Atom entry's links with their rel: rss-parser takes the first link when none says rel="alternate".
      ['link', 'rawLinks', { keepArray: true }] as [string, string, { keepArray: boolean }],
      // The GUID with its attributes: rss-parser's own `guid` keeps only the text, not isPermaLink.
      ['guid', 'rawGuid', { keepArray: true }] as [string, string, { keepArray: boolean }],
      ...REPEATABLE_DATES.map((name) => [name, name, { keepArray: true }] as [string, string, { keepArray: boolean }]),
    ],
  },
});

/**
 * Parses feed text (already decoded) into items, on this thread: `parseFeed` (feed-worker.ts) calls it directly
 * for ordinary feeds and in a worker thread for large ones. `baseUrl` is where the feed was fetched from: relative
 * links resolve against the feed's own link first, then against it. Unparseable input is a PermanentError.
 */
export async function parseFeedText(text: string, baseUrl?: string): Promise<ParsedFeed> {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{')) return parseJsonFeed(trimmed, baseUrl);
  const format = sniffXmlFormat(trimmed.slice(0, 65_536).replace(/<!--[\s\S]*?-->/g, ''));
  if (!format) {
    const preview = JSON.stringify(trimmed.slice(0, 60));
    throw new PermanentError(`not a feed: expected RSS, Atom or JSON Feed, got ${preview}`, 'not_a_feed');
  }
  let output: Parser.Output<RssItem> & Record<string, unknown>;
  try {
    const based = hasNestedXmlBase(trimmed) ? withLinksResolved(trimmed, baseUrl) : trimmed;
    output = await parser.parseString(preparedXml(based, format));
  } catch (error) {
    // rss-parser crashes on an <rss> or <rdf:RDF> with no channel or items in it; such a feed simply holds nothing.
    if (!/<(?:[\w-]+:)?(?:channel|item|entry)[\s>]/i.test(trimmed))
      return { format, title: null, link: null, ttlMinutes: null, items: [] };
    throw new PermanentError(`malformed ${format} feed: ${(error as Error).message.split('\n')[0]}`, 'malformed_feed');
  }
  const declaredBase = documentBase(trimmed, baseUrl);
  // An Atom feed's link is its alternate (rel-less) link, as feedparser and gofeed read it, never its rel="self".
  const feedLink = resolveUrl(
    format === 'atom'
      ? alternateHref(output.rawLinks)
      : (nonEmpty(asString(output.link)) ??
          (output.rawLinks as unknown[] | undefined)?.map((link) => asString(link)).find(nonEmpty) ??
          alternateHref(output.atomLinks)),
    declaredBase,
  );
  // Relative links resolve against the root's xml:base, else the feed's own <link> (feeds served from a feed host
  // mean their site's pages), else the URL the feed came from (after redirects).
  const base = declaredBase !== baseUrl ? declaredBase : (feedLink ?? baseUrl);
  const items = (output.items ?? []).map((item) => {
    const link = resolveUrl(
      (format === 'atom' ? alternateHref(item.rawLinks) : null) ??
        nonEmpty(asString(item.link)) ??
        alternateHref(item['atom:link']),
      base,
    );
    const title =
      titleText(item.rawTitle) ??
      cleanText(asString(item.title) ?? asString(item['dc:title']) ?? asString(item['media:title']));
    // An Atom entry's summary is its <summary>, not the start of its <content>; an RSS item's is its description.
    // Without one, the full content stands in, as feedparser reads it.
    const summary = htmlText(
      format === 'atom'
        ? (asString(item.summary) ?? asString(item.content) ?? mediaDescription(item))
        : (asString(item.content) ??
            asString(item['dc:description']) ??
            asString(item['itunes:summary']) ??
            asString(item.summary) ??
            asString(item['atom:summary']) ??
            asString(item['content:encoded']) ??
            asString(item['atom:content']) ??
            asString(item['xhtml:body']) ??
            asString(item.body) ??
            asString(item.fullitem) ??
            mediaDescription(item)),
    );
    const guid = asString(item.guid);
    return {
      id:
        guid ??
        asString(item.id) ??
        asString(item['rdf:about']) ??
        link ??
        contentId(title, summary ?? asString(item.pubDate)),
      title,
      // RSS 2.0: a GUID is a permalink unless isPermaLink="false"; an item without <link> is reached through it.
      link: link ?? (guid && isPermaLink(item.rawGuid?.[0]) ? resolveUrl(guid, base) : null),
      // Raw strings, not rss-parser's isoDate: `new Date()` reads zone names as invalid and zoneless times as local.
      publishedAt: parseFeedDate(
        asString(item.pubDate) ??
          lastString(item.published) ??
          lastString(item.issued) ??
          asString(item['dc:date']) ??
          asString(item['dcterms:issued']) ??
          lastString(item.created) ??
          asString(item['dcterms:created']) ??
          asString(item['atom:published']) ??
          lastString(item.updated) ??
          lastString(item.modified) ??
          asString(item['dcterms:modified']) ??
          asString(item['atom:updated']),
      ),
      // gofeed's order: the item's own <author> first, then Dublin Core, iTunes and an Atom author.
      author: personName(
        asString(item.author) ??
          asString(item['dc:author']) ??
          asString(item.creator) ??
          asString(item['dc:creator']) ??
          asString(item['itunes:author']) ??
          atomPersonName(item['atom:author']),
      ),
      summary,
    };
  });
  const ttl = Number(asString(output.ttl));
  return {
    format,
    title: titleText(output.rawTitle) ?? cleanText(asString(output.title) ?? asString(output['dc:title'])),
    link: feedLink,
    ttlMinutes: Number.isFinite(ttl) && ttl > 0 ? ttl : null,
    items,
  };
}

function sniffXmlFormat(text: string): Exclude<FeedFormat, 'json'> | null {
  const root = /<(?!\?|!)([A-Za-z][\w.-]*:)?([A-Za-z][\w.-]*)/.exec(text);
  switch (root?.[2]?.toLowerCase()) {
    case 'rss':
      return 'rss';
    case 'rdf':
      return 'rdf';
    case 'feed':
      return 'atom';
    default:
      return null;
  }
}

const BASE64_ELEMENT =
  /<((?:[\w-]+:)?(?:title|subtitle|tagline|summary|content|info))((?:\s[^>]*?)?)\s(?:mode="base64"|type="application\/octet-stream")([^>]*)>\s*([A-Za-z0-9+/=\s]+?)\s*<\/\1>/g;

/** Atom text constructs carried as base64 (`mode="base64"`, `type="application/octet-stream"`) become text. */
function decodeBase64Elements(text: string): string {
  return text.replace(BASE64_ELEMENT, (_, name: string, before: string, after: string, data: string) => {
    const decoded = Buffer.from(data.replace(/\s+/g, ''), 'base64').toString('utf8');
    return `<${name}${before}${after}>${escapeUTF8(decoded)}</${name}>`;
  });
}

/** The start tag of an element read as text: a title, description, summary or content. */
const TEXT_ELEMENT =
  /<((?:[\w-]+:)?(?:title|subtitle|tagline|description|summary|content|encoded|body|fullitem|info|rights))(?:\s[^<>]*)?>/g;
/** A start or end tag, not a comment, CDATA section or declaration. */
const TAG = /<\/?[A-Za-z]/;

/**
 * Text elements that hold elements: Atom's XHTML constructs, and the HTML feeds put unescaped in a title or
 * description. xml2js hands the text of child elements over apart from the text around them ("<b>Breaking</b> news"
 * came out "news Breaking"), and refuses HTML's unclosed tags (`<br>`): such content becomes the markup it is, as
 * text in document order, read as HTML later. Content with a CDATA section stays as it is. Comments and CDATA
 * sections are stepped over (a `<title>` written in one opens nothing), and every search goes forward, so the scan
 * is linear however the markup is broken.
 */
function markupAsText(text: string): string {
  let result = '';
  let copied = 0;
  let position = 0;
  // The next comment and CDATA section at or after `position`, each searched again only once passed (-1: none left).
  let nextComment = text.indexOf('<!--');
  let nextCdata = text.indexOf('<![CDATA[');
  /** Steps `position` over the comments and CDATA sections that start before `limit`; false at one never closed. */
  const stepOverSkipped = (limit: number): boolean => {
    for (;;) {
      if (nextComment >= 0 && nextComment < position) nextComment = text.indexOf('<!--', position);
      if (nextCdata >= 0 && nextCdata < position) nextCdata = text.indexOf('<![CDATA[', position);
      const isComment = nextComment >= 0 && nextComment < limit && (nextCdata < 0 || nextComment < nextCdata);
      const start = isComment ? nextComment : nextCdata >= 0 && nextCdata < limit ? nextCdata : -1;
      if (start < 0) return true;
      const terminator = isComment ? '-->' : ']]>';
      const end = text.indexOf(terminator, start);
      if (end < 0) return false;
      position = end + terminator.length;
    }
  };
  for (;;) {
    TEXT_ELEMENT.lastIndex = position;
    const open = TEXT_ELEMENT.exec(text);
    if (!open) break;
    if (!stepOverSkipped(open.index)) break;
    // The start tag was inside a comment or CDATA section: look again after it.
    if (position > open.index) continue;
    position = open.index + open[0].length;
    if (open[0].endsWith('/>')) continue;
    const close = text.indexOf(`</${open[1]}`, position);
    if (close < 0) break;
    const content = text.slice(position, close);
    if (TAG.test(content) && !content.includes('<![CDATA[')) {
      result += text.slice(copied, position) + escapeUTF8(content);
      copied = close;
    }
    position = close;
  }
  return result + text.slice(copied);
}

/** Elements of `tags` with their content, and comments, closed or not. */
const contentOf = (tags: string) =>
  new RegExp(`<(${tags})\\b[\\s\\S]*?(?:<\\/\\1\\s*>|$)|<!--[\\s\\S]*?(?:-->|$)`, 'gi');

/** Script and style blocks, comments (closed or not), and the common HTML tags: feeds put them in titles. */
const INVISIBLE_HTML = contentOf('script|style|iframe|object|applet|noscript');
const COMMON_TAGS =
  /<\/?(?:a|abbr|b|big|blockquote|br|button|cite|code|div|em|embed|font|form|frame|frameset|h[1-6]|i|img|input|li|link|meta|ol|p|q|s|small|span|strong|sub|sup|u|ul)\b[^<>]*>/gi;

/**
 * Titles, authors and summaries are plain text: markup feeds put in them goes, script content and comments with
 * it. Only common HTML tags are removed, so a title about "the <blink> tag" keeps its words.
 */
function plainText(value: string | null): string | null {
  return value === null ? null : value.replace(INVISIBLE_HTML, '').replace(COMMON_TAGS, '');
}

/** The prefix the parser reads each namespace by, '' for none (an Atom feed's own elements take none either). */
const CANONICAL_PREFIXES: Record<string, string> = {
  'http://www.w3.org/2005/atom': 'atom',
  'http://purl.org/rss/1.0/': '',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://search.yahoo.com/mrss/': 'media',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
};

/**
 * Element names renamed to the prefixes the parser reads their namespaces by, whatever prefix the feed bound them
 * to: .NET's SyndicationFeed writes Atom elements in RSS as `a10:updated`, RDF tools write RSS 1.0 as `rss:item`, an
 * Atom feed may prefix its own (`<a:feed xmlns:a="…">`). Namespaces are read from the declarations near the top;
 * null when there is nothing to rename.
 */
function prefixRenamer(text: string, format: FeedFormat): ((markup: string) => string) | null {
  const renames = new Map<string, string>();
  for (const [, prefix, uri] of text.slice(0, 65_536).matchAll(/\bxmlns:([\w.-]+)\s*=\s*["']([^"']*)["']/g)) {
    const canonical = CANONICAL_PREFIXES[uri!.trim().toLowerCase()];
    if (canonical === undefined) continue;
    const wanted = format === 'atom' && canonical === 'atom' ? '' : canonical;
    if (wanted !== prefix) renames.set(prefix!, wanted);
  }
  if (renames.size === 0) return null;
  const prefixed = new RegExp(
    `<(/?)(${[...renames.keys()].map((prefix) => prefix.replace(/\./g, '\\.')).join('|')}):`,
    'g',
  );
  return (markup) =>
    markup.replace(prefixed, (_, slash: string, prefix: string) => {
      const wanted = renames.get(prefix)!;
      return `<${slash}${wanted ? `${wanted}:` : ''}`;
    });
}

/** RSS elements whose names are not all lowercase, by their lowercase names. */
const CAMEL_CASE_RSS = new Map(
  ['pubDate', 'lastBuildDate', 'managingEditor', 'webMaster', 'skipHours', 'skipDays', 'textInput'].map((name) => [
    name.toLowerCase(),
    name,
  ]),
);
/** An RSS start or end tag whose unprefixed name is not written as RSS spells it ("<Item>", "<PUBDATE>", "<pubdate>"). */
const MISCASED_TAG = new RegExp(
  `<(/?)(?!(?:${[...CAMEL_CASE_RSS.values()].join('|')})[\\s/>])` +
    `((?:${[...CAMEL_CASE_RSS.keys()].join('|')})|[A-Za-z]*[A-Z][\\w.-]*)(?=[\\s/>])`,
  'g',
);

/**
 * RSS element names as RSS spells them, however a feed cased them ("<Item>", "<PUBDATE>"): XML names are
 * case-sensitive and RSS never says so, and feedparser and gofeed read them either way. Prefixed names (their
 * namespaces' own) are left alone.
 */
function renameMiscasedTags(markup: string): string {
  return markup.replace(MISCASED_TAG, (_, slash: string, name: string) => {
    const lower = name.toLowerCase();
    return `<${slash}${CAMEL_CASE_RSS.get(lower) ?? lower}`;
  });
}

const ITEM_START = /<item[\s>]/;

/**
 * Items moved to where rss-parser reads them, as feedparser and gofeed find them wherever they stand: RSS 0.9x files
 * with <item>s straight under <rss> get the <channel> rss-parser requires, <item>s after an RSS channel's end are
 * taken into it, and an RSS 1.0 channel that holds its items (they belong beside it) ends before the first.
 */
function itemsWhereParsed(text: string, format: FeedFormat): string {
  if (format === 'rss') {
    const channelEnd = text.lastIndexOf('</channel>');
    if (!/<channel[\s>]/.test(text)) {
      if (!ITEM_START.test(text)) return text;
      return text.replace(/(<rss\b[^>]*>)/i, '$1<channel>').replace(/(<\/rss\s*>)\s*$/i, '</channel>$1');
    }
    const after = channelEnd < 0 ? '' : text.slice(channelEnd + '</channel>'.length);
    const rssEnd = after.search(/<\/rss\s*>\s*$/);
    if (rssEnd < 0 || !ITEM_START.test(after)) return text;
    return `${text.slice(0, channelEnd)}${after.slice(0, rssEnd)}</channel>${after.slice(rssEnd)}`;
  }
  if (format === 'rdf') {
    const channelStart = text.search(/<channel[\s>]/);
    const channelEnd = channelStart < 0 ? -1 : text.indexOf('</channel>', channelStart);
    const firstItem = channelEnd < 0 ? -1 : text.slice(channelStart, channelEnd).search(ITEM_START);
    if (firstItem < 0) return text;
    const itemsStart = channelStart + firstItem;
    return `${text.slice(0, itemsStart)}</channel>${text.slice(itemsStart, channelEnd)}${text.slice(channelEnd + '</channel>'.length)}`;
  }
  return text;
}

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/**
 * The feed as rss-parser can read it, repaired where real feeds go wrong and XML parsers refuse: base64 text
 * constructs decoded, markup in text elements kept as text (markupAsText), a closing root tag missing its `>`, a
 * DOCTYPE (old Netscape DTDs whose entities cannot be fetched) and the control characters XML 1.0 forbids; then, in
 * one pass over the markup outside CDATA sections (inside one, `&` is the character itself: "<![CDATA[Tom &
 * Jerry]]>"), HTML named entities (`&eacute;` → `&#233;`) and bare ampersands (`?a=1&b=2`) escaped, namespace
 * prefixes and RSS names' case made the parser's; last, items moved where the parser looks for them.
 */
function preparedXml(text: string, format: FeedFormat): string {
  const repaired = markupAsText(decodeBase64Elements(text))
    // A closing root tag cut off before its `>` (a truncated download, a hand-edited feed).
    .replace(/(<\/[\w:.-]+)\s*$/, '$1>')
    .replace(/<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>/i, '')
    // eslint-disable-next-line no-control-regex -- removing the control characters XML forbids is the point
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
  const renamePrefixes = prefixRenamer(repaired, format);
  const transforms = [
    repairEntities,
    ...(renamePrefixes ? [renamePrefixes] : []),
    ...(format === 'atom' ? [] : [renameMiscasedTags]),
  ];
  const markupFixed = outsideCdata(repaired, (markup) =>
    transforms.reduce((part, transform) => transform(part), markup),
  );
  return itemsWhereParsed(markupFixed, format);
}

/**
 * `text` with `repair` applied to everything but its CDATA sections. Scans with indexOf: a lazy pattern would rescan
 * to the end from every `<![CDATA[` that is never closed. An unclosed one and what follows it count as markup.
 */
function outsideCdata(text: string, repair: (markup: string) => string): string {
  let result = '';
  let from = 0;
  for (let start = text.indexOf('<![CDATA[', from); start >= 0; start = text.indexOf('<![CDATA[', from)) {
    const end = text.indexOf(']]>', start + 9);
    if (end < 0) break;
    result += repair(text.slice(from, start)) + text.slice(start, end + 3);
    from = end + 3;
  }
  return result + repair(text.slice(from));
}

function repairEntities(markup: string): string {
  return markup.replace(
    /&(?:([a-zA-Z][a-zA-Z0-9]{0,31});|(#\d{1,7};|#[xX][0-9a-fA-F]{1,6};))?/g,
    (match, name: string | undefined, numeric: string | undefined) => {
      // XML allows only a lowercase x in hexadecimal references; feeds write &#X41; too.
      if (numeric) return `&${numeric.replace(/^#X/, '#x')}`;
      if (name === undefined) return '&amp;';
      if (XML_ENTITIES.has(name)) return match;
      // Feeds' entity sets are HTML 4's (the RSS 0.91 DTD): there &lang; and &rang; are U+2329/U+232A, which
      // HTML 5 moved to U+27E8/U+27E9.
      if (name === 'lang' || name === 'rang') return name === 'lang' ? '&#9001;' : '&#9002;';
      const decoded = decodeHTML(match);
      return decoded === match ? `&amp;${name};` : [...decoded].map((char) => `&#${char.codePointAt(0)};`).join('');
    },
  );
}

interface JsonFeedItem {
  id?: unknown;
  url?: unknown;
  external_url?: unknown;
  title?: unknown;
  summary?: unknown;
  content_text?: unknown;
  content_html?: unknown;
  date_published?: unknown;
  date_modified?: unknown;
  author?: unknown;
  authors?: unknown;
}

function parseJsonFeed(text: string, baseUrl: string | undefined): ParsedFeed {
  let feed: { version?: unknown; title?: unknown; home_page_url?: unknown; items?: unknown };
  try {
    feed = JSON.parse(text) as typeof feed;
  } catch (error) {
    throw new PermanentError(`malformed JSON Feed: ${(error as Error).message}`, 'malformed_feed');
  }
  // The version should be a jsonfeed.org URL; feeds in the wild write "1.1" or leave it out, and gofeed and
  // feedparser read them all the same. What makes JSON a feed is an items array of objects; a null among them is
  // passed over, not the whole feed.
  const entries = Array.isArray(feed.items) ? feed.items : [];
  const objects = entries.filter((item): item is JsonFeedItem => item !== null && typeof item === 'object');
  const looksLikeFeed =
    (typeof feed.version === 'string' && feed.version.includes('jsonfeed.org')) ||
    feed.title !== undefined ||
    feed.home_page_url !== undefined ||
    (feed as { feed_url?: unknown }).feed_url !== undefined;
  if (!Array.isArray(feed.items) || (objects.length === 0 && entries.length > 0) || !looksLikeFeed) {
    throw new PermanentError(
      'not a feed: JSON without an items array of objects beside a title or version',
      'not_a_feed',
    );
  }
  const feedLink = resolveUrl(asString(feed.home_page_url), baseUrl);
  const items = objects.map((item) => {
    const link = resolveUrl(asString(item.url) ?? asString(item.external_url), feedLink ?? baseUrl);
    const title = cleanText(asString(item.title));
    return {
      id: asString(item.id) ?? link ?? contentId(title, asString(item.summary) ?? asString(item.content_text)),
      title,
      link,
      publishedAt: parseFeedDate(asString(item.date_published) ?? asString(item.date_modified)),
      author: personName(
        [item.authors]
          .flat()
          .map(jsonPersonName)
          .find((name) => name !== null) ?? jsonPersonName(item.author),
      ),
      // As in RSS and Atom, the full content stands in for a missing summary.
      summary:
        cleanText(asString(item.summary) ?? asString(item.content_text)) ?? htmlText(asString(item.content_html)),
    };
  });
  return {
    format: 'json',
    title: cleanText(asString(feed.title)),
    link: feedLink,
    ttlMinutes: null,
    items,
  };
}

/**
 * The href of the first `rel="alternate"` (or rel-less) Atom link among `links` that is a web page (HTML or no type
 * given), else of the first alternate of any type: an entry may offer its PDF or audio beside the page, as
 * feedparser reads it.
 */
function alternateHref(links: unknown): string | null {
  let firstAlternate: string | null = null;
  for (const link of [links ?? []].flat()) {
    const attributes = (link as { $?: { rel?: string; href?: string; type?: string } } | null)?.$;
    if (!attributes?.href || (attributes.rel && attributes.rel !== 'alternate')) continue;
    if (!attributes.type || /html/i.test(attributes.type)) return attributes.href;
    firstAlternate ??= attributes.href;
  }
  return firstAlternate;
}

/** Media RSS's description, of the item or of its <media:group> (where YouTube's feeds put it), as feedparser reads it. */
function mediaDescription(item: RssItem): string | null {
  const group = [item['media:group']].flat()[0];
  const inGroup = group && typeof group === 'object' ? (group as Record<string, unknown>)['media:description'] : null;
  return asString(item['media:description']) ?? asString(inGroup);
}

/** A JSON Feed author: an object with a name, or (as some feeds write it) the name alone. */
function jsonPersonName(person: unknown): string | null {
  if (person !== null && typeof person === 'object') return asString((person as { name?: unknown }).name);
  return typeof person === 'string' ? person : null;
}

/** An Atom person construct read by xml2js: `{ "atom:name": ["Jane Roe"], "atom:email": [...] }`. */
function atomPersonName(person: unknown): string | null {
  const record = [person].flat()[0] as Record<string, unknown> | undefined;
  if (!record || typeof record !== 'object') return asString(record);
  return asString(record['atom:name'] ?? record.name) ?? asString(record['atom:email'] ?? record.email);
}

/**
 * RSS writes authors as e-mail addresses: "jane@example.com (Jane Roe)", "Jane Roe <jane@…>" and "Jane Roe (jane@…)"
 * name Jane Roe.
 */
function personName(value: string | null): string | null {
  const text = cleanText(value);
  if (!text) return null;
  const named =
    /^\S+@\S+\s*\((.+)\)$/.exec(text)?.[1] ??
    /^(.+?)\s*<\S+@\S+>$/.exec(text)?.[1] ??
    /^([^@()]+?)\s*\(\s*[^\s@()]+@[^\s()]+\s*\)$/.exec(text)?.[1];
  return named?.trim() || text;
}

function nonEmpty(value: string | null | undefined): string | null {
  return value && value.trim() ? value : null;
}

function isPermaLink(guid: unknown): boolean {
  const attributes = (guid as { $?: { isPermaLink?: string } } | null)?.$;
  const text = asString(guid) ?? '';
  return attributes?.isPermaLink !== 'false' && /^https?:\/\//i.test(text);
}

/** Miniflux's last resort for an item without GUID or link: a hash of what it says. */
function contentId(title: string | null, content: string | null): string {
  return `urn:sha1:${createHash('sha1')
    .update(`${title ?? ''}\n${content ?? ''}`)
    .digest('hex')}`;
}

/** The root element's xml:base resolved against where the feed came from, or that URL itself. */
function documentBase(text: string, baseUrl: string | undefined): string | undefined {
  const root = /<(?:[\w-]+:)?(?:rss|feed|RDF)\b[^>]*?\sxml:base\s*=\s*["']([^"']+)["']/i.exec(text.slice(0, 4096));
  if (!root) return baseUrl;
  try {
    return new URL(root[1]!, baseUrl).href;
  } catch {
    return baseUrl;
  }
}

/** The last of a repeated element's values. */
function lastString(value: unknown): string | null {
  return asString(Array.isArray(value) ? value.at(-1) : value);
}

const MAX_TEXT_DEPTH = 100;

/**
 * rss-parser returns objects for some fields: `{_: text, $: attributes}` for elements with attributes, and the
 * element tree for inline XHTML (`<title type="xhtml"><div>…</div></title>`). Keep only their text.
 */
function asString(value: unknown, depth = 0): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  // A hostile feed nests elements thousands deep: deeper than any real one, the walk stops instead of overflowing.
  if (depth >= MAX_TEXT_DEPTH) return null;
  if (Array.isArray(value))
    return (
      value
        .map((child) => asString(child, depth + 1))
        .filter((text) => text !== null)
        .join(' ') || null
    );
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // xml2js keeps an element's own text in `_` and its children by name (their order against the text is lost).
    const texts = Object.entries(record)
      // Attributes are not text; neither is the content of inline <script> or <style>.
      .filter(([key]) => key !== '$' && key !== 'script' && key !== 'style')
      .sort(([a], [b]) => (a === '_' ? -1 : b === '_' ? 1 : 0))
      .map(([, child]) => asString(child, depth + 1))
      .filter((text): text is string => text !== null);
    return texts.length > 0 ? texts.join(' ') : null;
  }
  return null;
}

/**
 * A title element as text. One declared HTML or XHTML (Atom `type="html"`, `type="xhtml"`, whose content
 * markupAsText made text) or carrying HTML tags (an RSS title with `&lt;b&gt;`) is read as HTML: its tags go
 * and its entities are decoded. One declared text (Atom's `type="text"`) is text, brackets and all ("5 < 6").
 * Any other stays as written, but for the common tags feeds slip in, so a title about "the <blink> tag" keeps
 * its words.
 */
function titleText(raw: unknown): string | null {
  const value = asString(raw);
  if (value === null) return null;
  const element = (Array.isArray(raw) ? raw[0] : raw) as { $?: { type?: string } } | null | undefined;
  const type = typeof element === 'object' ? (element?.$?.type ?? '') : '';
  if (/^\s*text\s*$/i.test(type)) return collapsed(value);
  if (/html/i.test(type) || HAS_COMMON_TAG.test(value)) return htmlText(value);
  return cleanText(value);
}

/**
 * A summary as a reader sees it: feeds carry HTML there (escaped, in CDATA or inline XHTML). Script and style
 * content and comments go, every tag goes, and the entities the markup kept (`&lt;blink&gt;`) are decoded once.
 */
function htmlText(value: string | null): string | null {
  if (value === null) return null;
  return collapsed(
    decodeHTML(value.replace(SCRIPT_OR_STYLE, '').replace(ANY_TAG, (tag) => (BREAKING_TAG.test(tag) ? ' ' : ''))),
  );
}

const HAS_COMMON_TAG = new RegExp(COMMON_TAGS.source, 'i');
/** In a summary only these hide their text: an iframe's or object's fallback text is shown, as feedparser keeps it. */
const SCRIPT_OR_STYLE = contentOf('script|style');
/** Up to the next `<` at most: `[^>]*` would rescan the rest of the text from every `<` that is never closed. */
const ANY_TAG = /<\/?[a-zA-Z][^<>]*>|<![^<>]*>/g;
/** Tags that break a line or end a block: words on either side stay apart; inline tags ("<b>Lo</b>ng") join them. */
const BREAKING_TAG = /^<\/?(?:br|p|div|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|pre|hr|section|article|dd|dt)\b/i;

function cleanText(value: string | null): string | null {
  return collapsed(plainText(value));
}

/** White space collapsed and C1 controls read as Windows-1252, as feedparser reads them; null for none left. */
function collapsed(text: string | null): string | null {
  const trimmed = text === null ? null : c1AsWindows1252(text).replace(/\s+/g, ' ').trim();
  return trimmed ? trimmed : null;
}

/** A relative link resolved against `base`; an absolute one kept as the feed wrote it (canonicalization is later). */
function resolveUrl(value: string | null, base: string | undefined): string | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  try {
    const resolved = new URL(trimmed, base).href;
    return /^https?:\/\/[^/?#]+/i.test(trimmed) ? trimmed : resolved;
  } catch {
    return null;
  }
}
