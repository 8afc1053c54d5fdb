/**
 * `xml:base` below the root (an Atom entry's or link's own base, RFC 4287 §2 and XML Base): rss-parser keeps no
 * attributes of an entry, so links relative to such a base are resolved in the text before it parses it. The root's
 * base alone needs none of this (parse-feed.ts resolves against it).
 */

// CDATA, comments, processing instructions and declarations hold no elements; the last group is a tag.
const MARKUP =
  /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<[?!][^>]*>|<(\/?)([\w.-]+:)?([\w.-]+)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;
const XML_BASE = /\sxml:base\s*=\s*(["'])(.*?)\1/;
const HREF = /(\shref\s*=\s*)(["'])(.*?)\2/;
const ABSOLUTE = /^[a-z][a-z\d+.-]*:/i;

/** True when an element below the root declares a base of its own. */
export function hasNestedXmlBase(text: string): boolean {
  const root = /<(?:[\w-]+:)?(?:rss|feed|RDF)\b(?:[^>"']|"[^"]*"|'[^']*')*>/i.exec(text);
  const rootEnd = root ? root.index + root[0].length : 0;
  for (let at = text.indexOf('xml:base'); at >= 0; at = text.indexOf('xml:base', at + 1))
    if (!root || at < root.index || at >= rootEnd) return true;
  return false;
}

/**
 * The feed with every relative link (`<link href>`, and an RSS `<link>`'s text) resolved against the bases in scope
 * where it stands, starting from `documentUrl`. Unbalanced markup (an ill-formed feed) closes the innermost element
 * of the same name, as a forgiving parser would.
 */
export function withLinksResolved(text: string, documentUrl: string | undefined): string {
  const stack: { name: string; base: string | undefined }[] = [];
  const pieces: string[] = [];
  let copiedUpTo = 0;
  let openLink: { textStart: number; base: string | undefined } | null = null;
  for (const match of text.matchAll(MARKUP)) {
    const [tag, closing, , localName, attributes, selfClosing] = match;
    if (localName === undefined) continue;
    const name = localName.toLowerCase();
    const parentBase = stack.at(-1)?.base ?? documentUrl;
    if (closing) {
      if (openLink && name === 'link') {
        const value = text.slice(openLink.textStart, match.index);
        const resolved = resolvedAgainst(value.trim(), openLink.base);
        if (resolved !== null) {
          pieces.push(text.slice(copiedUpTo, openLink.textStart), resolved);
          copiedUpTo = match.index;
        }
        openLink = null;
      }
      const open = stack.findLastIndex((element) => element.name === name);
      if (open >= 0) stack.length = open;
      continue;
    }
    const declared = XML_BASE.exec(attributes!)?.[2];
    const base = declared === undefined ? parentBase : baseFrom(declared, parentBase);
    if (name === 'link') {
      const href = HREF.exec(attributes!);
      if (href) {
        const resolved = resolvedAgainst(href[3]!, base);
        if (resolved !== null) {
          const start = match.index + tag.indexOf(attributes!) + href.index + href[1]!.length + 1;
          pieces.push(text.slice(copiedUpTo, start), resolved);
          copiedUpTo = start + href[3]!.length;
        }
      } else if (!selfClosing) {
        openLink = { textStart: match.index + tag.length, base };
      }
    }
    if (!selfClosing) stack.push({ name, base });
  }
  pieces.push(text.slice(copiedUpTo));
  return pieces.join('');
}

/**
 * A relative reference made absolute, as it is written in XML (`&` as `&amp;`); null for one already absolute,
 * empty, in CDATA or unresolvable (left as written).
 */
function resolvedAgainst(reference: string, base: string | undefined): string | null {
  if (!reference || ABSOLUTE.test(reference) || base === undefined || reference.includes('<')) return null;
  try {
    return new URL(unescapeXml(reference), unescapeXml(base)).href.replace(/&/g, '&amp;');
  } catch {
    return null;
  }
}

/** An element's base: its xml:base, resolved against its parent's when relative (as written in XML). */
function baseFrom(declared: string, parentBase: string | undefined): string | undefined {
  if (ABSOLUTE.test(declared)) return declared;
  return resolvedAgainst(declared, parentBase) ?? parentBase;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
