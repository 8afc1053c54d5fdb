import { describe, expect, it } from 'vitest';
import { normalizeWords } from '../src/normalize.ts';

/** The normalization as its doc comment defines it, for any text: what every fast path must equal. */
function reference(text: string): string[] {
  const folded = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201a\u201b\u2032`´]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033«»]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-');
  // Each Chinese or Japanese character is a word; the text between them is read for words as any other.
  const character = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
  return folded
    .split(new RegExp(`(${character.source})`, 'u'))
    .flatMap((piece) => (character.test(piece) ? [piece] : (piece.match(/[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu) ?? [])));
}

/** `samples` texts of `length` pieces each, drawn by a seeded generator. */
function randomMixes(pieces: string[], { seed, samples, length }: { seed: number; samples: number; length: number }) {
  let state = seed;
  return Array.from({ length: samples }, () => {
    let text = '';
    for (let i = 0; i < length; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      text += pieces[state % pieces.length];
    }
    return text;
  });
}

describe('normalizeWords', () => {
  it('gives the words of the full normalization for English copy with typographic quotes and dashes', () => {
    const pieces = [
      'Don',
      '\u2019t',
      ' ',
      'ROCK\u2011n\u2011roll',
      '\u201cQuote\u201d',
      '\u2014',
      '42',
      "it's",
      '`ok`',
      '\u201a',
      '\u201f',
      ', ',
      '.',
    ];
    for (const text of randomMixes(pieces, { seed: 7, samples: 300, length: 12 }))
      expect(normalizeWords(text), JSON.stringify(text)).toEqual(reference(text));
  });

  it('folds compatibility forms and non-Latin letters', () => {
    expect(normalizeWords('ﬁnal Ｔｅｓｔ Größe – “Minsk”')).toEqual(['final', 'test', 'größe', 'minsk']);
    expect(normalizeWords('Минск, 2020 г.')).toEqual(['минск', '2020', 'г']);
  });

  it('takes each Chinese or Japanese character for a word, and the words of other scripts beside them whole', () => {
    expect(normalizeWords('国家统计局发布GDP数据')).toEqual([
      '国',
      '家',
      '统',
      '计',
      '局',
      '发',
      '布',
      'gdp',
      '数',
      '据',
    ]);
    expect(normalizeWords('東京の天気、晴れ。')).toEqual(['東', '京', 'の', '天', '気', '晴', 'れ']);
  });

  it('gives the words of the full normalization for text in any script, digits and apostrophes mixed in', () => {
    const pieces = [
      'Минск',
      'größe',
      '東京',
      'の',
      '𠀀',
      '٣٤',
      '5',
      "'",
      "'s",
      'rock',
      '\u2019n',
      'ǅ',
      '²',
      ' ',
      '-',
      '𝒜',
      'ﬁ',
      'é',
      '\u0301',
    ];
    for (const text of randomMixes(pieces, { seed: 11, samples: 500, length: 10 }))
      expect(normalizeWords(text), JSON.stringify(text)).toEqual(reference(text));
  });
});
