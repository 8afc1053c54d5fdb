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
 * It also empties scripts and style sheets, which the extractor never reads (it reads JSON-LD, which stays): on news
 * pages they are much of the markup, and the parser would scan and copy every character of them.
 */
const TAG =
  /<!--[\s\S]*?(?:-->|$)|<(script|style|textarea|title)\b([^>]*)>([\s\S]*?)(?:<\/\1\s*>|$)|<(\/?)([a-zA-Z][\w:-]*)(?:[^>"']|"[^"]*"|'[^']*')*?(\/?)>/gi;
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

export function trimMarkup(html: string, maxDepth: number): string {
  let depth = 0;
  /** Per tag name, how many of its opening tags were dropped and still wait for their closing tag. */
  const dropped = new Map<string, number>();
  const cuts: [number, number][] = [];
  TAG.lastIndex = 0;
  for (let match = TAG.exec(html); match; match = TAG.exec(html)) {
    const [whole, rawTextName, attributes, body, closing, rawName, selfClosing] = match;
    if (body && unread(rawTextName!, attributes!)) {
      const bodyStart = match.index + 1 + rawTextName!.length + attributes!.length + 1;
      cuts.push([bodyStart, bodyStart + body.length]);
    }
    if (rawName === undefined) continue; // a comment or a raw-text element: no nesting inside
    const name = rawName.toLowerCase();
    if (NOT_NESTING.has(name) || selfClosing) continue;
    if (closing) {
      const waiting = dropped.get(name) ?? 0;
      if (waiting > 0) {
        dropped.set(name, waiting - 1);
        cuts.push([match.index, match.index + whole.length]);
      } else if (depth > 0) depth--;
    } else if (depth >= maxDepth) {
      dropped.set(name, (dropped.get(name) ?? 0) + 1);
      cuts.push([match.index, match.index + whole.length]);
    } else depth++;
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

/** A script or style sheet the extractor does not read: everything but JSON-LD. */
function unread(rawTextName: string, attributes: string): boolean {
  const name = rawTextName.toLowerCase();
  return name === 'style' || (name === 'script' && !JSON_LD.test(attributes));
}
