import type { CheerioAPI } from 'cheerio';
import { normalizeWhitespace } from './clean-text.ts';

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
  const meta = (selector: string): string | null => nonEmpty($(selector).first().attr('content'));

  const siteName =
    meta('meta[property="og:site_name"]') ??
    nonEmpty(asText((jsonLd?.publisher as JsonObject | undefined)?.name)) ??
    meta('meta[name="application-name"]');

  const title =
    nonEmpty(asText(jsonLd?.headline)) ??
    meta('meta[property="og:title"]') ??
    meta('meta[name="twitter:title"]') ??
    nonEmpty($('h1').first().text()) ??
    headlineFromTitleTag(nonEmpty($('title').first().text()), siteName);

  const author =
    authorFromJsonLd(jsonLd?.author) ??
    meta('meta[name="author"]') ??
    meta('meta[name="byl"]') ??
    nonUrl(meta('meta[property="article:author"]')) ??
    nonEmpty($('[rel="author"], [itemprop="author"] [itemprop="name"], [itemprop="author"]').first().text()) ??
    nonEmpty($('.byline, .author-name, .author').first().text());

  const publishedAt = toIsoDate(
    asText(jsonLd?.datePublished) ??
      meta('meta[property="article:published_time"]') ??
      meta('meta[name="article:published_time"]') ??
      meta('meta[itemprop="datePublished"]') ??
      meta(
        'meta[name="pubdate"], meta[name="publishdate"], meta[name="date"], meta[name="dc.date"], meta[name="DC.date.issued"], meta[name="sailthru.date"], meta[name="parsely-pub-date"]',
      ) ??
      nonEmpty($('[itemprop="datePublished"]').first().attr('datetime')) ??
      nonEmpty($('time[datetime]').first().attr('datetime')) ??
      dateFromUrl(url),
  );

  const modifiedAt = toIsoDate(
    asText(jsonLd?.dateModified) ??
      meta('meta[property="article:modified_time"]') ??
      meta('meta[property="og:updated_time"]') ??
      meta('meta[itemprop="dateModified"]') ??
      nonEmpty($('[itemprop="dateModified"]').first().attr('datetime')),
  );

  const image =
    meta('meta[property="og:image"]') ??
    meta('meta[property="og:image:url"]') ??
    meta('meta[name="twitter:image"]') ??
    imageFromJsonLd(jsonLd?.image);

  const language = primaryLanguage(
    nonEmpty($('html').attr('lang')) ??
      meta('meta[http-equiv="content-language" i]') ??
      nonEmpty(asText(jsonLd?.inLanguage)) ??
      meta('meta[property="og:locale"]'),
  );

  const canonicalUrl = nonEmpty($('link[rel="canonical"]').attr('href')) ?? meta('meta[property="og:url"]');

  return {
    title: title ? normalizeWhitespace(withoutSiteSuffix(title, siteName)) : null,
    author: author ? cleanAuthor(author) : null,
    publishedAt,
    modifiedAt,
    language,
    siteName: siteName ? normalizeWhitespace(siteName) : null,
    canonicalUrl: canonicalUrl ? resolve(canonicalUrl, url) : null,
    image: image ? resolve(image, url) : null,
    articleBody: nonEmpty(asText(jsonLd?.articleBody)),
  };
}

function findJsonLdArticle($: CheerioAPI): JsonObject | null {
  const candidates: JsonObject[] = [];
  $('script[type="application/ld+json"]').each((_, element) => {
    try {
      collect(JSON.parse($(element).text()) as unknown, candidates);
    } catch {
      // Broken JSON-LD is common; the other sources still count.
    }
  });
  const isArticle = (node: JsonObject) =>
    [node['@type']].flat().some((type) => typeof type === 'string' && ARTICLE_TYPES.test(type));
  return (
    candidates.find((node) => isArticle(node) && node['@type'] !== 'WebPage') ?? candidates.find(isArticle) ?? null
  );
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
  const names = [value]
    .flat()
    .map((entry) => (typeof entry === 'string' ? entry : asText((entry as JsonObject | null)?.name)))
    .filter((name): name is string => !!name && !/^https?:\/\//.test(name));
  return names.length > 0 ? names.join(', ') : null;
}

function cleanAuthor(author: string): string | null {
  const cleaned = normalizeWhitespace(author).replace(/^(?:by|von|par|por|di|door)\s+/i, '');
  return cleaned && cleaned.length <= 200 ? cleaned : null;
}

const TITLE_SEPARATOR = /\s+[|–—·•»-]\s+/;

/** "Headline - Site" or "Site | Headline" → "Headline", when Site is the known site name. */
function withoutSiteSuffix(title: string, siteName: string | null): string {
  if (!siteName) return title;
  const parts = title.split(TITLE_SEPARATOR);
  const kept = parts.filter((part) => part.trim().toLowerCase() !== siteName.toLowerCase());
  return kept.length > 0 && kept.length < parts.length ? kept.join(' - ') : title;
}

/** A <title> without the site name: the known name's part dropped, else the longest part (site names are short). */
function headlineFromTitleTag(title: string | null, siteName: string | null): string | null {
  if (!title) return null;
  const withoutSite = withoutSiteSuffix(title, siteName);
  if (withoutSite !== title) return withoutSite;
  return title.split(TITLE_SEPARATOR).reduce((longest, part) => (part.length > longest.length ? part : longest));
}

function imageFromJsonLd(value: unknown): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string') return nonEmpty(first);
  return nonEmpty(asText((first as JsonObject | null)?.url));
}

/** A date and time without a zone is read as UTC, never as the server's local time. */
const ZONELESS_DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

export function toIsoDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const trimmed = value.trim();
  const time = Date.parse(ZONELESS_DATETIME.test(trimmed) ? `${trimmed.replace(' ', 'T')}Z` : trimmed);
  if (Number.isNaN(time)) return null;
  const year = new Date(time).getUTCFullYear();
  return year >= 1990 && year <= 2100 ? new Date(time).toISOString() : null;
}

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
