/**
 * `[ad_1]`, `[ads2]`, `[adsense]`, `[/advert]`: WordPress ad and autoblog shortcodes left as plain text in copied
 * articles. They are text, not elements, so removing elements never catches them.
 */
const AD_PLACEHOLDER = /\[\/?\s*(?:ad|ads|adsense|advert|advertisement|banner|sponsor(?:ed)?)(?:[\s_-]*\d+)?\s*\]/gi;

/** Lines that are page furniture whatever page they are on. */
const BOILERPLATE_LINE = new RegExp(
  [
    '^(?:advertisement|advert|anzeige|werbung|publicidad|publicidade|publicité|pubblicità|reklama|реклама)$',
    '^this slideshow requires javascript\\.?$',
    '^tell us what you think\\b',
    '^sharing is caring\\b',
    '\\bdelivered (?:to|through) your (?:door|letterbox|letter box|inbox|mailbox)\\b',
    '^sponsored links?$',
    // A shortcode the site never rendered: "[button link=…]Send us your review[/button]".
    '^\\[[a-z_-]+\\b[^\\]]*\\].*\\[\\/[a-z_-]+\\]?$',
    // …or alone: "[CTA_MODULE]", "[convertkit form=1630175]" (not a one-word label such as "[Methods]").
    '^\\[[a-z][\\w-]*(?:[_-]\\w+|\\s+[\\w-]+\\s*=[^\\]]*)\\]$',
    // A comment section's policy: "Comments that … will not be approved by the moderator".
    '\\b(?:comments?|comentários?|comentarios?|commentaires?|kommentare?|commenti)\\b.{0,120}\\bmodera',
    '^(?:advertisement|sponsored)\\s*[-–:]',
    '^(?:share|share this|share on|tweet|email|print)(?: (?:this|article|story|recipe|post|page|video|on \\w+))?$',
    '^(?:teilen|artikel teilen|partager|compartir|condividi|compartilhar|drucken|imprimer|imprimir|stampa)$',
    '^(?:subscribe|sign up|join)\\b.{0,80}\\b(?:newsletter|updates|inbox|email)',
    '^[[(]?(?:read more|related|see also|also read|more from)\\s*[:»›>-]',
    // The same in German, French, Spanish, Italian and Portuguese news.
    '^(?:lesen sie (?:auch|mehr)|mehr zum thema|auch interessant|lire aussi|à lire aussi|voir aussi|lee también|lea también|leggi anche|leia também|veja também)\\s*[:»›>-]',
    '^(?:follow us|like us) on\\b',
    '^(?:copyright|©)\\s',
    '^(?:all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|tutti i diritti riservati|todos os direitos reservados)',
    '^source(?: link)?\\s*:?\\s*(?:\\S+)?$',
    '^(?:click here|tap here) to\\b',
    // A button's label left as a line of its own: "Read more", "Continue reading", "Check price", "Shop now".
    '^(?:(?:read|see|view|show) more|continue reading|read (?:the )?full (?:story|article|review))\\s*[.…»›>]*$',
    '^(?:(?:buy|shop|order|get it) now|(?:check|see|view) (?:the )?(?:price|deal)s?)\\s*[.…»›>]*$',
    '^(?:weiterlesen|mehr lesen|mehr erfahren|lire la suite|en savoir plus|leer más|seguir leyendo|leggi di più|continua a leggere|ler mais|saiba mais|continuar lendo)\\s*[.…»›>]*$',
    '\\b(?:subscribe to|sign up for)\\b.{0,60}\\bnewsletters?\\b',
    '^have a (?:news )?tip\\b',
    '^(?:get|receive) the latest\\b.{0,80}\\b(?:inbox|email|newsletter)',
    '^(?:photo|image|video|picture)s? ?(?:credit)?:',
    '^(?:fotos?|bild(?:er)?|crédits? photo|créditos?)\\s*:',
    // A caption's credit: "installation views, photos © Inexhibit, 2018".
    '\\b(?:photo|image|picture)s?\\s*(?:©|\\(c\\)|copyright)',
    '^this (?:article|story) (?:was )?(?:originally |first )?(?:appeared|published) (?:on|in)\\b',
    '^(?:additional )?(?:reporting|writing|editing) by\\b',
    '\\bcontributed (?:reporting|to this report)\\b',
    '^filed under\\b',
    // A post's tags or categories: "Tags: Helena, smart thermostat", "Posted in Blockchain, Smart Contract".
    '^(?:tags|tagged(?: with)?|categories|category|topics)\\s*:\\s*[^.!?]*$',
    '^posted in [^.!?]+,[^.!?]+$',
    '^(?:like this story|enjoyed this|enjoy(?:ed)? the (?:post|article|story|recipe)|you (?:may|might) (?:also )?(?:like|enjoy|be interested))\\b',
    // A table of contents' heading (its entries are links, dropped as such), a paging line, a lazy-load stub.
    '^(?:table of contents|contents|in this article|on this page|jump to section)$',
    '^(?:article|story) continues (?:below|after (?:this )?(?:ad|advertisement))$',
    '^page \\d+ of \\d+$',
    '^loading(?: \\w+)?(?:\\.\\.\\.|…)?$',
    // Players, counters and screen-reader text printed as lines: "Listen to this article", "Summarize this article
    // with:", "1,693 views", "Opens in a new window".
    '^listen to this (?:article|story|post|episode)\\b[^.!?]{0,30}$',
    '^summari[sz]e (?:this|the) (?:article|story|post|page)\\b',
    '^[\\d.,]+\\s?[km]? views?$',
    '^opens? in (?:a )?new (?:window|tab)$',
    '^(?:get in touch|contact us)$',
    '^(?:top rated |view |show |post )?comments?\\b',
    // Gallery and slideshow furniture: "Image 1 of 23", "1 / 23", "Back to Gallery", "View gallery".
    '^(?:image|photo|picture|slide|item)s?\\s*\\d+\\s*(?:of\\s*/?|/)\\s*\\d+$',
    '^\\d+\\s*(?:of|/)\\s*\\d+$',
    '^(?:back to|view|open|see|launch|start|expand) (?:the )?(?:full )?(?:photo )?(?:gallery|slideshow)$',
    '^(?:previous|next) (?:image|photo|slide)$',
  ].join('|'),
  'i',
);

export function removeAdPlaceholders(text: string): string {
  return text.replace(AD_PLACEHOLDER, ' ');
}

/**
 * Collapses whitespace (including non-breaking and zero-width spaces) and trims. Soft hyphens and word joiners go
 * too: invisible inside a word ("Bundes&shy;regierung"), they would split it for search and deduplication.
 */
export function normalizeWhitespace(text: string): string {
  // Most texts are normal already: one scan instead of two regular-expression passes and their copies.
  if (isNormalized(text)) return text;
  return text
    .replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
}

const SPACE = 0x20;

/** JavaScript's `\s`: what `trim` removes. */
export function isWhiteSpace(code: number): boolean {
  if (code <= SPACE) return code === SPACE || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** `\s` and the invisible characters normalizeWhitespace drops. */
function isBlank(code: number): boolean {
  return isWhiteSpace(code) || (code >= 0x200b && code <= 0x200d) || code === 0xad || code === 0x2060;
}

function isNormalized(text: string): boolean {
  let previousSpace = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === SPACE) {
      if (previousSpace) return false;
      previousSpace = true;
    } else if (isBlank(code)) return false;
    else previousSpace = false;
  }
  return text.length === 0 || !previousSpace;
}

/**
 * How many characters of `text` normalizeWhitespace keeps, spaces aside (so at most its result's length), counting
 * no further than `limit + 1`: enough to tell that a text is too long without normalizing it.
 */
export function visibleLength(text: string, limit: number): number {
  let visible = 0;
  for (let i = 0; i < text.length && visible <= limit; i++) if (!isBlank(text.charCodeAt(i))) visible++;
  return visible;
}

export function isBoilerplateLine(text: string): boolean {
  return text.length < 160 && BOILERPLATE_LINE.test(text);
}

/** A byline, dateline or reading-time line, as sites put them above the story. */
const BYLINE_OR_DATE = new RegExp(
  [
    '^(?:(?:written|posted|published) )?(?:by|por|von|par|di|door)\\s',
    '\\b(?:19|20)\\d{2}\\b.*\\b\\d{1,2}:\\d{2}\\b',
    '\\b\\d{1,2}:\\d{2}\\b.*\\b(?:19|20)\\d{2}\\b',
    '\\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.? \\d{1,2}(?:st|nd|rd|th)?,? (?:19|20)\\d{2}\\b',
    '\\b\\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?,? (?:19|20)\\d{2}\\b',
    '\\bassociated press\\b',
    '\\bap [a-z ]*writer\\b',
    '\\b(?:reading time|min(?:ute)?s? read|tempo de leitura|lesezeit)\\b',
    // Read time run into the date ("6 min readDec 1, 2025"); a day without its year alone ("Dec 23", "19-Dec-2025").
    '\\b\\d+ ?min(?:ute)?s? read(?=\\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))',
    '^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.? \\d{1,2}(?:st|nd|rd|th)?$',
    '^\\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?$',
    '\\b\\d{1,2}-(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*-(?:19|20)\\d{2}\\b',
    '^(?:19|20)\\d{2}年\\d{1,2}月\\d{1,2}日',
  ].join('|'),
  'i',
);

export function isBylineOrDate(text: string): boolean {
  return hasAtMostWords(text, 12) && BYLINE_OR_DATE.test(text);
}

/**
 * At most `max` words: words between spaces, and in scripts written without them (Chinese, Japanese, Thai, …) one
 * per two characters, since a paragraph of Chinese is one "word" between spaces. Stops counting spaces past `max`.
 */
function hasAtMostWords(text: string, max: number): boolean {
  let words = 1;
  for (let at = text.indexOf(' '); at >= 0; at = text.indexOf(' ', at + 1)) if (++words > max) return false;
  return words + Math.floor((text.match(UNSPACED_SCRIPT)?.length ?? 0) / 2) <= max;
}

/** Chinese and Japanese characters: scripts written without spaces whose texts the extractor reads apart. */
export const CHINESE_OR_JAPANESE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
/** Every script written without spaces between words. */
const UNSPACED_SCRIPT = new RegExp(
  `[${CHINESE_OR_JAPANESE.source.slice(1, -1)}\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}\\p{Script=Myanmar}]`,
  'gu',
);

/** A short line that asks the reader to follow, join, share or get in touch: "Follow Hardtail Canada", "Stay connected!". */
export function isCallToAction(text: string): boolean {
  return hasAtMostWords(text, 10) && CALL_TO_ACTION.test(text);
}

const CALL_TO_ACTION =
  /^(?:follow|join|subscribe|sign up|share|like|connect with|stay connected|get in touch|contact us|talk to|help (?:me|us)|folgen sie|abonnieren sie|jetzt abonnieren|suivez-nous|abonnez-vous|síguenos|suscríbete|seguici|iscriviti|siga-nos|assine)(?![\p{L}\p{N}])/iu;

/** One to six words ending no sentence: a section label ("Popular", "More in Milan", "Topics", "相关新闻"). */
export function isLabel(text: string): boolean {
  return hasAtMostWords(text, 6) && !SENTENCE_END.test(text);
}

const SENTENCE_END = /[.!?…"”»)。！？」』）।؟]$/;
