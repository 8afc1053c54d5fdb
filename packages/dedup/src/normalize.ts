// eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL by definition
const ASCII = /^[\x00-\x7f]*$/;
const ASCII_WORD = /[a-z0-9]+(?:'[a-z]+)*/g;

/**
 * Normalizes text so that typography never hides a copy: Unicode NFKC, case folding, curly quotes and dashes
 * unified, punctuation dropped; returns the words.
 */
export function normalizeWords(text: string): string[] {
  // Plain ASCII (most English copy) has nothing for NFKC or the quote and dash maps to change.
  if (ASCII.test(text)) return text.toLowerCase().match(ASCII_WORD) ?? [];
  const folded = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201a\u201b\u2032`´]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033«»]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-');
  return folded.match(/[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu) ?? [];
}
