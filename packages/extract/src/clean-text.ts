/**
 * `[ad_1]`, `[ads2]`, `[adsense]`, `[/advert]`: WordPress ad and autoblog shortcodes left as plain text in copied
 * articles. They are text, not elements, so removing elements never catches them.
 */
const AD_PLACEHOLDER = /\[\/?\s*(?:ad|ads|adsense|advert|advertisement|banner|sponsor(?:ed)?)(?:[\s_-]*\d+)?\s*\]/gi;

/** Lines that are page furniture whatever page they are on. */
const BOILERPLATE_LINE = new RegExp(
  [
    '^advertisement$',
    '^(?:advertisement|sponsored)\\s*[-–:]',
    '^(?:share|share this|share on|tweet|email|print)(?: (?:this|article|story|on \\w+))?$',
    '^(?:subscribe|sign up|join)\\b.{0,80}\\b(?:newsletter|updates|inbox|email)',
    '^(?:read more|related|see also|also read|more from)\\s*[:»›>-]',
    '^(?:follow us|like us) on\\b',
    '^(?:copyright|©)\\s',
    '^all rights reserved',
    '^source(?: link)?\\s*:?\\s*(?:\\S+)?$',
    '^(?:click here|tap here) to\\b',
  ].join('|'),
  'i',
);

export function removeAdPlaceholders(text: string): string {
  return text.replace(AD_PLACEHOLDER, ' ');
}

/** Collapses whitespace (including non-breaking and zero-width spaces) and trims. */
export function normalizeWhitespace(text: string): string {
  return text
    .replace(/[\u200b-\u200d\ufeff]/g, '')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
}

export function isBoilerplateLine(text: string): boolean {
  return text.length < 160 && BOILERPLATE_LINE.test(text);
}
