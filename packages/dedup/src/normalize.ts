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
  return unifyTypography(text.normalize('NFKC').toLowerCase()).match(/[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu) ?? [];
}

function unifyTypography(text: string): string {
  return text
    .replace(/[\u2018\u2019\u201a\u201b\u2032`´]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033«»]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-');
}
