const LINK = /<link\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
const ATTRIBUTE = /([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g;
const FEED_TYPES = /^application\/(?:rss\+xml|atom\+xml|feed\+json|json|rdf\+xml)\b/i;

/**
 * The feeds a web page announces (`<link rel="alternate" type="application/rss+xml" href="…">`, RSS, Atom and
 * JSON Feed), absolute, in page order: what a feed reader offers when given a site's home page.
 */
export function findFeedLinks(html: string, pageUrl: string): string[] {
  const bodyAt = html.search(/<body\b/i);
  const head = bodyAt > 0 ? html.slice(0, bodyAt) : html;
  const links: string[] = [];
  for (const match of head.matchAll(LINK)) {
    const attributes: Record<string, string> = {};
    for (const attribute of match[1]!.matchAll(ATTRIBUTE))
      attributes[attribute[1]!.toLowerCase()] = attribute[2] ?? attribute[3] ?? attribute[4]!;
    const rel = (attributes.rel ?? '').toLowerCase().split(/\s+/);
    if (!rel.includes('alternate') || !FEED_TYPES.test(attributes.type ?? '') || !attributes.href) continue;
    try {
      const url = new URL(attributes.href.replace(/&amp;/g, '&'), pageUrl).href;
      if (!links.includes(url)) links.push(url);
    } catch {
      // An href that is not a URL announces nothing.
    }
  }
  return links;
}
