import { isWhiteSpace } from './clean-text.ts';

/**
 * What the parser need not see, dropped in one linear pass over the page before it is parsed.
 *
 * htmlparser2 keeps its open-element stack with `unshift`, so parsing n nested elements costs O(n²): 100,000
 * nested divs take 8 s to parse, before extraction even starts. Real pages nest a few dozen levels. The pass drops
 * the tags that would open elements deeper than `maxDepth` (and their matching closing tags); the text between them
 * stays, so nothing a reader sees is lost.
 *
 * Tags the parser closes implicitly (p, li, td, …) and void elements do not count as nesting, so pages that leave
 * them unclosed are not mistaken for deep ones. Text inside script, style and comments is skipped.
 *
 * It also empties scripts, style sheets and inline SVG images, which the extractor never reads (it reads JSON-LD,
 * which stays): on news pages they are much of the markup (an icon's path data alone is often longer than a
 * paragraph), and the parser would scan every character of them and build a node for every path.
 */
/** `type="application/ld+json"`, its plus sign also written as a character reference (`ld&#x2B;json`). */
const JSON_LD = /\btype\s*=\s*["']?\s*application\/ld(?:\+|&#x0*2b;|&#0*43;|&plus;)json/i;
const NOT_NESTING = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
  'p',
  'li',
  'dt',
  'dd',
  'tr',
  'td',
  'th',
  'thead',
  'tbody',
  'tfoot',
  'option',
  'optgroup',
  'rb',
  'rt',
  'rp',
  'html',
  'head',
  'body',
  'colgroup',
  'caption',
]);

/** The elements whose text the parser reads raw, up to their closing tag: no tag inside them counts. */
const RAW_TEXT = ['script', 'style', 'textarea', 'title'];
const GREATER_THAN = 0x3e;
const SLASH = 0x2f;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;

/**
 * Scans with `indexOf` and character codes rather than matching a regular expression at every tag, whose matches
 * each built an array of captured strings. A tag is what the pattern `<!--…-->`,
 * `<(script|style|textarea|title)\b[^>]*>…</name\s*>` or `<\/?[a-zA-Z][\w:-]*(?:[^>"']|"[^"]*"|'[^']*')*?\/?>`
 * matches (case-insensitive): one that never ends, or whose quoted value never closes, is text, and the scan goes on
 * at the next `<`.
 */
export function trimMarkup(html: string, maxDepth: number): string {
  let depth = 0;
  /** Per tag name, how many of its opening tags were dropped and still wait for their closing tag. */
  const dropped = new Map<string, number>();
  const cuts: [number, number][] = [];
  for (let at = html.indexOf('<'); at !== -1;) {
    if (html.startsWith('!--', at + 1)) {
      const commentEnd = html.indexOf('-->', at + 4);
      if (commentEnd === -1) break;
      at = html.indexOf('<', commentEnd + 3);
      continue;
    }
    const closing = html.charCodeAt(at + 1) === SLASH;
    const nameStart = closing ? at + 2 : at + 1;
    if (!isLetter(html.charCodeAt(nameStart))) {
      at = html.indexOf('<', at + 1);
      continue;
    }
    const rawText = closing ? undefined : rawTextAt(html, nameStart);
    if (rawText) {
      const bodyStart = html.indexOf('>', nameStart) + 1;
      if (bodyStart === 0) break;
      const close = closingTag(html, rawText, bodyStart);
      const bodyEnd = close ? close[0] : html.length;
      if (bodyEnd > bodyStart && unread(rawText, html.slice(nameStart + rawText.length, bodyStart - 1)))
        cuts.push([bodyStart, bodyEnd]);
      if (!close) break;
      at = html.indexOf('<', close[1]);
      continue;
    }
    let nameEnd = nameStart + 1;
    while (isNameCharacter(html.charCodeAt(nameEnd))) nameEnd++;
    const end = tagEnd(html, nameEnd);
    if (end === -1) {
      at = html.indexOf('<', at + 1);
      continue;
    }
    const selfClosing = html.charCodeAt(end - 2) === SLASH;
    const name = html.slice(nameStart, nameEnd).toLowerCase();
    if (!NOT_NESTING.has(name) && !selfClosing) {
      if (closing) {
        const waiting = dropped.get(name) ?? 0;
        if (waiting > 0) {
          dropped.set(name, waiting - 1);
          cuts.push([at, end]);
        } else if (depth > 0) depth--;
      } else if (depth >= maxDepth) {
        dropped.set(name, (dropped.get(name) ?? 0) + 1);
        cuts.push([at, end]);
      } else depth++;
    }
    if (name === 'svg' && !closing && !selfClosing) {
      const close = closingTag(html, 'svg', end);
      if (close) {
        if (close[0] > end) cuts.push([end, close[0]]);
        at = close[0];
        continue;
      }
    }
    at = html.indexOf('<', end);
  }
  if (cuts.length === 0) return html;
  const parts: string[] = [];
  let from = 0;
  for (const [start, end] of cuts) {
    parts.push(html.slice(from, start));
    from = end;
  }
  parts.push(html.slice(from));
  return parts.join('');
}

/**
 * Where a tag whose name ends at `from` ends (after its `>`), skipping quoted values; -1 when it never ends. A tag
 * that ends in "/>" is self-closing: a quoted value cannot end there, as it ends with its quote.
 */
function tagEnd(html: string, from: number): number {
  for (let at = from; at < html.length;) {
    const code = html.charCodeAt(at);
    if (code === GREATER_THAN) return at + 1;
    if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
      const quoteEnd = html.indexOf(code === DOUBLE_QUOTE ? '"' : "'", at + 1);
      if (quoteEnd === -1) return -1;
      at = quoteEnd + 1;
    } else at++;
  }
  return -1;
}

/** The raw-text element whose opening tag's name starts at `at`, if any. */
function rawTextAt(html: string, at: number): string | undefined {
  const first = html.charCodeAt(at) | 0x20;
  if (first !== 0x73 && first !== 0x74) return undefined; // none but "s…" and "t…"
  for (const name of RAW_TEXT)
    if (namedAt(html, at, name) && !isWordCharacter(html.charCodeAt(at + name.length))) return name;
  return undefined;
}

/** Where the closing tag `</name\s*>` after `from` starts and ends, or null. */
function closingTag(html: string, name: string, from: number): [number, number] | null {
  for (let at = html.indexOf('</', from); at !== -1; at = html.indexOf('</', at + 2)) {
    if (!namedAt(html, at + 2, name)) continue;
    let end = at + 2 + name.length;
    while (isWhiteSpace(html.charCodeAt(end))) end++;
    if (html.charCodeAt(end) === GREATER_THAN) return [at, end + 1];
  }
  return null;
}

/** Whether `html` holds `name` (lower case) at `at`, in any case. */
function namedAt(html: string, at: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) if ((html.charCodeAt(at + i) | 0x20) !== name.charCodeAt(i)) return false;
  return true;
}

function isLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** `\w` */
function isWordCharacter(code: number): boolean {
  return isLetter(code) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
}

/** `[\w:-]` */
function isNameCharacter(code: number): boolean {
  return isWordCharacter(code) || code === 0x3a || code === 0x2d;
}

/** A script or style sheet the extractor does not read: everything but JSON-LD. */
function unread(rawTextName: string, attributes: string): boolean {
  return rawTextName === 'style' || (rawTextName === 'script' && !JSON_LD.test(attributes));
}
