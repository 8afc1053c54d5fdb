import type { CheerioAPI } from 'cheerio';
import { isTag, type AnyNode, type Element, type Text } from 'domhandler';
import { decodeHTML } from 'entities';
import { CHINESE_OR_JAPANESE, normalizeWhitespace, visibleLength } from './clean-text.ts';
import { BLOCK_TAGS, documentOf, elementsWhere, firstElementWhere, tagIn } from './dom-walk.ts';
import { parseDateText, slashedOrderOf, type SlashedOrder } from './date-text.ts';

export interface ArticleMetadata {
  title: string | null;
  author: string | null;
  publishedAt: string | null;
  modifiedAt: string | null;
  language: string | null;
  siteName: string | null;
  canonicalUrl: string | null;
  /** The lead image (OpenGraph, Twitter card, JSON-LD), absolute. */
  image: string | null;
  /** JSON-LD `articleBody`, used as evidence when the page's markup yields little text. */
  articleBody: string | null;
}

type JsonObject = Record<string, unknown>;
const ARTICLE_TYPES = /^(?:News|Blog|Report|Scholarly|Tech)?Article$|^BlogPosting$|^LiveBlogPosting$|^WebPage$/;

/** Reads metadata in order of reliability: JSON-LD, OpenGraph and meta tags, then the markup itself. */
export function readMetadata($: CheerioAPI, url: string): ArticleMetadata {
  const jsonLd = findJsonLdArticle($);
  const meta = metaTags($);

  const siteName =
    nonUrl(meta('property:og:site_name')) ??
    nonUrl(decoded(asText((jsonLd?.publisher as JsonObject | undefined)?.name))) ??
    nonUrl(meta('name:application-name'));

  const root = documentOf($);
  const isTitle = tagIn('title');
  const titleTag = decoded(
    $(firstElementWhere(root, isTitle, { within: 'head' })).text() || $(firstElementWhere(root, isTitle)).text(),
  );
  const metaTitles = withCutTitleCompleted(
    [decoded(asText(jsonLd?.headline)), meta('property:og:title'), meta('name:twitter:title'), titleTag].filter(
      (title): title is string => title !== null,
    ),
  );
  const names = siteNames(siteName, url);
  const affixes = titleAffixes(names, titleTag);
  const locale =
    nonEmpty(firstElementWhere(root, tagIn('html'))?.attribs.lang) ??
    meta('http-equiv:content-language') ??
    nonEmpty(asText(jsonLd?.inLanguage)) ??
    meta('property:og:locale');
  // 05/10/2018 is 5 October on a Brazilian page and May 10 on an American one.
  const dates = dateReaderFor(locale);
  const title = visibleHeadline($, metaTitles, names) ?? metaTitles[0] ?? null;
  const headline = headlineSurroundings($, metaTitles);

  // Read once: a JSON-LD author that is only an organization asks for it first.
  let byline: string | null | undefined;
  const printedByline = () => (byline === undefined ? (byline = visibleByline($, locale)) : byline);
  const author =
    (isOrganizationOnly(jsonLd?.author) ? printedByline() : null) ??
    authorFromJsonLd(jsonLd?.author) ??
    joinAuthors(meta.all('name:citation_author', 'name:citation_authors')) ??
    [
      meta('name:author'),
      meta('itemprop:author'),
      meta('name:byl'),
      nonUrl(meta('property:article:author')),
      meta('name:parsely-author', 'name:sailthru.author', 'name:dc.creator'),
    ]
      .map((candidate) => (candidate ? cleanAuthor(candidate, { declared: true }) : null))
      .find((candidate) => candidate !== null) ??
    twitterWrittenBy(meta) ??
    printedByline() ??
    nameBesideDateNearHeadline($, headline, dates) ??
    authorInCreditLine($) ??
    authorFromBio($);

  const publishedAt =
    dates.instant(
      asText(jsonLd?.datePublished) ??
        meta('property:article:published_time') ??
        meta('name:article:published_time') ??
        meta('itemprop:datePublished') ??
        meta(...PUBLISHED_META) ??
        meta.named(isPublicationDateName, (content) => dates.instant(content) !== null) ??
        parselyPublicationDate(meta('name:parsely-page')) ??
        decoded(firstElementWhere(root, (element) => element.attribs.itemprop === 'datePublished')?.attribs.datetime) ??
        // hAtom: <abbr class="published" title="2021-03-04T10:00:00Z">4 days ago</abbr>.
        decoded(firstElementWhere(root, isHatomPublished)?.attribs.title) ??
        asText(jsonLd?.dateCreated),
    ) ??
    toIsoDate(dateFromUrl(url)) ??
    visibleDate($, dates) ??
    dateNearHeadline($, headline, dates) ??
    dateBesideByline($, dates) ??
    labelledDate($, dates);

  const modifiedAt = dates.instant(
    asText(jsonLd?.dateModified) ??
      meta('property:article:modified_time') ??
      meta('property:og:updated_time') ??
      meta('itemprop:dateModified') ??
      decoded(firstElementWhere(root, (element) => element.attribs.itemprop === 'dateModified')?.attribs.datetime),
  );

  const image =
    meta('property:og:image') ??
    meta('property:og:image:url') ??
    meta('name:twitter:image') ??
    imageFromJsonLd(jsonLd?.image);

  const language = primaryLanguage(locale);

  // link[rel="canonical"]: `rel` compares without case in HTML.
  const canonicalLink = firstElementWhere(
    root,
    (element) => element.tagName === 'link' && element.attribs.rel?.toLowerCase() === 'canonical',
  );
  const canonicalUrl = nonEmpty(canonicalLink?.attribs.href) ?? meta('property:og:url');

  return {
    title: title ? cleanTitle(title, title === titleTag ? affixes : names, affixes) : null,
    author,
    publishedAt,
    modifiedAt,
    language,
    siteName: siteName ? withoutTagline(normalizeWhitespace(siteName), url) : null,
    canonicalUrl: canonicalUrl ? resolve(canonicalUrl, url) : null,
    image: image ? resolve(image, url) : null,
    articleBody: decoded(asText(jsonLd?.articleBody)),
  };
}

const PUBLISHED_META = [
  'pubdate',
  'published',
  'publishdate',
  'publish-date',
  'publish_date',
  'date_published',
  'article.published',
  'date',
  'dc.date',
  'dc.date.issued',
  'dcterms.created',
  'dcterms.date',
  'citation_publication_date',
  'citation_date',
  'sailthru.date',
  'parsely-pub-date',
  'published-date',
  'published_date',
  'publication_date',
  'publication-date',
  'datepublished',
  'original-publish-date',
  'article_date_original',
  'cxenseparse:recs:publishtime',
]
  .map((name) => `name:${name}`)
  .concat('property:og:published_time', 'property:article:published', 'property:og:article:published_time');

/**
 * A site's own name for its publication date tag, beyond the common ones above: "w-published-date",
 * "cxenseparse:publishtime", "og:publish_date", "date-pub".
 */
function isPublicationDateName(name: string): boolean {
  return (
    /(?:^|[^a-z])(?:pub|publish|published|publication)(?:[^a-z]?(?:date|time|datetime|on|at))?$|(?:^|[^a-z])date[^a-z]?pub(?:lished)?$/.test(
      name,
    ) && !/publisher|modif|updat/.test(name)
  );
}

/** Parse.ly's older `<meta name="parsely-page" content='{"pub_date": …}'>`. */
function parselyPublicationDate(content: string | null): string | null {
  if (!content) return null;
  try {
    const page = JSON.parse(content) as { pub_date?: unknown };
    return typeof page.pub_date === 'string' ? page.pub_date : null;
  } catch {
    return null;
  }
}

function isHatomPublished(element: Element): boolean {
  return (
    element.tagName === 'abbr' &&
    element.attribs.title !== undefined &&
    /\bpublished\b/.test(element.attribs.class ?? '')
  );
}

/**
 * The page's `<meta>` tags, read once: `meta('property:og:title')` is the content of the first tag with that
 * property, `meta(a, b, …)` that of the first tag in document order with any of them, as a selector list finds it.
 * `name` and `http-equiv` compare without case (sites write "Author" and "DC.date"); `property` and `itemprop` with.
 * One pass instead of a selector parsed and matched against the whole document for each of some thirty lookups.
 */
function metaTags($: CheerioAPI) {
  const tags: { keys: string[]; content: string | undefined }[] = [];
  for (const element of elementsWhere(documentOf($), tagIn('meta'))) {
    const { name, property, itemprop, content } = element.attribs;
    const equiv = element.attribs['http-equiv'];
    const keys: string[] = [];
    if (name !== undefined) keys.push(`name:${name.toLowerCase()}`);
    if (equiv !== undefined) keys.push(`http-equiv:${equiv.toLowerCase()}`);
    if (property !== undefined) keys.push(`property:${property}`);
    if (itemprop !== undefined) keys.push(`itemprop:${itemprop}`);
    if (keys.length > 0) tags.push({ keys, content });
  }
  const matching = (wanted: string[]) => tags.filter((tag) => tag.keys.some((key) => wanted.includes(key)));
  const first = (...wanted: string[]) => {
    const [tag] = matching(wanted);
    return tag ? decoded(tag.content) : null;
  };
  /** Every tag's content, in document order (academic pages give one citation_author tag per author). */
  const all = (...wanted: string[]) =>
    matching(wanted)
      .map((tag) => decoded(tag.content))
      .filter((content) => content !== null);
  /**
   * The content of the first tag whose name or property (lower-cased, without `name:` or `property:`) passes
   * `isWanted` and whose content passes `isValid`.
   */
  const named = (isWanted: (name: string) => boolean, isValid: (content: string) => boolean) => {
    for (const tag of tags) {
      const content = decoded(tag.content);
      if (content === null || !isValid(content)) continue;
      for (const key of tag.keys)
        if (/^(?:name|property):/.test(key) && isWanted(key.slice(key.indexOf(':') + 1).toLowerCase())) return content;
    }
    return null;
  };
  return Object.assign(first, { all, named });
}

/**
 * The author Yoast SEO (a WordPress plug-in on a large share of sites) prints for Twitter cards: a
 * `twitter:labelN` "Written by" with the name in `twitter:dataN`.
 */
function twitterWrittenBy(meta: ReturnType<typeof metaTags>): string | null {
  for (let n = 1; n <= 5; n++) {
    const label = meta(`name:twitter:label${n}`);
    if (!label) break;
    if (!/^(?:written by|author|geschrieben von|verfasst von|écrit par|escrito por|scritto da)$/i.test(label.trim()))
      continue;
    const name = meta(`name:twitter:data${n}`);
    return name ? cleanAuthor(name, { declared: true }) : null;
  }
  return null;
}

function findJsonLdArticle($: CheerioAPI): JsonObject | null {
  const candidates: JsonObject[] = [];
  // script[type="application/ld+json"]; `type` compares without case in HTML.
  // A Remix route's `script:ld+json` meta entry, printed as a <meta> tag where Remix does not make it a script.
  const holders = elementsWhere(
    documentOf($),
    (element) =>
      (element.tagName === 'script' && element.attribs.type?.toLowerCase() === 'application/ld+json') ||
      (element.tagName === 'meta' && element.attribs.name === 'script:ld+json'),
  );
  holders.forEach((element) => {
    try {
      const json = element.tagName === 'meta' ? (element.attribs.content ?? '') : $(element).text();
      collect(JSON.parse(json) as unknown, candidates);
    } catch {
      // Broken JSON-LD is common; the other sources still count.
    }
  });
  const isArticle = (node: JsonObject) =>
    [node['@type']].flat().some((type) => typeof type === 'string' && ARTICLE_TYPES.test(type));
  const article =
    candidates.find((node) => isArticle(node) && node['@type'] !== 'WebPage') ?? candidates.find(isArticle) ?? null;
  if (!article) return null;
  // A graph (Yoast SEO and others) names its author and publisher by reference: {"@id": "…#/schema/person/…"}.
  const byId = new Map(candidates.filter((node) => typeof node['@id'] === 'string').map((node) => [node['@id'], node]));
  const resolveReference = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(resolveReference)
      : value && typeof value === 'object' && !('name' in value) && byId.has((value as JsonObject)['@id'])
        ? byId.get((value as JsonObject)['@id'])
        : value;
  return { ...article, author: resolveReference(article.author), publisher: resolveReference(article.publisher) };
}

function collect(value: unknown, out: JsonObject[]): void {
  if (Array.isArray(value)) value.forEach((entry) => collect(entry, out));
  else if (value && typeof value === 'object') {
    out.push(value as JsonObject);
    const graph = (value as JsonObject)['@graph'];
    if (graph) collect(graph, out);
  }
}

function authorFromJsonLd(value: unknown): string | null {
  return joinAuthors(
    [value]
      .flat()
      // JSON-LD written by a CMS often keeps the page's HTML escapes: "Maria &amp; Katerina".
      .map((entry) => decoded(typeof entry === 'string' ? entry : asText((entry as JsonObject | null)?.name)))
      .filter((name): name is string => !!name && !/^https?:\/\//.test(name)),
  );
}

/**
 * A JSON-LD author that is only organizations ("Paycom", "Morgan & Morgan"): the CMS's default when the page names
 * no person. A person printed in the page's byline is then the author.
 */
function isOrganizationOnly(value: unknown): boolean {
  const entries = [value].flat().filter((entry) => entry !== null && entry !== undefined);
  return (
    entries.length > 0 &&
    entries.every((entry) =>
      [(entry as JsonObject)['@type']].flat().some((type) => typeof type === 'string' && ORGANIZATION_TYPES.test(type)),
    )
  );
}

const ORGANIZATION_TYPES = /Organization$|^(?:Corporation|NGO)$/;

/** Several declared authors (a JSON-LD list, one citation_author tag each), each cleaned, joined with ", ". */
function joinAuthors(names: string[]): string | null {
  const cleaned = [
    ...new Set(names.map((name) => cleanAuthor(name, { declared: true })).filter((name) => name !== null)),
  ];
  return cleaned.length > 0 ? cleaned.join(', ') : null;
}

/** Where a byline's name starts: after "By", "Written by:", "Posted by", "Author:", "Article by", "Text:" … */
const BYLINE_MARKER =
  /(?:^|\s)(?:(?:written|posted|authored|reviewed|edited|recipe|article|story|words|text|photos?|report(?:ed|ing)?)\s+)?(?:by|von|par|por|door|av|af|di|oleh)\s*:?\s+(?=\S)|(?:^|\s)(?:scritto|pubblicato)\s+da\s*:?\s+(?=\S)|^(?:autor(?:in|ka)?|author|auteur|autore|yazar|szerző|penulis|kirjoittaja|forfatter|författare|napisała?|a cura di|автор|текст)\s*:?\s+|^(?:text|texte|testo|texto|tekst)\s*:\s*/iu;
const MONTH_WORD =
  /^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?,?$/i;
const NOT_A_NAME =
  /^(?:the\s+)?(?:admin(?:istrator)?|author|authors|by|(?:written|posted|authored|reviewed|edited|published) by|editor|staff writer|guest|undefined|null|none|unknown|webmaster|user|no author|the author|content|design|code|photos?|fotos?|illustrations?|graphics?|video|bild(?:er)?|grafik(?:en)?)$/i;
/** Words that begin what a printed byline says after the name: the role, the date, the section. */
const AFTER_NAME =
  /^(?:published|updated|posted|last|reviewed|edited|editing|on|in|at|writer|editor|reporter|author|contributor|contributing|correspondent|columnist|coordinator|manager|director|head|chief|senior|junior|lead|founder|co-founder|ceo|cto|expert|specialist|consultant|analyst|licensed|certified|corresponding|articles|posts|read|min|minutes|follow|view|more|share|\d.*)$/i;
/** Letters after a name that belong to it ("Angela Holliday-Bell, MD"). */
const CREDENTIAL = /^(?:MD|M\.D\.|DO|DVM|PhD|Ph\.D\.|RN|MPH|Jr\.?|Sr\.?|II|III)$/;
const NAME_WORD = /^(?:\p{Lu}[\p{L}\p{M}'’.-]*|van|von|der|den|de|da|del|della|di|du|la|le|bin|al)$/u;

/**
 * A name as a byline gives it, or null for what only looks like one (URLs, e-mail addresses, ids, labels, dates).
 * "Written by" and what follows the name ("| Updated …") go. A printed byline (not `declared` in meta data) also
 * loses the role or date printed after the name, and must be at least two words that look like a name.
 */
export function cleanAuthor(author: string, options: { declared?: boolean } = {}): string | null {
  if (/:\/\/|www\./.test(author)) return null;
  let text = normalizeWhitespace(author)
    .replace(/\S+@\S+\.\S+/g, ' ')
    // What an e-mail address leaves: "jane@example.com (Jane Doe)" and "Jane Doe (jane@example.com)", RSS's form.
    .replace(/\(\s*\)/g, ' ')
    .replace(/^\s*\((.+)\)\s*$/, '$1')
    .replace(/[^\p{L}\p{M}\p{N}\s.,'’&()|•·:/–—-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const eastAsian = eastAsianByline(text);
  if (eastAsian !== undefined) return eastAsian;
  const marker = BYLINE_MARKER.exec(text);
  if (marker) text = text.slice(marker.index + marker[0].length);
  text = text.split(/\s*[|•·:]\s*|\s+[–—-]\s+/)[0]!.trim();
  if (!options.declared) text = printedName(text);
  const name = onceIfRepeated(text.replace(/^[\s,&-]+|[\s,;&(-]+$/g, '').trim());
  // A name is short; a declared list of them ("A, B and C") may not be.
  if (!name || name.split(/,|&| and /).some((part) => part.trim().length > 100)) return null;
  if (NOT_A_NAME.test(name) || !/\p{L}/u.test(name)) return null;
  if (/\d{3,}/.test(name) || /\w\.\w+\.\w/.test(name) || name.split(' ').every((word) => MONTH_WORD.test(word)))
    return null;
  // "brandon-peaktwo": a slug, not a name.
  if (!/\s/.test(name) && /-/.test(name) && name === name.toLowerCase()) return null;
  return name;
}

/** The words that mark a Chinese or Japanese byline: 作者 (author), 记者/記者 (reporter), 文 (text), … */
const EAST_ASIAN_MARKERS = '作者|记者|記者|撰文|撰稿|执笔|執筆|筆者|文';
/** The marker, then names of two to six characters: "作者：王小明", "记者 王小明 李华", "文/山田太郎". */
const CHINESE_OR_JAPANESE_BYLINE = new RegExp(
  `^(?:${EAST_ASIAN_MARKERS})[\\s/／:：]+((?:[\\p{Script=Han}\\p{Script=Katakana}ー・]{2,6}(?:\\s+|$))+)`,
  'u',
);
/**
 * Names of two to four syllables, joined by commas or middle dots, then 기자 (reporter) or a senior one: "홍길동 기자",
 * "김철수·이영희 선임기자". Not words joined by spaces ("이번 사건을 취재한 기자"); a desk ("정치부 기자") is left
 * out by eastAsianByline.
 */
const KOREAN_BYLINE =
  /^(\p{Script=Hangul}{2,4}(?:\s*[,·]\s*\p{Script=Hangul}{2,4}){0,3})\s*(?:선임|수석|객원)?기자(?:\s|$)/u;
/** How a text that may be such a byline starts: the marker, or a Korean name. */
const EAST_ASIAN_BYLINE_START = new RegExp(`^(?:${EAST_ASIAN_MARKERS}|\\p{Script=Hangul})`, 'u');

/** A block that is a byline and nothing else: a Korean one ends at 기자 or an e-mail address after it. */
function isWholeEastAsianByline(text: string): boolean {
  if (!eastAsianByline(text)) return false;
  return !KOREAN_BYLINE.test(text) || /기자\s*(?:\S+@\S+)?$/u.test(text);
}

/**
 * The names of a Chinese, Japanese or Korean byline, joined with ", "; null for a marker with no name after it;
 * undefined for text that is no such byline. Their names are one word with no capital, which the rest of cleanAuthor
 * takes for a label.
 */
function eastAsianByline(text: string): string | null | undefined {
  const names = (CHINESE_OR_JAPANESE_BYLINE.exec(`${text} `) ?? KOREAN_BYLINE.exec(text))?.[1];
  if (names === undefined) return undefined;
  // 정치부, 사회부: the politics or city desk, not a name.
  const list = names.split(/[\s,·]+/).filter((name) => name && !/\p{Script=Hangul}부$/u.test(name));
  return list.length > 0 && list.length <= 4 ? list.join(', ') : null;
}

/**
 * A name of two words or more printed several times in a row, once: a page builder prints a block once per screen
 * size ("Loona Construction Loona Construction Loona Construction" where CSS shows one of them).
 */
function onceIfRepeated(name: string): string {
  const words = name.split(' ');
  for (let size = 2; size <= words.length / 2; size++) {
    if (words.length % size === 0 && words.every((word, index) => word === words[index % size]))
      return words.slice(0, size).join(' ');
  }
  return name;
}

/** The name at the start of a printed byline: capitalized words (and "and"), up to the role or date after it. */
function printedName(text: string): string {
  const kept: string[] = [];
  const words = text.split(' ').filter(Boolean);
  for (const [index, word] of words.entries()) {
    const bare = word.replace(/[,;]+$/, '');
    // A month starts the date after a name ("Jane Roe May 5, 2024"); "Tom May" is a name.
    const startsDate = MONTH_WORD.test(bare) && /^\d/.test(words[index + 1] ?? '');
    // "Jane Doe Staff Writer" is Jane Doe; "Podium Staff" is a name.
    const startsRole = /^staff$/i.test(bare) && AFTER_NAME.test(words[index + 1] ?? '');
    if (index > 0 && (AFTER_NAME.test(bare) || startsDate || startsRole)) break;
    if (!/^(?:and|und|et|y|&)$/i.test(bare) && !NAME_WORD.test(bare) && !CREDENTIAL.test(bare)) break;
    kept.push(word);
    // "Reporting by Jane Doe; Editing by John Smith": a semicolon ends the credit for the writing.
    if (word.endsWith(';')) break;
  }
  const name = kept.join(' ');
  const nameWords = name.split(' ').filter((word) => /\p{L}/u.test(word));
  // One capitalized word ("Personal", "March") is a label more often than a name; so is a line in capitals.
  if (nameWords.length < 2 || nameWords.every((word) => word === word.toUpperCase())) return '';
  return name;
}

/**
 * Yoast cuts a JSON-LD headline at 110 characters: a first title that another goes on from, past no separator, was
 * cut, and the other stands in for it.
 */
function withCutTitleCompleted(titles: string[]): string[] {
  const [first, ...others] = titles;
  if (first === undefined) return titles;
  const whole = others.find((other) => other.startsWith(first) && /^\s*[^\s|–—·•»›:-]/.test(other.slice(first.length)));
  return whole ? [whole, ...others] : titles;
}

const TITLE_SEPARATOR = /\s+[|–—·•»›:-]{1,2}\s+/;

/**
 * Names the site goes by: the declared site name, the host's name ("example" for www.example.co.uk) and its longer
 * subdomains ("writingcenter" for writingcenter.unc.edu): a site without a declared name is still known by them.
 */
function siteNames(siteName: string | null, url: string): Set<string> {
  const names = new Set<string>();
  if (siteName) names.add(compact(siteName));
  const labels = hostLabels(url);
  const host = labels.at(-1);
  if (host) names.add(host);
  // Subdomains of four letters or more, "www" aside.
  for (const label of labels.slice(0, -1)) if (label.length >= 4 && !/^www\d*$/.test(label)) names.add(label);
  names.delete('');
  return names;
}

/** The site's names, and the parts of the <title> beside its longest part (a section, a tagline, the site). */
function titleAffixes(names: Set<string>, titleTag: string | null): Set<string> {
  const affixes = new Set(names);
  const parts = titleTag?.split(TITLE_SEPARATOR) ?? [];
  // The headline is the longest part that is not the site's name ("Book Reviews - The Writing Center").
  const longest = parts.filter((part) => !isSiteName(part, names)).reduce((a, b) => (b.length > a.length ? b : a), '');
  for (const part of parts) if (part !== longest) affixes.add(compact(part));
  affixes.delete('');
  return affixes;
}

/**
 * The host's labels without its top-level domain and a second-level suffix such as .co.uk, the one people call the
 * site by last: "www.nutritionsource.example.co.uk" → www, nutritionsource, example.
 */
function hostLabels(url: string): string[] {
  try {
    const labels = new URL(url).hostname.split('.');
    labels.pop(); // the top-level domain
    if (labels.length > 1 && /^(?:co|com|org|net|ac|gov|edu|ne|or|go|gob|gv)$/.test(labels.at(-1)!)) labels.pop();
    return labels;
  } catch {
    return [];
  }
}

const compact = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * A declared site name without the tagline it carries ("Housecall Pro - The #1 all-in-one solution…", "Find a Provider
 * Near You - Book Online - Sofia Health"): of the parts its separators make, the one that names the host. Kept whole
 * when no part or several do ("iSchool | Syracuse University" on ischool.syracuse.edu).
 */
function withoutTagline(declared: string, url: string): string {
  // "Ambient Air Solutions |": a separator with nothing after it.
  const siteName = declared.replace(/\s+[|–—·•»›:-]{1,2}$/, '');
  const parts = siteName.split(TITLE_SEPARATOR);
  if (parts.length < 2) return siteName;
  const hostNames = hostLabels(url)
    .filter((label) => label.length >= 4 && !/^www\d*$/.test(label))
    .map(compact);
  const naming = parts.filter((part) => {
    const key = compact(part.normalize('NFD').replace(/\p{M}/gu, ''));
    // The host's name give or take a word ("Userpilot Blog", "Columbia Star" on thecolumbiastar.com); not a phrase
    // that mentions it ("Web-page of Karl Voit" on karl-voit.at) nor a word of it ("Cyber Security" on
    // gabrielcybersecurity.com).
    return (
      key.length >= 4 &&
      hostNames.some((name) => (key.includes(name) || name.includes(key)) && Math.abs(key.length - name.length) <= 6)
    );
  });
  if (naming.length !== 1) return siteName;
  const name = naming[0]!;
  // The host written out ("JPost.com") beside a name ("The Jerusalem Post"), not a tagline: the name stays.
  const isDomain = /\.[a-z]{2,}$/i.test(name.trim());
  if (isDomain && parts.some((part) => part !== name && part.trim().split(/\s+/).length <= 5)) return siteName;
  return name.replace(/^["'“”‘’«»]+|["'“”‘’«»]+$/g, '').trim();
}

function isSiteName(part: string, names: Set<string>): boolean {
  const key = compact(part);
  if (!key) return true;
  // "University of Wisconsin-Stevens Point" on uwsp.edu: a name whose capitals spell the host's.
  const initials = part
    .split(/[\s-]+/)
    .filter((word) => /^\p{Lu}/u.test(word))
    .map((word) => word[0]!.toLowerCase())
    .join('');
  if (initials.length >= 3 && names.has(initials)) return true;
  for (const name of names)
    if (key === name || (name.length >= 4 && key.length <= name.length + 6 && key.includes(name))) return true;
  return false;
}

/**
 * The headline people see: the page's <h1> when it says what the meta titles say (they often carry the site name,
 * an SEO variant or a year), the only <h1> of a page otherwise. Never a site name or logo text.
 */
function visibleHeadline($: CheerioAPI, metaTitles: string[], names: Set<string>): string | null {
  const headings = elementsWhere(documentOf($), tagIn('h1'))
    .map(headingText)
    .filter((text) => text.length >= 3 && text.length <= 300 && !isSiteName(text, names));
  if (headings.length === 0) return null;
  let best: { text: string; score: number; title: string | undefined } | null = null;
  for (const heading of headings) {
    for (const title of metaTitles.length > 0 ? metaTitles : [undefined]) {
      const score = title === undefined ? 0 : overlap(heading, title);
      if (!best || score > best.score) best = { text: heading, score, title };
    }
  }
  if (best && best.score >= 0.5) {
    // A heading set in capitals (in the markup, not by CSS) reads better as the meta title's own case; a heading in
    // a script without case (Chinese, Japanese, Arabic, …) is not one.
    const inCapitals = best.text === best.text.toUpperCase() && best.text !== best.text.toLowerCase();
    if (inCapitals && best.title) return best.title;
    return withoutSectionLabel(withLostCharactersRestored(best.text, best.title), best.title);
  }
  const distinct = [...new Set(headings)];
  return distinct.length === 1 && distinct[0]!.split(/\s+/).length >= 3 ? distinct[0]! : null;
}

/**
 * "Blog: Best Agencies in 2025" where the meta title reads "Best Agencies in 2025 | Site": a label of a few words
 * before the colon that the page's own title leaves out names the section, not the story.
 */
function withoutSectionLabel(heading: string, title: string | undefined): string {
  const labelled = /^([^:]{1,30}):\s+(\S.*)$/.exec(heading);
  if (!title || !labelled || labelled[1]!.split(/\s+/).length > 3) return heading;
  const [, label, rest] = labelled;
  const own = normalizeWhitespace(title);
  return own.startsWith(rest!) && !own.startsWith(label!) ? rest! : heading;
}

/**
 * "Event Planning? Beginner? Guide": characters a page's encoding could not hold print as "?" (or "\uFFFD"); the
 * meta title that reads the same around them ("Event Planning: Beginner's Guide") still has them.
 */
function withLostCharactersRestored(heading: string, title: string | undefined): string {
  const lost = heading.match(/[?\uFFFD]/g)?.length ?? 0;
  // A few at most: each stand-in is matched by a pattern that may backtrack, and a heading of many is no mishap.
  if (!title || lost === 0 || lost > 5) return heading;
  const pattern = heading
    .split(/[?\uFFFD]/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    // What stood there is no space and no question mark: "in 2025?" against "in 2025 | Site" is a question.
    .join('[^\\s?]\\S{0,2}?');
  return new RegExp(`^${pattern}`).exec(normalizeWhitespace(title))?.[0] ?? heading;
}

/**
 * A heading's text with its line breaks as spaces ("Top MBA Programs<br>Your Guide" is two phrases, not one word).
 * A block inside the heading after text of its own siblings is a subtitle or a dateline ("…Security<div
 * class="divider"></div><h3>Posted on …</h3>"), not the headline: it and the elements after it are left out (text
 * between them stays, as cheerio's `nextAll()` left it). Read off the tree by hand, without the cheerio clone and
 * selector lookups it once took for every <h1>.
 */
function headingText(heading: Element): string {
  const cut = new Set<AnyNode>();
  const textOf = (node: AnyNode): string => {
    if (cut.has(node)) return '';
    if (node.type === 'text') return (node as Text).data;
    if (node.type === 'tag' && (node as Element).tagName === 'br') return ' ';
    if (node.type === 'comment' || !('children' in node)) return '';
    return node.children.map(textOf).join('');
  };
  const isCut = (node: AnyNode): boolean => {
    for (let current: AnyNode | null = node; current && current !== heading; current = current.parent)
      if (cut.has(current)) return true;
    return false;
  };
  for (const block of elementsWhere(heading, (element) => BLOCK_IN_HEADING.has(element.tagName))) {
    if (isCut(block)) continue;
    let before = '';
    for (let sibling = block.prev; sibling; sibling = sibling.prev) before += textOf(sibling);
    // The block and the elements after it; text between them stays, line breaks (spaces by then) included.
    if (normalizeWhitespace(before).length > 0)
      for (let sibling: AnyNode | null = block; sibling; sibling = sibling.next)
        if (isTag(sibling) && sibling.tagName !== 'br') cut.add(sibling);
  }
  return decoded(normalizeWhitespace(textOf(heading))) ?? '';
}

const BLOCK_IN_HEADING = new Set(['div', 'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'time']);

/** Shared words over the shorter text's words: 1 when one title contains the other. */
function overlap(a: string, b: string): number {
  const words = (text: string) => new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const left = words(a);
  const right = words(b);
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const word of left) if (right.has(word)) shared++;
  return shared / Math.max(left.size, right.size);
}

/**
 * "Headline - Site", "Site | Headline", "Headline | Section", "“Headline”" → "Headline": parts in `leading` are cut
 * from the start, parts in `trailing` from the end. A headline read from the <title> loses the <title>'s other parts
 * (a section, a tagline, the site) at either end; one read elsewhere (the <h1>, og:title) loses trailing ones but
 * only the site's names in front, so a headline in two parts ("Zero Waste - A Beginner's Guide") keeps its first
 * part even where the <title>'s second part is longer.
 */
function cleanTitle(title: string, leading: Set<string>, trailing: Set<string>): string {
  const normalized = normalizeWhitespace(title).replace(/^["“](.+)["”]$/, '$1');
  const parts = normalized.split(TITLE_SEPARATOR);
  if (parts.length < 2) return withoutUnspacedSiteName(normalized, leading, trailing);
  // Only parts at either end are cut: "Budget: What It Means - Site" keeps its colon.
  let first = 0;
  let last = parts.length;
  while (first < last && isSiteName(parts[first]!, leading)) first++;
  while (last > first && isSiteName(parts[last - 1]!, trailing)) last--;
  if (first === last) return normalized;
  const separators = normalized.match(new RegExp(TITLE_SEPARATOR.source, 'g')) ?? [];
  let result = parts[first]!;
  for (let index = first + 1; index < last; index++) result += `${separators[index - 1]}${parts[index]}`;
  return result;
}

/**
 * Chinese and Japanese titles join the site's name without spaces ("标题_新浪新闻", "タイトル｜朝日新聞デジタル"): cut
 * only where the part beyond the separator is one of the site's names.
 */
function withoutUnspacedSiteName(title: string, leading: Set<string>, trailing: Set<string>): string {
  if (!CHINESE_OR_JAPANESE.test(title)) return title;
  const atEnd = SITE_NAME_AT_END.exec(title);
  if (atEnd && isSiteName(atEnd[2]!, trailing)) return atEnd[1]!;
  const atStart = SITE_NAME_AT_START.exec(title);
  if (atStart && isSiteName(atStart[1]!, leading)) return atStart[2]!;
  return title;
}

const UNSPACED_SEPARATOR = '[_|｜\\-－–—:：·•]';
/** The title split at its last separator, and at its first. */
const SITE_NAME_AT_END = new RegExp(`^(.+)${UNSPACED_SEPARATOR}(.+?)$`, 'u');
const SITE_NAME_AT_START = new RegExp(`^(.+?)${UNSPACED_SEPARATOR}(.+)$`, 'u');

/**
 * Elements that hold a byline; the first name found in them, in document order, outside comments. By hand, what
 * `[rel="author"], [itemprop="author"] [itemprop="name"], [itemprop="author"], a[href*="/author/"],
 * a[href*="/authors/"], [class*="byline" i], [class*="author" i], [id*="author" i], [class*="writer" i]` matches.
 */
function isBylineHolder(element: Element): boolean {
  const { attribs } = element;
  if (attribs.rel?.toLowerCase() === 'author' || hasItemprop(element, 'author')) return true;
  const parent = element.parent;
  if (hasItemprop(element, 'name') && parent && hasAncestorOrSelf(parent, (node) => hasItemprop(node, 'author')))
    return true;
  if (element.tagName === 'a' && (attribs.href?.includes('/author/') || attribs.href?.includes('/authors/')))
    return true;
  return (
    (attribs.class !== undefined && BYLINE_CLASS.test(attribs.class) && !ABOUT_NAME.test(attribs.class)) ||
    (attribs.id !== undefined && AUTHOR_WORD.test(attribs.id))
  );
}

/** "author" as a word part of a class or id, not the start of "authorities" or "authorize" (a menu's links). */
const AUTHOR_WORD = /author(?!i[tz])/i;
/** What an author box says beside the name, in elements of their own: "Licensed Q Grader, M.A. Journalism". */
const ABOUT_NAME = /(?:author|writer)[-_]?(?:description|role|job|position|avatar)/i;
const BYLINE_CLASS = new RegExp(`byline|writer|${AUTHOR_WORD.source}`, 'i');

/** `itemprop` holds a list of names: <span itemprop="author creator">. */
function hasItemprop(element: Element, name: string): boolean {
  const itemprop = element.attribs.itemprop;
  return itemprop !== undefined && (itemprop === name || itemprop.split(/\s+/).includes(name));
}

/** Inside a comments section (an element whose class or id names comments): what is printed there is not the article's. */
function insideComments(element: AnyNode): boolean {
  return hasAncestorOrSelf(
    element,
    (node) =>
      node.tagName !== 'body' &&
      node.tagName !== 'html' &&
      /comment/i.test(`${node.attribs.class ?? ''} ${node.attribs.id ?? ''}`.replace(COMMENTS_STATE, '')),
  );
}

/** What WordPress and others say of the whole page's comments ("no-comments", "comments-closed"): not a comment. */
const COMMENTS_STATE = /\b(?:(?:no|has)-comments?|comments?-(?:open|closed|off|on))\b/gi;

const NOT_PRINTED = new Set(['script', 'style', 'noscript', 'svg']);

/** A hand-written `closest()`: called for every element near the headline, where parsing a selector each time showed in profiles. */
function hasAncestorOrSelf(start: AnyNode, test: (element: Element) => boolean): boolean {
  for (let node: AnyNode | null = start; node; node = node.parent)
    if (node.type === 'tag' || node.type === 'script' || node.type === 'style') if (test(node as Element)) return true;
  return false;
}

function visibleByline($: CheerioAPI, locale: string | null): string | null {
  // A link to the author's page that gives only a handle, taken when nothing names the author better.
  let handle: string | null = null;
  for (const element of elementsWhere(documentOf($), isBylineHolder).slice(0, 40)) {
    if (insideComments(element)) continue;
    const text = shortSpacedText($, element, 120);
    // An author box (a bio) is longer than a byline; its name is in a heading or link inside it.
    if (!text) continue;
    const name = nameInLines(blockLines(element)) ?? handleAfterBy(text);
    if (name) return name;
    handle ??= handleOfAuthorLink(element, text);
  }
  // A byline with no class to find it by: a short block that starts "By Jane Roe" or "Written by Jane Roe".
  const unmarked = unmarkedBylineIn(locale);
  for (const element of elementsWhere(documentOf($), tagIn('p', 'span', 'div', 'li', 'small', 'a', 'address'))) {
    if (element.children.filter(isTag).length > 4) continue;
    const start = firstPrintedStart(element);
    if (!unmarked.start.test(start) && !EAST_ASIAN_BYLINE_START.test(start)) continue;
    const text = shortSpacedText($, element, 80);
    if (!text || !(unmarked.byline.test(text) || isWholeEastAsianByline(text))) continue;
    if (insideComments(element)) continue;
    const name = cleanAuthor(text);
    if (name) return name;
  }
  // A heading that says who wrote it, at the story's end: "Written by Cassidy Horton" (never a bare "By …", which
  // heads sections such as "By the numbers").
  for (const element of elementsWhere(documentOf($), tagIn('h2', 'h3', 'h4', 'h5', 'h6'))) {
    const text = shortSpacedText($, element, 80);
    if (!text || !/^(?:written|posted|authored)\s+by\s*:?\s+\p{Lu}/iu.test(text)) continue;
    const name = insideComments(element) ? null : cleanAuthor(text);
    if (name) return name;
  }
  // A label with the name after it, in the next element or as text beside it: <h3>Author</h3><p>Lisa D. Ellis</p>,
  // <strong>Contributors:</strong> Janet Loughrey.
  const labels = tagIn('h2', 'h3', 'h4', 'h5', 'h6', 'dt', 'strong', 'b', 'span', 'p', 'div');
  for (const element of elementsWhere(documentOf($), labels)) {
    if (element.children.some((child) => child.type === 'tag')) continue;
    // Text nodes only, as a label is (no cheerio wrapper for each of the page's spans and paragraphs).
    const label = element.children.every((child) => child.type === 'text' || child.type === 'comment')
      ? element.children.map((child) => (child.type === 'text' ? (child as Text).data : '')).join('')
      : $(element).text();
    if (visibleLength(label, LABEL_LENGTH_BOUND) > LABEL_LENGTH_BOUND) continue;
    if (!AUTHOR_LABEL.test(normalizeWhitespace(label))) continue;
    if (insideComments(element)) continue;
    const beside = element.next?.type === 'text' ? normalizeWhitespace((element.next as Text).data) : '';
    const next = $(element).next()[0];
    const text = beside || (next ? spacedText($, next, 2000) : '');
    const name = text && text.length <= 80 ? cleanAuthor(text) : null;
    if (name) return name;
  }
  return handle;
}

/**
 * "By Jane Roe", "Written by Jane Roe", "Von Hans Müller", "Veröffentlicht von …", "Por María López", "Par Jean Dupont":
 * each language's "by" and the verbs that may precede it. Not Dutch "door": unmarked, it is as often the English word
 * ("Door Check Gas Springs").
 */
const UNMARKED_BYLINE_WORDS: Record<string, string[]> = {
  by: ['written', 'posted', 'authored'],
  von: ['verfasst', 'veröffentlicht'],
  por: ['publicado', 'escrito'],
  par: ['publié', 'écrit'],
};
/** "Autor: Jan Kowalski", "Автор: Иван Петров", "Yazar: Ahmet Yılmaz": the word for author, then a colon. */
const AUTHOR_COLON_WORDS = [
  'author',
  'autor',
  'autorin',
  'autorka',
  'auteur',
  'autore',
  'yazar',
  'szerző',
  'penulis',
  'kirjoittaja',
  'forfatter',
  'författare',
  'автор',
];
/**
 * "By" in languages where the word is also a common word of English or of the language itself ("Door Check Gas
 * Springs"): read as a byline only on a page that declares the language.
 */
const BY_IN_ITS_LANGUAGE: Record<string, string> = { nl: 'door', sv: 'av', no: 'av', nb: 'av', nn: 'av', da: 'af' };

/**
 * An unmarked byline's pattern, and how the first piece of its text starts (pieces are joined with a space, so the
 * word is whole in it): for any page, and with each language's own "by" for a page in that language.
 */
function unmarkedBylinePatterns(words: Record<string, string[]>): { byline: RegExp; start: RegExp } {
  const byWords = Object.entries(words).map(([by, verbs]) =>
    verbs.length > 0 ? `(?:(?:${verbs.join('|')})\\s+)?${by}\\s*:?` : `${by}\\s*:?`,
  );
  return {
    byline: new RegExp(`^(?:${byWords.join('|')}|(?:${AUTHOR_COLON_WORDS.join('|')})\\s*:)\\s+\\p{Lu}`, 'iu'),
    start: new RegExp(`^(?:${[...Object.entries(words).flat(2), ...AUTHOR_COLON_WORDS].join('|')})`, 'iu'),
  };
}
const UNMARKED_BYLINES = new Map(
  ['', ...new Set(Object.values(BY_IN_ITS_LANGUAGE))].map((by) => [
    by,
    unmarkedBylinePatterns(by ? { ...UNMARKED_BYLINE_WORDS, [by]: [] } : UNMARKED_BYLINE_WORDS),
  ]),
);
const unmarkedBylineIn = (locale: string | null) =>
  UNMARKED_BYLINES.get(BY_IN_ITS_LANGUAGE[locale?.toLowerCase().split(/[-_]/)[0] ?? ''] ?? '')!;

/**
 * How the first text under `element` that is more than white space starts (its first 64 characters, normalized);
 * '' when there is none. Its callers test how it starts: normalizing a whole paragraph for that showed in profiles.
 */
function firstPrintedStart(element: Element): string {
  let first = '';
  textPieces(element, (data) => (first = normalizeWhitespace(data.trimStart().slice(0, 64))) !== '');
  return first;
}

/**
 * A one-word name a byline gives after "By" ("Posted by BeauHD", "By Reuters"): a handle or an agency, which
 * `cleanAuthor` leaves out of unmarked text (one capitalized word there is a label more often than a name).
 */
function handleAfterBy(text: string): string | null {
  // Case-sensitive: the name must start with a capital.
  const match =
    /^(?:(?:[Ww]ritten|[Pp]osted|[Aa]uthored)\s+)?(?:[Bb]y|BY)\s*:?\s+(\p{Lu}[\p{L}\p{N}_.-]{2,30})(?:\s+(?:on|at|in)\s.*|\s*[|,•·].*)?$/u.exec(
      text,
    );
  if (!match || MONTH_WORD.test(match[1]!) || NOT_A_NAME.test(match[1]!)) return null;
  return match[1]!;
}

/** A link to the author's page that names them by a handle: <a rel="author" href="/author/whova/">whova</a>. */
function handleOfAuthorLink(element: Element, text: string): string | null {
  const { rel, href } = element.attribs;
  const toAuthorPage = rel?.toLowerCase() === 'author' || /\/authors?\//.test(href ?? '');
  if (element.tagName !== 'a' || !toAuthorPage || !/^\p{L}[\p{L}\p{N}_.-]{1,30}$/u.test(text)) return null;
  // A menu's link to a partners' page ("News"), a site account ("jdadmin").
  if (hasAncestorOrSelf(element, (node) => node.tagName === 'nav' || /\bmenu/i.test(node.attribs.class ?? '')))
    return null;
  return NOT_A_NAME.test(text) || MONTH_WORD.test(text) || /admin/i.test(text) ? null : text;
}

/**
 * The name a byline's lines give: the line with "By" (or the line after a "Written by" alone), else the first line
 * that reads as a name. Its own line, not the role printed in the next one ("Stephen Jesudunsin" above "AI Writer").
 */
function nameInLines(lines: string[]): string | null {
  const marked = lines.findIndex((line) => BYLINE_MARKER.test(line) || BYLINE_MARKER_ALONE.test(line));
  if (marked >= 0) {
    const next = lines[marked + 1];
    return cleanAuthor(lines[marked]!) ?? (next ? cleanAuthor(next) : null);
  }
  for (const line of lines) {
    const name = cleanAuthor(line);
    if (name) return name;
  }
  return null;
}

const BYLINE_MARKER_ALONE = /^(?:(?:written|posted|authored|reviewed|edited)\s+)?by\s*:?$/i;

/** An element's text as it is printed, one line per block: "Written by Meghan Neville" and "Content Marketing". */
function blockLines(element: Element): string[] {
  const lines: string[] = [''];
  const walk = (node: AnyNode) => {
    if (node.type === 'text') lines[lines.length - 1] += ` ${(node as Text).data}`;
    else if (node.type === 'tag' && (node as Element).name !== 'noscript') {
      const block = BLOCK_TAGS.has((node as Element).name) || (node as Element).name === 'br';
      if (block) lines.push('');
      (node as Element).children.forEach(walk);
      if (block) lines.push('');
    }
  };
  walk(element);
  return lines.map(normalizeWhitespace).filter(Boolean);
}

const AUTHOR_LABEL =
  /^(?:authors?|contributors?|article by|written by|words by|autor(?:in)?|auteur|autore|авторы?)\s*:?$/i;
/**
 * Longer than any label AUTHOR_LABEL takes ("Contributors:" is 13 characters): text past it is not read at all. Kept
 * well above the longest so a label added to the pattern still fits.
 */
const LABEL_LENGTH_BOUND = 40;

/**
 * Text with a space between its pieces: "Written by<a>Jane Roe</a><span>Editor</span>" is not one word. Stops
 * collecting past `rawLimit` characters: callers want short lines, and a page wrapper's text is the whole page.
 */
function spacedText($: CheerioAPI, element: Parameters<CheerioAPI>[0], rawLimit = Infinity): string {
  let collected = 0;
  return normalizeWhitespace(textPieces(element, (data) => (collected += data.length) > rawLimit).join(' '));
}

/**
 * spacedText when it is at most `maxLength` characters long, else null, known without normalizing a long text: a
 * byline or a dateline is a line, and most elements asked are paragraphs or wrappers of the whole story.
 */
function shortSpacedText($: CheerioAPI, element: Parameters<CheerioAPI>[0], maxLength: number): string | null {
  let visible = 0;
  const pieces = textPieces(element, (data) => (visible += visibleLength(data, maxLength)) > maxLength);
  if (visible > maxLength) return null;
  const text = normalizeWhitespace(pieces.join(' '));
  return text.length <= maxLength ? text : null;
}

/** The text nodes under `element`, outside scripts and styles, up to the one after which `enough` says stop. */
function textPieces(element: Parameters<CheerioAPI>[0], enough: (data: string) => boolean): string[] {
  const pieces: string[] = [];
  let stopped = false;
  const walk = (node: AnyNode) => {
    if (stopped) return;
    if (node.type === 'text') {
      pieces.push((node as Text).data);
      stopped = enough((node as Text).data);
    } else if ('children' in node && node.type === 'tag') {
      if (['script', 'style', 'noscript'].includes(node.name)) return;
      node.children.forEach(walk);
    }
  };
  walk(element as AnyNode);
  return pieces;
}

/**
 * Elements that print a date for people; an "updated" stamp is taken only when nothing else says when. By hand, what
 * `time, [class*="date" i], [class*="publish" i], [class*="posted" i], [class*="byline" i], [class*="meta" i],
 * [class*="time" i], [id*="date" i], [class*="author" i]` matches (an author box often prints the date under the name).
 */
function isDateHolder(element: Element): boolean {
  const { attribs } = element;
  return (
    element.tagName === 'time' ||
    (attribs.class !== undefined && /date|publish|posted|byline|meta|time|author/i.test(attribs.class)) ||
    (attribs.id !== undefined && /date/i.test(attribs.id))
  );
}
/** Words that label an update stamp, and a publication date, in the languages the date reader knows. */
const UPDATE_LABELS = [
  'updated',
  'modified',
  'last edit',
  'aktualisiert',
  'mis à jour',
  'actualizado',
  'atualizado',
  'aggiornato',
  'bijgewerkt',
  'zaktualizowano',
  'aktualizováno',
  'aktualizované',
  'actualizat',
  'frissítve',
  'päivitetty',
  'diperbarui',
  'uppdaterad',
  'opdateret',
  'oppdatert',
  'güncellendi',
  'обновлено',
  'оновлено',
];
const PUBLICATION_LABELS = [
  'veröffentlicht',
  'erschienen',
  'publié',
  'publicado',
  'pubblicato',
  'gepubliceerd',
  'opublikowano',
  'publikováno',
  'publikované',
  'publicat',
  'megjelent',
  'julkaistu',
  'diterbitkan',
  'dipublikasikan',
  'publicerad',
  'udgivet',
  'publisert',
  'yayınlanma(?:\\s+tarihi)?',
  'опубликовано',
  'опубліковано',
];
const UPDATED = new RegExp(`(?<!\\p{L})(?:${UPDATE_LABELS.join('|')})(?!\\p{L})`, 'iu');
const PUBLISHED = new RegExp(`(?<!\\p{L})(?:published|posted|${PUBLICATION_LABELS.join('|')})(?!\\p{L})`, 'iu');

/**
 * The day an update stamp also gives for the publication, after its label: "Updated March 9, 2024 | Published
 * March 5, 2024" is March 5.
 */
function dayAfterPublicationLabel(text: string, dates: DateReader): string | null {
  const label = PUBLISHED.exec(text);
  return label ? dates.day(text.slice(label.index)) : null;
}

/** A stamp of a later visit rather than of the publication: "Updated", "Last reviewed", a gist's "Last active". */
function isUpdateLabel(text: string): boolean {
  return UPDATED.test(text) || /\blast\s+(?:reviewed|active|checked)\b/i.test(text);
}

/**
 * The text just before a date element, where its label often stands apart from it ("<div>Date Last Reviewed:</div>
 * <div><time …>"): its previous siblings' text while they are short, else its parent's. A long sibling is the
 * story, not a label: the search stops there.
 */
function labelBefore(element: Element): string {
  for (let node: AnyNode | null = element, level = 0; node && level < 2; node = node.parent, level++) {
    let label = '';
    for (let sibling = node.prev; sibling && label.length <= LABEL_CHARS; sibling = sibling.prev) {
      let read = 0;
      const text = normalizeWhitespace(
        textPieces(sibling, (data) => (read += data.length) > LABEL_CHARS * 4).join(' '),
      );
      if (text.length > LABEL_CHARS) break;
      label = `${text} ${label}`.trim();
    }
    if (label) return label;
  }
  return '';
}

const LABEL_CHARS = 80;

/** Dates read the page's way (see `slashedOrderOf`): the calendar day a printed text names, a meta value's instant. */
interface DateReader {
  day(text: string): string | null;
  instant(value: string | null | undefined): string | null;
}

/** "Open Today, March 14, 2026", "Heute, 14. März 2026": the day the page is read. */
const TODAY = /(?<!\p{L})(?:today|heute|aujourd'hui|hoy|oggi|hoje)(?!\p{L})/iu;

function dateReaderFor(locale: string | null): DateReader {
  const slashedOrder = slashedOrderOf(locale);
  return {
    day: (text) => (TODAY.test(text) ? null : parseDateText(text, { slashedOrder })),
    instant: (value) => toIsoDate(value, slashedOrder),
  };
}

function visibleDate($: CheerioAPI, dates: DateReader): string | null {
  let updated: string | null = null;
  for (const element of elementsWhere(documentOf($), isDateHolder).slice(0, 80)) {
    const node = $(element);
    if (insideComments(element) || printsToday(element)) continue;
    const attribute = node.attr('datetime');
    // Pieces apart: "April 13, 2023<span>Tags:" is a date, "April 13, 2023Tags:" is not.
    let text = spacedText($, element, 5000);
    // A date bar that also holds tags or share links: its first short line that reads as a date.
    if (text.length > 200 && !attribute) text = firstDateLine($, element, dates) ?? '';
    const day = printedOrMachineDay(attribute, text, dates);
    if (!day) continue;
    const updateStamp =
      isUpdateLabel(text) || /updated|modified/i.test(node.attr('class') ?? '') || isUpdateLabel(labelBefore(element));
    if (!updateStamp) return `${day}T00:00:00.000Z`;
    const published = dayAfterPublicationLabel(text, dates);
    if (published) return `${published}T00:00:00.000Z`;
    updated ??= `${day}T00:00:00.000Z`;
  }
  return updated;
}

/** A date the page prints for the day it is read: a masthead's "today", a venue's opening hours. */
function printsToday(element: Element): boolean {
  return hasAncestorOrSelf(element, (node) => TODAYS_DATE.test(node.attribs.class ?? ''));
}

const TODAYS_DATE = /date[-_]?today|todays?[-_]?date|current[-_]?date|hours__date|opening[-_]hours/i;

/**
 * The day of a `<time datetime>` (or the printed one without it). A datetime in UTC names the UTC day: where the
 * text beside it prints the day before or after, that is the day where the story was published
 * (`<time datetime="2026-02-24T04:13:00Z">February 23, 2026</time>`).
 */
function printedOrMachineDay(attribute: string | undefined, text: string, dates: DateReader): string | null {
  const printed = text ? dates.day(text) : null;
  const machine = attribute ? dates.instant(attribute)?.slice(0, 10) : undefined;
  if (!machine) return printed;
  const oneDayApart = printed !== null && Math.abs(Date.parse(printed) - Date.parse(machine)) === 86_400_000;
  return oneDayApart && /(?:Z|[+-]00:?00)$/i.test(attribute!.trim()) ? printed : machine;
}

function firstDateLine($: CheerioAPI, container: Element, dates: DateReader): string | null {
  const lines = $(container)
    .find('span, time, small, p, div, li')
    .toArray()
    .slice(0, 20)
    .map((element) => spacedText($, element, 400))
    .filter((line) => line.length >= 6 && line.length <= 80);
  return lines.find((line) => dates.day(line) !== null) ?? null;
}

/**
 * Where the headline stands, for the bylines and datelines printed around it: the first <h1>, or on a page without
 * one, the first element whose own text is most of a meta title (a <legend>, a <p class="titulo">).
 */
function headlineElement($: CheerioAPI, metaTitles: string[]): Element | undefined {
  const root = documentOf($);
  const h1 = firstElementWhere(root, tagIn('h1'));
  if (h1) return h1;
  const titles = metaTitles.map(normalizeWhitespace).filter((title) => title.length >= 10);
  if (titles.length === 0) return undefined;
  return firstElementWhere(
    root,
    (element) => {
      const own = normalizeWhitespace(ownText(element));
      return own.length >= 10 && titles.some((title) => title.includes(own) && own.length >= title.length / 2);
    },
    { within: 'body' },
  );
}

interface HeadlineSurroundings {
  element(): Element | undefined;
  /**
   * The elements holding text of their own nearest the headline: up to `after` of them after it, nearest first, then
   * up to `before` before it, nearest first. None when the page has no headline to stand by.
   */
  nearest(after: number, before: number): Element[];
}

/** The headline and the text around it, each looked for once per page and only when a reader asks. */
function headlineSurroundings($: CheerioAPI, metaTitles: string[]): HeadlineSurroundings {
  let headline: Element | undefined | null = null;
  let textHolders: Element[] | undefined;
  let at = -1;
  const element = () => (headline === null ? (headline = headlineElement($, metaTitles)) : headline);
  return {
    element,
    nearest(after, before) {
      const anchor = element();
      if (!anchor) return [];
      if (!textHolders) {
        textHolders = elementsWhere(documentOf($), (candidate) => candidate === anchor || hasOwnText(candidate), {
          within: 'body',
        });
        at = textHolders.indexOf(anchor);
      }
      return [
        ...textHolders.slice(at + 1, at + 1 + after),
        ...textHolders.slice(Math.max(0, at - before), at).reverse(),
      ];
    },
  };
}

/** `ownText(element) !== ''` without building the text. */
function hasOwnText(element: Element): boolean {
  for (const child of element.children) if (child.type === 'text' && /\S/.test((child as Text).data)) return true;
  return false;
}

/**
 * A dateline with nothing to find it by: the first short element that reads as a date among the text just after the
 * headline (or, failing that, just before it), where bylines and datelines stand. Distance is counted in elements
 * that hold text of their own, so icons and wrappers do not push the dateline out of reach.
 */
function dateNearHeadline($: CheerioAPI, headline: HeadlineSurroundings, dates: DateReader): string | null {
  const near = headline.nearest(59, 15);
  // "Updated May 6, 2025" is the page's date only when it prints no other.
  let updated: string | null = null;
  for (const element of near) {
    if (hasAncestorOrSelf(element, (node) => NOT_PRINTED.has(node.name))) continue;
    // Collecting stops early on a wrapper holding the whole story: far over a dateline's 80 characters. Such a wrapper
    // may still print the date as its own text ("<fieldset><legend>Title</legend> 20 December 2025 <div>…").
    const text = shortSpacedText($, element, 80) ?? shortOwnText(element, 80);
    if (!text || text.length < 6) continue;
    if (insideComments(element) || printsToday(element)) continue;
    const day = dates.day(text);
    if (!day) continue;
    if (!UPDATED.test(text)) return `${day}T00:00:00.000Z`;
    const published = dayAfterPublicationLabel(text, dates);
    if (published) return `${published}T00:00:00.000Z`;
    updated ??= `${day}T00:00:00.000Z`;
  }
  return updated;
}

/**
 * A dateline near the headline that names its author without a "By" or a class to say so: "Aaron Ricadela | Senior
 * Writer | July 2, 2025", or the date and the name in two spans side by side. The first part that reads as a
 * person's name (capitalized words, no digits) is the author.
 */
function nameBesideDateNearHeadline($: CheerioAPI, headline: HeadlineSurroundings, dates: DateReader): string | null {
  const headlineElement = headline.element();
  // The headline beside a dateline ("<time>…</time><h1>…</h1>") is no name.
  const holdsHeadline = (child: Element) =>
    headlineElement !== undefined && hasAncestorOrSelf(headlineElement, (node) => node === child);
  for (const element of headline.nearest(19, 10)) {
    if (insideComments(element)) continue;
    const text = shortSpacedText($, element, 120);
    if (!text || text.length < 6 || !dates.day(text)) continue;
    // A date alone in its element: its siblings hold the rest of the dateline.
    const parent = element.parent?.type === 'tag' ? (element.parent as Element) : null;
    const holder =
      parent && parent !== headline.element() && spacedText($, parent, 300).length <= 120 && text.length <= 40
        ? parent
        : element;
    const children = holder.children.filter((child): child is Element => child.type === 'tag');
    const pieces =
      children.length >= 2
        ? children
            .filter((child) => !isSectionLabel(child) && !holdsHeadline(child))
            .map((child) => spacedText($, child, 300))
        : [spacedText($, holder, 300)];
    for (const segment of pieces.flatMap((piece) => piece.split(/\s*[|•·]\s*|\s+[–—]\s+/))) {
      if (segment.length < 5 || /\d/.test(segment) || dates.day(segment)) continue;
      const name = cleanAuthor(segment);
      if (name && name.split(' ').length >= 2 && name.length >= segment.length * 0.8) return name;
    }
  }
  return null;
}

/** A heading that opens the author's bio box: "About the author", "Über den Autor", "Sobre el autor"… */
export const ABOUT_THE_AUTHOR =
  /^(?:about the author|about the writer|über (?:den|die) autor(?:in)?|à propos de l'auteur|sobre (?:el|o|a) autora?|sull'autore|over de auteur)\s*:?$/i;
/** The bio's first words: the name, then what the person is ("Jane Roe is a reporter…", "Jane Roe, a reporter…"). */
const BIO_OPENING =
  /^((?:\p{Lu}[\p{L}\p{M}'’.-]*\s+){1,3}\p{Lu}[\p{L}\p{M}'’-]+)(?:\s+(?:is|was|has|writes|covers|ist|es|est|é)\b|,)/u;

/**
 * The last resort: a bio box at the end of the story ("About the author" / "Juliette Carreiro is a skilled content
 * creator…") names the author in its first words.
 */
function authorFromBio($: CheerioAPI): string | null {
  const label = elementsWhere(documentOf($), (element) => {
    // A label is a leaf or nearly: a heading, a <p>, a <span> with a <strong> in it.
    if (element.children.length > 3) return false;
    const text = shortSpacedText($, element, 40);
    return text !== null && ABOUT_THE_AUTHOR.test(text) && !insideComments(element);
  }).at(-1);
  // The text that follows the label, in document order: its next siblings, else its parent's.
  for (let node: AnyNode | null = label ?? null, level = 0; node && level < 3; node = node.parent, level++) {
    for (let sibling = node.next; sibling; sibling = sibling.next) {
      let read = 0;
      const text = normalizeWhitespace(textPieces(sibling, (data) => (read += data.length) > 200).join(' '));
      if (!text) continue;
      const name = BIO_OPENING.exec(text)?.[1];
      return name ? cleanAuthor(name) : null;
    }
  }
  return null;
}

/** How a credit line in the story opens: "This post was written by", "The article is authored by". */
const CREDIT_LINE =
  /^(?:this|the)\s+(?:blog\s+)?(?:post|article|story|piece|guide|column)\s+(?:was|is)\s+(?:written|authored)\s+by\s+/i;

/**
 * The name in a short paragraph that credits the author: "This post was written by Vanessa Mendez, MD,
 * gastroenterologist, Parkview Health." (the name ends where the role begins).
 */
function authorInCreditLine($: CheerioAPI): string | null {
  for (const element of elementsWhere(documentOf($), tagIn('p'))) {
    if (!/^(?:this|the)\s/i.test(firstPrintedStart(element))) continue;
    const text = shortSpacedText($, element, 200);
    const opening = text ? CREDIT_LINE.exec(text) : null;
    if (!opening || insideComments(element)) continue;
    const name = cleanAuthor(text!.slice(opening[0].length));
    if (name) return name;
  }
  return null;
}

/** A category or section label beside a dateline ("Mental Health"), a link to its listing or named so. */
function isSectionLabel(element: Element): boolean {
  const href = element.attribs.href ?? '';
  return (
    /\/(?:category|categories|tag|tags|topics?|section|sections)\//i.test(href) ||
    /categor|tag|topic|section|kicker|label|eyebrow/i.test(element.attribs.class ?? '')
  );
}

/**
 * A date printed beside the byline, far from the headline (a table of contents between them): "Written by Jane Roe"
 * and "April 8, 2024" in the next element, or in the byline's own parent's next element.
 */
function dateBesideByline($: CheerioAPI, dates: DateReader): string | null {
  const bylines = elementsWhere(
    documentOf($),
    (element) =>
      (element.tagName === 'a' &&
        (!!element.attribs.href?.includes('/author/') || element.attribs.rel?.toLowerCase() === 'author')) ||
      (element.attribs.class !== undefined && /byline/i.test(element.attribs.class)),
  );
  for (const element of bylines.slice(0, 10)) {
    if (insideComments(element)) continue;
    const holder =
      element.parent?.type === 'tag' && spacedText($, element.parent, 200).length <= 120 ? element.parent : element;
    for (const next of [$(holder).next()[0], $(holder).next().next()[0]]) {
      if (!next) break;
      const text = spacedText($, next, 200);
      if (text.length < 6 || text.length > 80 || UPDATED.test(text)) continue;
      const day = dates.day(text);
      if (day) return `${day}T00:00:00.000Z`;
    }
  }
  return null;
}

/**
 * A line that says what its date is, anywhere on the page: "Published: June 3, 2024", "Last updated: November 13,
 * 2025", "Veröffentlicht am 31. Mai 2019", "Publicado el 15 de abril de 2018", "Опубликовано 2 февраля 2021".
 */
const DATE_LABEL = new RegExp(
  `^(?:(?:originally\\s+)?(?:published|posted|written|dated?)|(?:last\\s+)?(?:reviewed|${UPDATE_LABELS.join('|')})|` +
    `${PUBLICATION_LABELS.join('|')})(?:\\s+(?:on|am|le|el|em|il|op|pada|dne|den))?\\s*:?\\s+`,
  'iu',
);

/**
 * The last resort: a short line, outside comments, that labels its date. The first such line wins, a publication
 * label over an update one.
 */
function labelledDate($: CheerioAPI, dates: DateReader): string | null {
  let updated: string | null = null;
  for (const element of elementsWhere(
    documentOf($),
    tagIn('p', 'span', 'div', 'small', 'li', 'em', 'time', 'strong'),
  )) {
    const own = ownText(element);
    if (!own || !DATE_LABEL.test(own)) continue;
    const text = spacedText($, element, 200);
    if (text.length > 60 || insideComments(element)) continue;
    const day = dates.day(text);
    if (!day) continue;
    if (!UPDATED.test(text) && !/reviewed/i.test(text)) return `${day}T00:00:00.000Z`;
    const published = dayAfterPublicationLabel(text, dates);
    if (published) return `${published}T00:00:00.000Z`;
    updated ??= `${day}T00:00:00.000Z`;
  }
  return updated;
}

/** `ownText`, normalized, when at most `maxLength` characters long, else null: a long paragraph is not normalized. */
function shortOwnText(element: Element, maxLength: number): string | null {
  const own = ownText(element);
  if (visibleLength(own, maxLength) > maxLength) return null;
  const text = normalizeWhitespace(own);
  return text.length <= maxLength ? text : null;
}

function ownText(element: AnyNode): string {
  if (!('children' in element)) return '';
  let text = '';
  for (const child of element.children) if (child.type === 'text') text += (child as Text).data;
  return text.trim();
}

function imageFromJsonLd(value: unknown): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string') return nonEmpty(first);
  return nonEmpty(asText((first as JsonObject | null)?.url));
}

/** A date and time without a zone is read as UTC, never as the server's local time. */
const ZONELESS_DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/**
 * An ISO 8601 date and time: in UTC, or with the page's own UTC offset when it gives one (see below). Null for what
 * is no date, or one outside 1990–2100.
 */
export function toIsoDate(value: string | null | undefined, slashedOrder: SlashedOrder = 'unknown'): string | null {
  if (!value) return null;
  const trimmed = value.trim();
  // "20250717", as some sites write a date meta tag: eight digits are no plausible epoch.
  const compact = /^((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/.exec(trimmed);
  if (compact) return `${compact[1]}-${compact[2]}-${compact[3]}T00:00:00.000Z`;
  // "July 17, 2025" in a meta tag: read as the calendar day it names, not through Date.parse's local time.
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed) && !/^\d+$/.test(trimmed)) {
    const day = parseDateText(trimmed, { slashedOrder });
    // Date.parse reads 05/10/2018 (and 05-10-2018) month first whatever the page's locale: such a date is read here
    // or not at all.
    if (/\d([/-])\d{1,2}\1\d/.test(trimmed)) return day ? `${day}T00:00:00.000Z` : null;
    if (day && !/\d{1,2}:\d{2}/.test(trimmed)) return `${day}T00:00:00.000Z`;
  }
  const time = Date.parse(ZONELESS_DATETIME.test(trimmed) ? `${trimmed.replace(' ', 'T')}Z` : trimmed);
  if (Number.isNaN(time)) return null;
  const year = new Date(time).getUTCFullYear();
  if (year < 1990 || year > 2100) return null;
  const offset = NUMERIC_OFFSET.exec(trimmed);
  if (!offset || (offset[2] === '00' && offset[3] === '00')) return new Date(time).toISOString();
  // The page's own offset stays: "2025-12-19T01:30:00+05:30" was published on the 19th where it was written, which
  // UTC (the 18th, 20:00) would not say. The same instant either way.
  const [, sign, hours, minutes] = offset;
  const offsetMs = (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) * 60_000;
  return `${new Date(time + offsetMs).toISOString().slice(0, 23)}${sign}${hours}:${minutes}`;
}

/** An explicit numeric UTC offset after a time of day, at the end: "01:30:00+05:30", "10:00 -0800". */
const NUMERIC_OFFSET = /\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*([+-])(\d{2}):?(\d{2})$/;

function dateFromUrl(url: string): string | null {
  const match = /\/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:\/|$|-)/.exec(url);
  if (!match) return null;
  const [, year, month, day] = match;
  return `${year}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}T00:00:00Z`;
}

function primaryLanguage(tag: string | null): string | null {
  const primary = tag?.trim().split(/[-_]/)[0]?.toLowerCase();
  return primary && /^[a-z]{2,3}$/.test(primary) ? primary : null;
}

function asText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return asText(value[0]);
  return null;
}

/** Trimmed, with entities decoded once more: CMSs often escape twice (`&amp;#8217;` reaches us as `&#8217;`). */
function decoded(value: string | null | undefined): string | null {
  const trimmed = nonEmpty(value);
  return trimmed && trimmed.includes('&') ? nonEmpty(decodeHTML(trimmed)) : trimmed;
}

function nonEmpty(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function nonUrl(value: string | null): string | null {
  return value && !/^https?:\/\//.test(value) ? value : null;
}

function resolve(href: string, base: string): string | null {
  try {
    return new URL(href, base).href;
  } catch {
    return null;
  }
}
