import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';

const documents = new WeakMap<CheerioAPI, AnyNode>();

/**
 * The document node of a loaded page: `$.root()[0]`, kept. `$.root()` builds a cheerio wrapper on each call, and
 * the extractor asks for the document a few dozen times a page. The node stays the same however the tree changes.
 */
export function documentOf($: CheerioAPI): AnyNode {
  let root = documents.get($);
  if (!root) {
    root = $.root()[0]!;
    documents.set($, root);
  }
  return root;
}

/**
 * Every element under `root` that `test` accepts, in document order: what `$(selector)` returns, for a test written
 * by hand. css-select compiles and runs a selector over the whole tree on each call; on the ASB pages (170 KiB
 * on average) selector matching was 28 % of the extraction time in a V8 profile. `within` keeps only elements that
 * have an ancestor of that tag (`within: 'body'` is the selector `body *`, `within: 'head'` with a title test is
 * `head title`).
 */
export function elementsWhere(
  root: AnyNode,
  test: (element: Element) => boolean,
  options: { within?: string; first?: boolean } = {},
): Element[] {
  const found: Element[] = [];
  const visit = (node: AnyNode, inside: boolean): boolean => {
    if (!('children' in node)) return false;
    for (const child of node.children) {
      // <script> and <style> are elements of their own node types in domhandler.
      if (child.type !== 'tag' && child.type !== 'script' && child.type !== 'style') continue;
      const element = child as Element;
      if ((inside || options.within === undefined) && test(element)) {
        found.push(element);
        if (options.first) return true;
      }
      if (visit(element, inside || element.tagName === options.within)) return true;
    }
    return false;
  };
  visit(root, false);
  return found;
}

/** The first element `test` accepts, in document order (`$(selector).first()`), or undefined. */
export function firstElementWhere(
  root: AnyNode,
  test: (element: Element) => boolean,
  options: { within?: string } = {},
): Element | undefined {
  return elementsWhere(root, test, { ...options, first: true })[0];
}

/** A test for elements with one of `names` as tag name (`$('h2, h3, h4')`). */
export function tagIn(...names: string[]): (element: Element) => boolean {
  const tags = new Set(names);
  return (element) => tags.has(element.tagName);
}

/**
 * The length of the text of every <p> under `root` (`$(root).find('p').text().length`; with `within: 'body'` and
 * the document as root, `$('body p').text().length`), counted without building the strings.
 */
export function paragraphTextLength(root: AnyNode, options: { within?: string } = {}): number {
  let length = 0;
  for (const paragraph of elementsWhere(root, (element) => element.tagName === 'p', options))
    length += textLength(paragraph);
  return length;
}

/** `textContent(node).length`: text nodes' lengths, comments left out, as domutils' textContent reads. */
function textLength(node: AnyNode): number {
  if (node.type === 'text') return node.data.length;
  if (node.type === 'comment' || !('children' in node)) return 0;
  let length = 0;
  for (const child of node.children) length += textLength(child);
  return length;
}

/** Elements that start a line of their own where a browser prints them. */
export const BLOCK_TAGS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'blockquote',
  'pre',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'table',
  'tr',
  'td',
  'th',
  'tbody',
  'thead',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'center',
  'address',
  'details',
  'summary',
]);
