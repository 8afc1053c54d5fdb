/**
 * A user's search text as an FTS5 query: "quoted text" stays a phrase, every other word must appear; FTS5 syntax
 * in the input (operators, columns, stars) is treated as text, never as query language. Null when nothing is left.
 */
export function toFtsQuery(input: string): string | null {
  const parts: string[] = [];
  const phrases = /"([^"]*)"/g;
  let rest = input;
  for (const match of input.matchAll(phrases)) {
    const words = wordsOf(match[1]!);
    if (words.length > 0) parts.push(`"${words.join(' ')}"`);
    rest = rest.replace(match[0], ' ');
  }
  for (const word of wordsOf(rest)) parts.push(`"${word}"`);
  return parts.length > 0 ? parts.join(' ') : null;
}

function wordsOf(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}
