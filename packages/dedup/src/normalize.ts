// eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL by definition
const ASCII = /^[\x00-\x7f]*$/;
/** ASCII with typographic quotes and dashes, which NFKC leaves as they are (most English copy). */
// eslint-disable-next-line no-control-regex -- as above
const ASCII_WITH_TYPOGRAPHY = /^[\x00-\x7f\u2010-\u2015\u2018-\u201f]*$/;
const ASCII_WORD = /[a-z0-9]+(?:'[a-z]+)*/g;

/**
 * Normalizes text so that typography never hides a copy: Unicode NFKC, case folding, curly quotes and dashes
 * unified, punctuation dropped; returns the words.
 */
export function normalizeWords(text: string): string[] {
  // Plain ASCII has nothing for NFKC or the quote and dash maps to change.
  if (ASCII.test(text)) return text.toLowerCase().match(ASCII_WORD) ?? [];
  // ASCII once its quotes and dashes are unified: the same words as the general path below, without NFKC and
  // Unicode classes (a fifth of the deduper's time in a profile).
  if (ASCII_WITH_TYPOGRAPHY.test(text)) return unifyTypography(text.toLowerCase()).match(ASCII_WORD) ?? [];
  return unicodeWords(unifyTypography(text.normalize('NFKC').toLowerCase()));
}

const UNICODE_WORD = /[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu;
const SURROGATE = /[\ud800-\udfff]/;
/**
 * Chinese and Japanese put no spaces between words: each of their characters is a word, so that the pairs are
 * character bigrams and an edit changes two of them, not every pair of a clause.
 */
const CHARACTER_WORD = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const AT_CHARACTER_WORDS = new RegExp(`(${CHARACTER_WORD.source})`, 'u');
const NUMBER = 1;
const LETTER = 2;
const CHARACTER = 3;
const APOSTROPHE = 39;
/**
 * Per UTF-16 code unit of the Basic Multilingual Plane: CHARACTER (a Chinese or Japanese character), LETTER (another
 * \p{L}), NUMBER (\p{N}) or 0. Built on first use.
 */
let charClasses: Uint8Array | undefined;

/**
 * Each Chinese or Japanese character, and what `UNICODE_WORD` matches in the text between them, by one pass over a
 * table, which is faster than the regular expression on multilingual text. Text with characters beyond the BMP goes
 * to the expressions themselves.
 */
function unicodeWords(text: string): string[] {
  if (SURROGATE.test(text))
    return text
      .split(AT_CHARACTER_WORDS)
      .flatMap((piece) => (CHARACTER_WORD.test(piece) ? [piece] : (piece.match(UNICODE_WORD) ?? [])));
  const classes = (charClasses ??= buildCharClasses());
  const words: string[] = [];
  let start = -1;
  // After an apostrophe, a word goes on with letters only ("rock'n" of "rock'n5", then "5").
  let lettersOnly = false;
  for (let i = 0; i < text.length; i++) {
    const kind = classes[text.charCodeAt(i)]!;
    if (kind === CHARACTER) {
      if (start >= 0) words.push(text.slice(start, i));
      words.push(text[i]!);
      start = -1;
      lettersOnly = false;
      continue;
    }
    if (kind === LETTER || (kind === NUMBER && !lettersOnly)) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0 && text.charCodeAt(i) === APOSTROPHE && classes[text.charCodeAt(i + 1)] === LETTER) {
      lettersOnly = true;
      continue;
    }
    if (start >= 0) words.push(text.slice(start, i));
    start = kind === NUMBER ? i : -1;
    lettersOnly = false;
  }
  if (start >= 0) words.push(text.slice(start));
  return words;
}

function buildCharClasses(): Uint8Array {
  const classes = new Uint8Array(0x10000);
  for (let code = 0; code < 0x10000; code++) {
    const char = String.fromCharCode(code);
    if (CHARACTER_WORD.test(char)) classes[code] = CHARACTER;
    else if (/\p{L}/u.test(char)) classes[code] = LETTER;
    else if (/\p{N}/u.test(char)) classes[code] = NUMBER;
  }
  return classes;
}

function unifyTypography(text: string): string {
  return text
    .replace(/[\u2018\u2019\u201a\u201b\u2032`´]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033«»]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-');
}
