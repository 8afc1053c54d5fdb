import { load, type CheerioAPI } from 'cheerio/slim';
import { Element, Text, type AnyNode, type Comment } from 'domhandler';
import type { ExtractRules } from '@newsflow/core';
import { escapeUTF8 } from 'entities';
import { PermanentError } from '@newsflow/core/errors';
import { ABOUT_THE_AUTHOR, readMetadata, type ArticleMetadata } from './metadata.ts';
import { detectLanguage } from './detect-language.ts';
import { trimMarkup } from './trim-markup.ts';
import { decodeC1Controls, decodeSequences, isDoubleEncoded } from './mojibake.ts';
import { BLOCK_TAGS, documentOf, elementsWhere, firstElementWhere, paragraphTextLength, tagIn } from './dom-walk.ts';
import {
  isBoilerplateLine,
  isBylineOrDate,
  isCallToAction,
  isLabel,
  normalizeWhitespace,
  removeAdPlaceholders,
} from './clean-text.ts';

export interface ExtractedParagraph {
  text: string;
  heading: boolean;
  /** An item of a list (`<li>`): `text` of the article shows it as "- item". */
  listItem: boolean;
}

export interface ExtractOptions {
  /** Extraction gives up (PermanentError `extract_timeout`) past this many milliseconds. Default 2000. */
  timeBudgetMs?: number;
  /** Pages longer than this are refused (`page_too_large`). Default 8 million characters. */
  maxHtmlChars?: number;
}

const DEFAULT_TIME_BUDGET_MS = 2000;
const DEFAULT_MAX_HTML_CHARS = 8_000_000;

/** Checked between phases and inside long loops: a pathological page fails fast instead of holding a worker. */
class Deadline {
  private readonly endsAt: number;

  constructor(
    private readonly budgetMs: number,
    private readonly url: string,
  ) {
    this.endsAt = performance.now() + budgetMs;
  }

  check(phase: string): void {
    if (performance.now() > this.endsAt) {
      throw new PermanentError(
        `extraction of ${this.url} exceeded its ${this.budgetMs} ms budget while ${phase}`,
        'extract_timeout',
      );
    }
  }
}

export interface Article extends Omit<ArticleMetadata, 'articleBody'> {
  paragraphs: ExtractedParagraph[];
  /** Paragraphs joined by blank lines, list items as "- item". */
  text: string;
}

/** Elements that never carry article text. */
const NOISE_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'svg',
  'canvas',
  'video',
  'audio',
  'button',
  'input',
  'select',
  'textarea',
]);

/**
 * Page layout that is chrome on nearly every page: navigation, header, footer, asides, figures, hidden and dialog
 * elements. Removed unless one wraps most of the page's prose: a broken page whose unclosed <aside> holds the whole
 * article, a streaming React page whose content arrives in `<div hidden id="S:0">` for a script to move.
 */
const LAYOUT_TAGS = new Set(['dialog', 'nav', 'header', 'footer', 'aside', 'figure', 'figcaption']);
const LAYOUT_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'complementary', 'dialog', 'alert']);
const HIDING_STYLES = ['display:none', 'display: none', 'visibility:hidden', 'visibility: hidden'];
/** An <aside> so named holds a recipe's ingredients, set beside its method: the recipe's own text. */
const RECIPE_PART = /ingredient|recipe/i;

/**
 * What the selector `dialog, nav, header, footer, aside, figure, figcaption, [hidden], [aria-hidden="true"],
 * [role="navigation"], …, [style*="display:none"], …` matches, tested by hand: css-select matching a list of
 * nineteen selectors against every element took 6 % of the extraction time on the ASB pages (V8 profile).
 */
function isLayoutNoise(element: Element): boolean {
  if (element.tagName === 'aside' && RECIPE_PART.test(hintOf(element))) return false;
  // A figure holding a table is one of the story's tables (WordPress wraps every table so), and one holding a
  // blockquote is a quotation the story makes (HTML's figure, blockquote and figcaption), not a picture.
  if (LAYOUT_TAGS.has(element.tagName) && !(element.tagName === 'figure' && holdsTableOrQuotation(element)))
    return true;
  const { attribs } = element;
  if ('hidden' in attribs || attribs['aria-hidden'] === 'true') return true;
  if (attribs.role !== undefined && LAYOUT_ROLES.has(attribs.role)) return true;
  const style = attribs.style;
  return style !== undefined && HIDING_STYLES.some((hiding) => style.includes(hiding));
}

function holdsTableOrQuotation(element: Element): boolean {
  const held = firstElementWhere(element, (child) => child.tagName === 'table' || child.tagName === 'blockquote');
  // A post embedded in a figure (WordPress's embed block) is no quotation of the story's: the figure goes, as figures do.
  return held !== undefined && !(held.tagName === 'blockquote' && EMBEDDED_POST.test(held.attribs.class ?? ''));
}

/**
 * Removes, in document order, the elements `matches` picks out, unless `keep` says otherwise (then their descendants
 * are visited). A removed element's subtree is not visited: whatever it held went with it. `insideBodyOnly` tests
 * only the descendants of a <body>, as the selector `body *` does.
 */
function removeMatching(
  $: CheerioAPI,
  matches: (element: Element) => boolean,
  keep?: (element: Element) => boolean,
  options: { insideBodyOnly?: boolean } = {},
): void {
  const doomed: Element[] = [];
  const visit = (node: AnyNode, insideBody: boolean) => {
    if (!('children' in node)) return;
    for (const child of node.children) {
      if (child.type !== 'tag' && child.type !== 'script' && child.type !== 'style') continue;
      const element = child as Element;
      const tested = insideBody || !options.insideBodyOnly;
      if (tested && matches(element) && !keep?.(element)) doomed.push(element);
      else visit(element, insideBody || element.tagName === 'body');
    }
  };
  visit(documentOf($), false);
  $(doomed).remove();
}

/** Class and id words of page chrome (after Readability's unlikelyCandidates, extended with what leaks in news). */
const UNLIKELY =
  /combx|comment|communit|cookie|consent|disqus|extra|foot|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|agegate|pagination|pager|popup|share|sharing|newsletter|subscri|promo|breadcrumb|author-?bio|caption|credit|banner|masthead|outbrain|taboola|signup|paywall|modal|toolbar|tags|most-?(?:read|popular)|recommend|trending|print-?only/i;
/** One class or id token naming an ad slot: `ad`, `ad-slot`, `ads_top`, `sidebar-ad` (not `non-ad-column`). */
const AD_TOKEN =
  /^(?:ad|ads|adv|advert|advertisement|dfp|gpt)(?:[-_][a-z0-9]+)?$|^[a-z0-9]+[-_](?:ad|ads|advert|advertisement)$/i;
const MAYBE_CONTENT = /and|article|body|column|content|main|shadow|story|entry|post-?text|text/i;
const POSITIVE = /article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|prose/i;
const NEGATIVE =
  /hidden|banner|combx|comment|com-|contact|foot|footer|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|byline|caption/i;

const HEADING_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const TAG_WEIGHT: Record<string, number> = {
  article: 10,
  main: 8,
  div: 5,
  section: 3,
  blockquote: 3,
  pre: 3,
  td: 3,
  ol: -3,
  ul: -3,
  form: -3,
  li: -3,
  th: -5,
};

/**
 * What a document is when it is not a web page (a feed, JSON, an XML file), or null: extracting one would make a
 * junk article of its markup. Judged on its first element, as a browser would.
 */
export function notAnHtmlPage(text: string): string | null {
  const start = text
    .slice(0, 2048)
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^[[{]/.test(start)) return /"version"\s*:\s*"https:\/\/jsonfeed\.org/.test(start) ? 'a JSON Feed' : 'JSON';
  // The first element after the prolog (XML declaration, comments, processing instructions, DOCTYPE).
  const root =
    /^(?:<\?[^>]*\?>\s*|<!--[\s\S]*?-->\s*|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>\s*)*<([A-Za-z][\w:.-]*)/i.exec(
      start,
    )?.[1];
  if (!root) return null;
  const name = root.toLowerCase();
  if (name === 'rss' || name === 'rdf:rdf') return 'an RSS feed';
  if (name === 'feed') return 'an Atom feed';
  if (name === 'html' || name === 'head' || name === 'body' || !start.startsWith('<?xml')) return null;
  return name === 'svg' ? 'an SVG image' : `an XML document (<${root}>)`;
}

/** A tag, comment or declaration: a page without any is plain text (a press release served as text/plain). */
const MARKUP = /<[A-Za-z!/?]/;

/**
 * Plain text as the page a reader would see: its blocks (between blank lines, else its lines) as paragraphs, and a
 * first block that is one short line without a closing full stop as the headline.
 */
function plainTextAsHtml(text: string): string {
  const normalized = text.replace(/\r\n?/g, '\n');
  const blocks = (/\n\s*\n/.test(normalized) ? normalized.split(/\n\s*\n/) : normalized.split('\n'))
    .map((block) => escapeUTF8(normalizeWhitespace(block)))
    .filter(Boolean);
  const [first, ...rest] = blocks;
  const headline = first !== undefined && rest.length > 0 && first.length <= 150 && !/[.!?]$/.test(first);
  const paragraphs = (headline ? rest : blocks).map((block) => `<p>${block}</p>`).join('');
  return `<html><body><article>${headline ? `<h1>${first}</h1>` : ''}${paragraphs}</article></body></html>`;
}

/**
 * Extracts the article of a news page: metadata, and the main text as paragraphs the way a reader sees them,
 * without page chrome, ads or placeholders. `rules` are the feed's per-site selectors, for pages heuristics get wrong.
 */
export function extractArticle(html: string, url: string, rules?: ExtractRules, options: ExtractOptions = {}): Article {
  const maxHtmlChars = options.maxHtmlChars ?? DEFAULT_MAX_HTML_CHARS;
  if (html.length > maxHtmlChars) {
    throw new PermanentError(
      `page of ${html.length} characters is over the extraction cap of ${maxHtmlChars}`,
      'page_too_large',
    );
  }
  const notHtml = notAnHtmlPage(html);
  if (notHtml) throw new PermanentError(`not an HTML page: ${notHtml}`, 'not_html');
  if (!MARKUP.test(html)) html = plainTextAsHtml(html);
  const deadline = new Deadline(options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS, url);
  // C1 controls are looked for after the scripts and style sheets are gone, much of a news page's characters.
  const page = decodeC1Controls(trimMarkup(html, MAX_DEPTH));
  // htmlparser2 (via `xml: {xmlMode: false}`) parses several times faster than parse5 and suffices for reading.
  const $ = load(page.text, { xml: { xmlMode: false, decodeEntities: true } });
  // What the tag pass cannot see (unclosed tags it does not count) is bounded on the tree itself.
  flattenDeepNesting(documentOf($), MAX_DEPTH);
  adoptContentAfterBody(documentOf($));
  deadline.check('parsing');
  const metadata = readMetadata($, url);

  revealStreamedChunks($);
  removeMatching($, (element) => NOISE_TAGS.has(element.tagName));
  removeLayoutNoise($);
  // Some CMSs (ASP.NET WebForms) wrap the whole page in one <form>: only small forms are chrome.
  for (const form of elementsWhere(documentOf($), (element) => element.tagName === 'form'))
    if (elementsWhere(form, (element) => element.tagName === 'p').length < 3) $(form).remove();
  for (const selector of rules?.exclude ?? []) $(selector).remove();
  removeUnlikelyElements($);
  deadline.check('removing chrome');

  const included = rules?.include ? $(rules.include).toArray() : [];
  const roots = included.length > 0 ? included : selectContentRoots($, deadline);
  let paragraphs = withoutAuthorBio(
    trimEdges(
      cleanParagraphs(
        roots.flatMap((root) => segmentBlocks(root)),
        metadata.title,
      ),
      metadata.title,
      metadata.author,
    ),
    metadata.author,
  );

  const extractedLength = paragraphs.reduce((sum, paragraph) => sum + paragraph.text.length, 0);
  // Pages rendered by script keep their text only in JSON-LD: prefer it when the markup yields far less.
  if (metadata.articleBody && metadata.articleBody.length > extractedLength * 1.5) {
    const fromJsonLd = metadata.articleBody
      .split(/\n+/)
      .map((text) => ({ text, heading: false, listItem: false, linkChars: 0 }));
    paragraphs = trimEdges(cleanParagraphs(fromJsonLd, metadata.title), metadata.title, metadata.author);
  }

  const { articleBody: _unused, ...rest } = metadata;
  // Checked on the extracted text, a few KiB, rather than on the page: entities (`&acirc;&euro;&trade;`) are
  // decoded by then, and scanning the whole page cost 4 % of the extraction time.
  if (
    page.encodedTwice ||
    isDoubleEncoded(`${rest.title ?? ''} ${paragraphs.map((paragraph) => paragraph.text).join(' ')}`)
  ) {
    paragraphs = paragraphs.map((paragraph) => ({ ...paragraph, text: decodeSequences(paragraph.text) }));
    if (rest.title) rest.title = decodeSequences(rest.title);
  }
  const text = paragraphs
    .map((paragraph) => (paragraph.listItem ? `- ${paragraph.text}` : paragraph.text))
    .join('\n\n');
  return { ...rest, language: rest.language ?? detectLanguage(text), paragraphs, text };
}

/**
 * Real pages nest a few dozen levels deep. A hostile or broken one nests tens of thousands: the recursive walks
 * overflow the stack, and each per-element climb to the root makes the work quadratic (a 376 KiB page of 35,000
 * nested divs held the event loop 40 s). Deeper tags are dropped before parsing (trimMarkup); any element still
 * below MAX_DEPTH has its descendants replaced by their text, so every walk is bounded while the words are kept.
 */
const MAX_DEPTH = 128;
const TEXTLESS_TAGS = new Set(['script', 'style', 'noscript', 'template', 'svg']);

function flattenDeepNesting(root: AnyNode, maxDepth: number): void {
  // Two stacks side by side: no [node, depth] pair allocated per node of the page.
  const nodes: AnyNode[] = [root];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const parent = nodes.pop() as Element;
    const depth = depths.pop()!;
    if (depth >= maxDepth) {
      if (parent.children.some((child) => child instanceof Element)) {
        const text = new Text(textOf(parent));
        text.parent = parent;
        parent.children = [text];
      }
      continue;
    }
    for (const child of parent.children) {
      if (!('children' in child)) continue;
      nodes.push(child);
      depths.push(depth + 1);
    }
  }
}

/**
 * A stray `</body></html>` in a template leaves the rest of the page outside <body> in htmlparser2's tree, where
 * every body walk misses it (a WordPress page had its whole article there). Browsers parse what follows the end of
 * body as body content ("after body" insertion mode), so it is moved to the end of <body> here, in order.
 */
function adoptContentAfterBody(root: AnyNode): void {
  if (!('children' in root)) return;
  const html = root.children.find((node): node is Element => node instanceof Element && node.tagName === 'html');
  const body = html?.children.find((node): node is Element => node instanceof Element && node.tagName === 'body');
  if (!html || !body) return;
  const afterBody = html.children.indexOf(body) + 1;
  const afterHtml = root.children.indexOf(html) + 1;
  const stray = [...html.children.slice(afterBody), ...root.children.slice(afterHtml)];
  if (!stray.some((node) => node instanceof Element || (node instanceof Text && node.data.trim() !== ''))) return;
  html.children.length = afterBody;
  root.children.length = afterHtml;
  body.next = null;
  html.next = null;
  for (const node of stray) {
    node.parent = body;
    node.prev = body.children.at(-1) ?? null;
    if (node.prev) node.prev.next = node;
    node.next = null;
    body.children.push(node);
  }
}

/** The text of a subtree, in document order, without recursion (the subtree may be arbitrarily deep). */
function textOf(node: Element): string {
  const parts: string[] = [];
  const stack: AnyNode[] = [...node.children].reverse();
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current instanceof Text) parts.push(current.data);
    else if (current instanceof Element && !TEXTLESS_TAGS.has(current.tagName)) {
      for (let i = current.children.length - 1; i >= 0; i--) stack.push(current.children[i]!);
    }
  }
  return parts.join(' ');
}

/**
 * React's streaming server rendering sends each Suspense boundary's content late, in `<div hidden id="S:n">`, and a
 * script swaps it in for the placeholder `<template id="B:n">` and the fallback after it (up to the boundary's
 * closing `<!--/$-->` comment), or, for a segment, for `<template id="P:n">`. The swap is done here as the script
 * would do it; chunks inside chunks come out on the next pass.
 */
function revealStreamedChunks($: CheerioAPI): void {
  for (let pass = 0; pass < 4; pass++) {
    let swapped = false;
    const chunks = elementsWhere(
      documentOf($),
      (element) => element.tagName === 'div' && 'hidden' in element.attribs && !!element.attribs.id?.startsWith('S:'),
    );
    for (const chunk of chunks) {
      const chunkId = chunk.attribs.id!.slice(2);
      // A segment streamed late fills `<template id="P:n">` and has no fallback.
      const segmentPlaceholder = $(`template[id="P:${chunkId}"]`)[0];
      if (segmentPlaceholder) {
        $(segmentPlaceholder).replaceWith($(chunk).contents());
        $(chunk).remove();
        swapped = true;
        continue;
      }
      const placeholder = $(`[id="B:${chunkId}"]`)[0];
      if (!placeholder) continue;
      const fallback: AnyNode[] = [];
      let closing: AnyNode | null = placeholder.nextSibling;
      while (closing && !(closing.type === 'comment' && (closing as Comment).data === '/$')) {
        fallback.push(closing);
        closing = closing.nextSibling;
      }
      // Without its closing comment the boundary's extent is unknown: the fallback stays.
      if (closing) $(fallback).remove();
      $(placeholder).replaceWith($(chunk).contents());
      $(chunk).remove();
      swapped = true;
    }
    if (!swapped) return;
  }
}

/** Share of the page's paragraph text above which a wrapper is layout, not chrome, whatever its name. */
const MOST_OF_THE_PROSE = 0.4;

function removeLayoutNoise($: CheerioAPI): void {
  removeMatching($, isLayoutNoise, wrapsMostOfTheProse($));
}

function removeUnlikelyElements($: CheerioAPI): void {
  const isLayout = wrapsMostOfTheProse($);
  removeMatching(
    $,
    (element) => {
      if (element.tagName === 'article' || element.tagName === 'main' || element.tagName === 'a') return false;
      const hint = hintOf(element);
      if (hint.trim() === '') return false;
      const unlikely =
        (UNLIKELY.test(hint) && !MAYBE_CONTENT.test(hint)) ||
        // Ad slots hold no prose; a wrapper named `ad_body` around the whole article does.
        hint.split(/\s+/).some((token) => AD_TOKEN.test(token));
      // Syntax highlighters name their spans `hljs-comment`, `token comment`: part of the code, not chrome. A
      // "social-media-embed" wrapper holds a post the story quotes.
      return unlikely && !insideCode(element) && !holdsEmbeddedPost(element);
    },
    // A "sidebar" or "ad" class on the element that wraps most of the page's prose is layout, not chrome. Comments
    // are never the story, however much they say: under a popular post they outweigh it.
    (element) => !namesComments(element) && isLayout(element),
    { insideBodyOnly: true },
  );
}

/** A class or id token naming a comment section: `comments`, `comment-list`, `disqus_thread` (not `commentOnSelection`). */
const COMMENTS_TOKEN = /^(?:comments?|replies|disqus)(?:[-_].*)?$/i;

function namesComments(element: Element): boolean {
  return hintOf(element)
    .split(/\s+/)
    .some((token) => COMMENTS_TOKEN.test(token));
}

/**
 * Whether an element that looks like chrome wraps most of the page's prose, and is layout after all: unless a <main>
 * or <article> beside it holds as much (a footer of testimonials after the story is chrome).
 */
function wrapsMostOfTheProse($: CheerioAPI): (element: Element) => boolean {
  const enough = paragraphTextLength(documentOf($), { within: 'body' }) * MOST_OF_THE_PROSE;
  // The <main> and <article> elements that hold as much, looked for once a wrapper holds that much.
  let stories: Element[] | undefined;
  return (element) => {
    if (enough === 0 || paragraphTextLength(element) <= enough) return false;
    stories ??= elementsWhere(documentOf($), tagIn('main', 'article'), { within: 'body' }).filter(
      (story) => paragraphTextLength(story) > enough,
    );
    const above = ancestorsOf(element);
    return !stories.some((story) => !above.includes(story) && !ancestorsOf(story).includes(element));
  };
}

/** An embedded social post (Twitter/X, Instagram, TikTok, Threads, Bluesky): quoted by the story, part of it. */
const EMBEDDED_POST = /\b(?:twitter-tweet|instagram-media|tiktok-embed|text-post-media|bluesky-embed)\b/;

function holdsEmbeddedPost(element: Element): boolean {
  return !!firstElementWhere(
    element,
    (child) => child.tagName === 'blockquote' && EMBEDDED_POST.test(child.attribs.class ?? ''),
  );
}

function insideCode(element: Element): boolean {
  for (let node = element.parent; node instanceof Element; node = node.parent)
    if (node.tagName === 'pre' || node.tagName === 'code') return true;
  return false;
}

/** Block elements whose own inline text counts as a paragraph for scoring (Readability scores p, td, pre and text divs). */
const TEXT_BLOCK_TAGS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'td',
  'blockquote',
  'pre',
  'dd',
  'center',
  'font',
]);

/** Text directly inside an element or its inline descendants, not crossing nested blocks. */
function inlineText(element: Element): string {
  let text = '';
  for (const child of element.children) {
    if (child instanceof Text) text += child.data;
    else if (child instanceof Element && !BLOCK_TAGS.has(child.tagName)) text += inlineText(child);
  }
  return text;
}

/**
 * Scores containers by the paragraphs they hold (Readability's idea), picks the best, moves up to a common
 * ancestor when several top candidates share one (an article split by ads) or when the parent scores higher, and
 * returns it with the siblings that look like more of the same article.
 */
function selectContentRoots($: CheerioAPI, deadline: Deadline): Element[] {
  const scores = new Map<Element, number>();
  const addScore = (element: Element | null, amount: number) => {
    if (!element || element.tagName === 'html' || element.tagName === 'body') return;
    if (!scores.has(element)) scores.set(element, TAG_WEIGHT[element.tagName] ?? 0);
    scores.set(element, scores.get(element)! + amount);
  };

  const bodyElement = firstElementWhere(documentOf($), (element) => element.tagName === 'body');
  // Paragraphs straight under <body> (hand-written pages): their container is the body itself.
  let bodyScore = 0;
  const blockScore = (element: Element) => {
    const text = normalizeWhitespace(inlineText(element));
    if (text.length < 25) return 0;
    return 1 + (text.match(/[,，、]/g)?.length ?? 0) + Math.min(3, Math.floor(text.length / 100));
  };
  if (bodyElement) bodyScore = blockScore(bodyElement);
  elementsWhere(documentOf($), () => true, { within: 'body' }).forEach((element, index) => {
    if (index % 512 === 0) deadline.check('scoring');
    if (!TEXT_BLOCK_TAGS.has(element.tagName)) return;
    const score = blockScore(element);
    if (score === 0) return;
    // A text div is its own paragraph; its container is the candidate, as for <p>. A div whose text runs between
    // block children (a title <p>, then the story as bare text) is itself the container of that text.
    const holdsBlocks =
      element.tagName !== 'p' &&
      element.children.some((child) => child instanceof Element && BLOCK_TAGS.has(child.tagName));
    const parent = holdsBlocks ? element : parentElement(element);
    if (parent === bodyElement) bodyScore += score;
    const grandparent = parent ? parentElement(parent) : null;
    addScore(parent, score);
    addScore(grandparent, score / 2);
    addScore(grandparent ? parentElement(grandparent) : null, score / 3);
  });

  const measures = new Map<Element, TextMeasure>();
  if (bodyElement) measureText(bodyElement, measures);
  const textOutsideLinks = (element: Element) => {
    const measure = measures.get(element);
    return measure ? measure.chars - measure.linkChars : 0;
  };
  for (const [element, score] of scores) {
    // A class naming content vouches for prose, not for a box of a sentence or two ("Contents" around a newsletter
    // sign-up): under Readability's minimum for an article, a class earns no bonus (a penalty still counts).
    const weight = classWeight(element);
    const earned = weight > 0 && textOutsideLinks(element) < MIN_ARTICLE_CHARS ? 0 : weight;
    scores.set(element, (score + earned) * (1 - linkDensity(measures, element)));
  }
  const ranked = [...scores].sort((a, b) => b[1] - a[1]);
  const body = bodyElement ?? $.root().children().get(0);
  if (ranked.length === 0) return body ? [body as Element] : [];
  let [best, bestScore] = ranked[0]!;
  // A near tie won on a class bonus (a byline wrapper named "content" against a story whose embedded posts carry
  // links): an unrelated candidate scoring within 10 % with three times the text outside links is the story.
  const aboveFirst = ancestorsOf(best);
  for (const [element, score] of ranked.slice(1, 5)) {
    if (score < bestScore * 0.9) break;
    const unrelated = !aboveFirst.includes(element) && !ancestorsOf(element).includes(best);
    if (unrelated && textOutsideLinks(element) >= textOutsideLinks(best) * 3) {
      best = element;
      bestScore = score;
      break;
    }
  }
  if (bodyElement && bodyScore * (1 - linkDensity(measures, bodyElement)) > bestScore) return [bodyElement];

  // Several strong candidates under one ancestor: the article is split into blocks; take the ancestor.
  const alternatives = ranked
    .slice(1, 5)
    .filter(([, score]) => score >= bestScore * 0.75)
    .map(([element]) => ancestorsOf(element));
  if (alternatives.length >= 3) {
    for (let ancestor = parentElement(best); ancestor && ancestor !== body; ancestor = parentElement(ancestor)) {
      if (alternatives.filter((list) => list.includes(ancestor!)).length >= 3) {
        best = ancestor;
        bestScore = scores.get(ancestor) ?? bestScore;
        break;
      }
    }
  }
  // Move up while the parent still scores comparably, and past wrappers that hold nothing else.
  let lastScore = bestScore;
  for (let parent = parentElement(best); parent && parent !== body; parent = parentElement(parent)) {
    const parentScore = scores.get(parent);
    if (parentScore === undefined) continue;
    if (parentScore < bestScore / 3) break;
    if (parentScore > lastScore) {
      best = parent;
      bestScore = parentScore;
      break;
    }
    lastScore = parentScore;
  }
  while (best.parent instanceof Element && best.parent !== body && elementChildren(best.parent).length === 1)
    best = best.parent;
  // Prose that scoring splits into many small containers (recipe steps in list items, an intro in another
  // section) adds up in an ancestor: move up to one that holds at least twice the text outside links, and few links.
  let prose = textOutsideLinks(best);
  for (let parent = parentElement(best); parent && parent !== body; parent = parentElement(parent)) {
    const parentProse = textOutsideLinks(parent);
    if (parentProse >= prose * 2 && linkDensity(measures, parent) < 0.1) {
      best = parent;
      prose = parentProse;
    }
  }

  // Long-form pages repeat one section container (same tag and class) per part of the story.
  const sections = repeatedSections($, best, body as Element | undefined);
  if (sections) return sections;

  // Articles split across sibling containers (a lead block, then the body) keep the siblings that score well.
  const threshold = Math.max(10, bestScore * 0.2);
  const bestClass = best.attribs.class ?? '';
  const siblings = best.parent ? elementChildren(best.parent) : [best];
  const bestProse = paragraphTextLength(best);
  const bestIndex = siblings.indexOf(best);
  // A lead or intro set apart from the story (by a sign-up box, or in a header block of its own): prose blocks
  // before the story's container or before one of its eight nearest ancestors.
  const leads: Element[] = [];
  let level = parentElement(best);
  for (let depth = 0; level && level !== body && depth < 8; depth++, level = parentElement(level)) {
    const around = level.parent ? elementChildren(level.parent) : [];
    leads.unshift(...around.slice(0, around.indexOf(level)).filter((block) => isLeadBlock(block, measures)));
  }
  const sameLevel = siblings.filter((sibling, index) => {
    if (sibling === best) return true;
    if (index < bestIndex && isLeadBlock(sibling, measures)) return true;
    const bonus = bestClass && sibling.attribs.class === bestClass ? bestScore * 0.2 : 0;
    const score = scores.get(sibling);
    if (score !== undefined && score + bonus >= threshold) return true;
    // Prose nested deeper than scoring reaches (ten product reviews, each in its own box) scores nothing here.
    const siblingProse = paragraphTextLength(sibling);
    if (
      siblingProse >= SIBLING_PROSE_CHARS &&
      siblingProse >= bestProse * 0.05 &&
      linkDensity(measures, sibling) < 0.15
    )
      return true;
    if (sibling.tagName !== 'p') return false;
    const text = normalizeWhitespace($(sibling).text());
    return text.length > 80 && linkDensity(measures, sibling) < 0.25;
  });
  return [...leads, ...sameLevel];
}

/**
 * A block that reads as the story's own opening: at least two paragraphs of sentences, most of its text, few links;
 * no byline or credit line (an author box), no affiliate disclosure.
 */
function isLeadBlock(block: Element, measures: Map<Element, TextMeasure>): boolean {
  const chars = measures.get(block)?.chars ?? 0;
  if (chars < SIBLING_PROSE_CHARS || linkDensity(measures, block) >= 0.15) return false;
  let prose = 0;
  let paragraphs = 0;
  const disqualifier = firstElementWhere(block, (element) => {
    if (element.children.some((child) => child instanceof Element && BLOCK_TAGS.has(child.tagName))) return false;
    const text = normalizeWhitespace(inlineText(element));
    if (text.length < LEAD_SENTENCE_CHARS) return isBylineOrDate(text) || CREDIT_LINE.test(text);
    if (element.tagName !== 'p' || !LEAD_SENTENCE_END.test(text)) return false;
    prose += text.length;
    paragraphs++;
    return DISCLOSURE.test(text);
  });
  return !disqualifier && paragraphs >= 2 && prose >= SIBLING_PROSE_CHARS && prose >= chars * LEAD_PROSE_SHARE;
}

const LEAD_SENTENCE_CHARS = 60;
const LEAD_PROSE_SHARE = 0.6;
/**
 * Stricter than the labels' sentence end (clean-text.ts): a sentence mark, then at most a closing quote or bracket. With
 * that looser end, a demo-request form's lines passed for an intro.
 */
const LEAD_SENTENCE_END = /[.!?]["'”’)]?$/;
const CREDIT_LINE = /^(?:written|reviewed|edited|fact[- ]checked|updated|published|posted)(?: by)?\b/i;
const DISCLOSURE = /\b(?:affiliate|commissions?|disclosure|sponsored|we may earn|compensat(?:e|ed|ion))\b/i;

/** Readability's DEFAULT_CHAR_THRESHOLD: the least text a container must hold to pass for an article. */
const MIN_ARTICLE_CHARS = 500;

/** Paragraph text that makes a sibling of the chosen container more of the article, whatever its score. */
const SIBLING_PROSE_CHARS = 200;

/**
 * When `best` or one of its nearest ancestors has siblings of the same tag and class (or is one of a list's items)
 * holding a good share of prose, the story is cut into sections: returns them all, in document order.
 */
function repeatedSections($: CheerioAPI, best: Element, body: Element | undefined): Element[] | null {
  let level: Element | null = best;
  for (let depth = 0; level && level !== body && depth < 8; depth++, level = parentElement(level)) {
    const className = classSignature(level);
    // A listicle's entries (a heading and its paragraphs each) are the items of one list, often classless.
    if ((!className && level.tagName !== 'li') || !level.parent) continue;
    const tag = level.tagName;
    const sections = elementChildren(level.parent).filter(
      (sibling) => sibling.tagName === tag && classSignature(sibling) === className,
    );
    if (sections.length < 2) continue;
    const ownProse = paragraphTextLength(level);
    const siblingProse = sections.reduce(
      (sum, section) => (section === level ? sum : sum + paragraphTextLength(section)),
      0,
    );
    if (ownProse > 0 && siblingProse >= ownProse * 0.3) return sections;
  }
  return null;
}

/**
 * An element's class without the tokens that carry an id (`elementor-element-7caa847`, `post-3431`): page builders
 * give each section of one story such a token of its own. Short numbers stay: `col-md-8` and `col-md-4` are a
 * page's main column and its sidebar.
 */
const ID_IN_TOKEN = /\d{3,}|(?=[a-f]*\d)[\da-f]{6,}/;

function classSignature(element: Element): string {
  const className = (element.attribs.class ?? '').trim();
  const shared = className
    .split(/\s+/)
    .filter((token) => !ID_IN_TOKEN.test(token))
    .join(' ');
  // All tokens hashed (CSS modules: `b6d81848 d47f7b03`): the class as a whole is what sections share.
  return shared === '' ? className : shared;
}

function ancestorsOf(element: Element): Element[] {
  const ancestors: Element[] = [];
  for (let parent = parentElement(element); parent; parent = parentElement(parent)) ancestors.push(parent);
  return ancestors;
}

function elementChildren(element: Element | AnyNode): Element[] {
  return 'children' in element ? element.children.filter((node): node is Element => node instanceof Element) : [];
}

interface RawBlock {
  text: string;
  heading: boolean;
  listItem: boolean;
  linkChars: number;
}

/** Walks a subtree and cuts its text into blocks at block elements and line breaks, as a browser lays it out. */
function segmentBlocks(root: AnyNode): RawBlock[] {
  const blocks: RawBlock[] = [];
  let text = '';
  let linkChars = 0;
  // Set at an <li>: its first block (its text, or the first paragraph inside it) is the list item.
  let listItem = false;
  const flush = (heading = false) => {
    if (text.trim()) {
      blocks.push({ text, heading, listItem, linkChars });
      listItem = false;
    }
    text = '';
    linkChars = 0;
  };
  const walk = (node: AnyNode, inLink: boolean) => {
    if (node instanceof Text) {
      text += node.data;
      if (inLink) linkChars += node.data.trim().length;
      return;
    }
    if (!(node instanceof Element)) return;
    const tag = node.tagName;
    if (tag === 'br') {
      flush();
      return;
    }
    // A table row reads as one line: its cells are separated, not split into paragraphs.
    if (tag === 'td' || tag === 'th') {
      text += ' ';
      for (const child of node.children) walk(child, inLink);
      text += ' ';
      return;
    }
    if (!BLOCK_TAGS.has(tag)) {
      for (const child of node.children) walk(child, inLink || tag === 'a');
      return;
    }
    flush();
    if (tag === 'li') listItem = true;
    for (const child of node.children) walk(child, inLink);
    flush(HEADING_TAGS.has(tag));
    if (tag === 'li') listItem = false;
  };
  walk(root, false);
  flush();
  return blocks;
}

/** Share of a block's text in links above which it is dropped (chosen on WCXB half A; 0.5 lost changelogs). */
const MOSTLY_LINKS = 0.9;

function cleanParagraphs(blocks: RawBlock[], title: string | null): ExtractedParagraph[] {
  const paragraphs: ExtractedParagraph[] = [];
  // A sentence that announces a list ("A few patches were merged upstream:") makes the list of links after it part
  // of the story.
  let announcedList = false;
  for (const block of blocks) {
    const text = normalizeWhitespace(removeAdPlaceholders(block.text));
    if (!/\p{L}/u.test(text)) continue;
    if (isBoilerplateLine(text)) continue;
    if (!block.listItem) announcedList = announcesList(text);
    // A block that is nearly all link text is navigation or a related-stories teaser, not prose. A changelog's
    // items or a list of sources are mostly links too, with a few words of their own: kept.
    if (block.linkChars / text.length > MOSTLY_LINKS && !(block.listItem && announcedList)) continue;
    if (block.heading && title && text.toLowerCase() === title.toLowerCase()) continue;
    paragraphs.push({ text, heading: block.heading, listItem: block.listItem });
  }
  return withoutRepeatedRuns(paragraphs);
}

/**
 * A page that prints its story twice (a desktop and a mobile copy, a duplicate behind a "read more" toggle) gives the
 * same run of paragraphs twice. A run of this many or more that repeats an earlier run, paragraph for paragraph, is
 * dropped; single repeats stay: an events page repeats one description under each date, and people keep those.
 */
const REPEATED_RUN = 3;

function withoutRepeatedRuns(paragraphs: ExtractedParagraph[]): ExtractedParagraph[] {
  const firstAt = new Map<string, number>();
  // Per paragraph, the index of its first copy earlier in the page, or -1.
  const copyOf = paragraphs.map((paragraph, index) => {
    const first = firstAt.get(paragraph.text);
    if (first === undefined) firstAt.set(paragraph.text, index);
    return first ?? -1;
  });
  const kept: ExtractedParagraph[] = [];
  for (let start = 0; start < paragraphs.length;) {
    let end = start;
    while (end < paragraphs.length && copyOf[end]! >= 0 && (end === start || copyOf[end] === copyOf[end - 1]! + 1))
      end++;
    if (end - start >= REPEATED_RUN) {
      start = end;
    } else {
      kept.push(paragraphs[start]!);
      start++;
    }
  }
  return kept;
}

/** A sentence of five words or more that ends in a colon and does not announce other stories. */
function announcesList(text: string): boolean {
  return text.endsWith(':') && text.split(/\s+/).length >= 5 && !OTHER_STORIES.test(text);
}

/** What a sentence introducing teasers says: "Here are some related articles you might enjoy:". */
const OTHER_STORIES =
  /\b(?:related|recommended|popular|trending|you (?:may|might) (?:also )?(?:like|enjoy)|read (?:more|next|also)|more (?:stories|articles|posts|news|from)|other (?:stories|articles|posts))\b/i;

/** Words shared with the title, as a share of the shorter: a heading restating the headline scores near 1. */
function titleOverlap(text: string, title: string): number {
  const words = (value: string) => new Set(value.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const a = words(text);
  const b = words(title);
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared / Math.max(1, Math.min(a.size, b.size));
}

/**
 * Page furniture clings to the edges of the story: the headline again, bylines and datelines above it (the
 * author's name alone, a section label over a dateline); section labels ("Popular", "More in Milan", "comments"), an
 * author box's byline or dateline and a call to follow, join or share ("Join the Facebook group") below it. Trims
 * those from both ends, never from the middle.
 */
function trimEdges(
  paragraphs: ExtractedParagraph[],
  title: string | null,
  author: string | null,
): ExtractedParagraph[] {
  let start = 0;
  while (start < Math.min(3, paragraphs.length - 1)) {
    const { text, heading } = paragraphs[start]!;
    // A heading that restates the headline, or any line that repeats it word for word.
    const restatesTitle =
      title !== null &&
      ((heading && titleOverlap(text, title) >= 0.6) ||
        text.toLowerCase() === normalizeWhitespace(title).toLowerCase());
    // The author's name alone, and a label ("Press Release", "Hybrids/EVs") just above a byline or dateline.
    const namesAuthor = author !== null && text.toLowerCase() === author.toLowerCase();
    const labelsDateline =
      isLabel(text) && paragraphs.slice(start + 1, start + 3).some((next) => isBylineOrDate(next.text));
    if (!restatesTitle && !isBylineOrDate(text) && !namesAuthor && !labelsDateline) break;
    start++;
  }
  let end = paragraphs.length;
  const belowTheStory = (text: string) => isLabel(text) || isBylineOrDate(text) || isCallToAction(text);
  while (end > start + 1 && end > paragraphs.length - 3 && belowTheStory(paragraphs[end - 1]!.text)) end--;
  end = Math.min(end, teaserListStart(paragraphs, start, end));
  return paragraphs.slice(start, end);
}

/**
 * The author's bio box under the story ("Cassidy Horton is a finance writer who…", "Scott Levine has no position in
 * …"): a paragraph among the last three that opens with the author's name and says what the person is or has, and
 * what follows it, go. It is about the author, not the story.
 */
function withoutAuthorBio(paragraphs: ExtractedParagraph[], author: string | null): ExtractedParagraph[] {
  const name = author?.split(/,|&| and /)[0]!.trim();
  if (!name || name.split(' ').length < 2 || paragraphs.length <= 3) return paragraphs;
  const opensBio = ({ text }: ExtractedParagraph) =>
    text.startsWith(name) && BIO_AFTER_NAME.test(text.slice(name.length));
  const start = paragraphs.findIndex((paragraph, index) => index >= paragraphs.length - 3 && opensBio(paragraph));
  return start > 0 ? paragraphs.slice(0, start) : paragraphs;
}

/** What follows the name in a bio: a middle name or a credential at most, then what the person is or has. */
const BIO_AFTER_NAME = /^(?:\s+\S+){0,3}?\s+(?:is|was|has|writes|covers)\s/;

/**
 * A heading that opens a list of other stories: "Related articles", "Also in the news", "More from CFR", "Latest
 * posts by Jane Roe (see all)" (an author box's list), and the same in German, French, Spanish, Italian and Portuguese
 * ("Mehr zum Thema", "À lire aussi", "Noticias relacionadas"); also a feedback prompt under the story ("Was this page
 * helpful?", "Not what you were looking for?") and a disclaimer's heading. An author box's ("About the author") ends
 * the story the same way.
 */
const TEASER_HEADING =
  /^(?:also in the news|latest posts by [^()]{1,60}(?:\(see all\))?|related(?: articles| stories| posts| news| content| reading)?(?: (?:that|which) (?:may|might) interest you| you (?:may|might) (?:also )?(?:like|enjoy))?|was this (?:[\w-]+ )?(?:helpful|useful)\??|(?:affiliate )?(?:disclaimer|disclosure)|not what you(?:'re| are| were) looking for\??|still looking for an answer\??|you (?:may|might) also (?:like|enjoy)|more (?:stories|news|articles|from [^.]{1,40})|recommended(?: for you| reading| articles| stories)?|read next|most (?:read|popular)|popular (?:posts|stories|articles)|latest (?:news|posts|articles|stories)|mehr zum thema|das könnte sie auch interessieren|weitere (?:artikel|beiträge|nachrichten|meldungen)|(?:ähnliche|verwandte) (?:artikel|beiträge|themen)|lesen sie auch|articles similaires|(?:à )?lire aussi|sur le même sujet|artículos relacionados|noticias relacionadas|te puede interesar|articoli correlati|potrebbe interessarti|leia também|(?:notícias|artigos) relacionad[oa]s|veja também)\s*:?$/i;

/**
 * Headings of a box of links to other pages ("More Japan Travel Guides", "Related Articles from the blog:",
 * "Suggested reading:"), which a story may also hold before its last paragraphs: one ends the story only when no
 * paragraph of prose follows it.
 */
const MORE_PAGES_HEADING =
  /^(?:related (?:articles|stories|posts|topics|reading|content|guides|news)\b[^.!?]{0,40}|(?:more|other) (?:[\w-]+ ){0,3}(?:articles|stories|posts|guides|reads)\b[^.!?]{0,40}|suggested (?:articles|reading|stories|posts)\b[^.!?]{0,20}|explore more\b[^.!?]{0,40}|(?:this|these) (?:might|may) (?:be )?interest(?:ing)? (?:to )?you)\s*:?$/i;

/** A paragraph of the story's own: a few sentences, not a teaser's title or one-line summary. */
const PROSE_PARAGRAPH_CHARS = 200;

/**
 * Where a list of teasers for other stories begins, in the last fifth of the text (or later than a third, when dated
 * entries follow its heading): from its heading on, nothing is the story's. Earlier, such a heading more often opens
 * a box inside the story, and the story goes on after it.
 */
function teaserListStart(paragraphs: ExtractedParagraph[], start: number, end: number): number {
  let total = 0;
  for (let index = start; index < end; index++) total += paragraphs[index]!.text.length;
  let before = 0;
  for (let index = start; index < end; index++) {
    const { text } = paragraphs[index]!;
    if (index > start && before >= total * 0.8 && MORE_PAGES_HEADING.test(text)) {
      const prose = paragraphs
        .slice(index + 1, end)
        .some((next) => !next.listItem && next.text.length >= PROSE_PARAGRAPH_CHARS);
      if (!prose) return index;
    }
    if (index > start && (TEASER_HEADING.test(text) || ABOUT_THE_AUTHOR.test(text))) {
      if (before >= total * 0.8) return index;
      // Followed by dated entries ("Latest news", "March 29, 2025", a teaser, "March 27, 2025", …), it opens a list
      // of other stories from a third of the text on, or after a short story's first 500 characters (a press
      // release under its site's six latest stories, each with a section, a byline and a date before its teaser).
      const datedEntries = paragraphs.slice(index + 1, index + 9).filter((entry) => isBylineOrDate(entry.text));
      if (before >= Math.min(total / 3, MIN_ARTICLE_CHARS) && datedEntries.length >= 2) return index;
    }
    before += text.length;
  }
  return end;
}

/** An element's class and id, the words a page's author named it by. */
function hintOf(element: Element): string {
  return `${element.attribs.class ?? ''} ${element.attribs.id ?? ''}`;
}

function classWeight(element: Element): number {
  const hint = hintOf(element);
  let weight = 0;
  if (NEGATIVE.test(hint)) weight -= 25;
  if (POSITIVE.test(hint)) weight += 25;
  return weight;
}

function parentElement(element: Element): Element | null {
  return element.parent instanceof Element ? element.parent : null;
}

interface TextMeasure {
  chars: number;
  linkChars: number;
}

/**
 * Characters (whitespace runs counted once) under every element, and how many are link text, in one walk: link
 * density is asked of hundreds of candidates, and a query per candidate was most of the extraction time.
 */
function measureText(root: AnyNode, measures: Map<Element, TextMeasure>, inLink = false): TextMeasure {
  if (root instanceof Text) {
    const chars = root.data.replace(/\s+/g, ' ').length;
    return { chars, linkChars: inLink ? chars : 0 };
  }
  if (!(root instanceof Element) && !('children' in root)) return { chars: 0, linkChars: 0 };
  const linked = inLink || (root instanceof Element && root.tagName === 'a');
  const total: TextMeasure = { chars: 0, linkChars: 0 };
  for (const child of (root as Element).children) {
    const measure = measureText(child, measures, linked);
    total.chars += measure.chars;
    total.linkChars += measure.linkChars;
  }
  if (root instanceof Element) measures.set(root, total);
  return total;
}

function linkDensity(measures: Map<Element, TextMeasure>, element: Element): number {
  const measure = measures.get(element);
  return measure && measure.chars > 0 ? Math.min(1, measure.linkChars / measure.chars) : 0;
}
