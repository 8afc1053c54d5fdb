import { describe, expect, it } from 'vitest';
import {
  isBoilerplateLine,
  isBylineOrDate,
  isCallToAction,
  isLabel,
  normalizeWhitespace,
  visibleLength,
} from '../src/clean-text.ts';

/** The definition normalizeWhitespace's fast path must agree with. */
const reference = (text: string) =>
  text
    .replace(/[\u00ad\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();

describe('normalizeWhitespace', () => {
  it('agrees with the regular expressions for every UTF-16 code unit, alone, inside, doubled and at the edges', () => {
    const disagreements: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const c = String.fromCharCode(code);
      for (const text of [c, `a${c}b`, `a ${c}b`, `a${c}${c}b`, `${c}ab`, `ab${c}`, `a b${c} `]) {
        if (normalizeWhitespace(text) !== reference(text)) disagreements.push(code.toString(16));
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('returns normal text as it is and collapses the rest', () => {
    expect(normalizeWhitespace('One line of text.')).toBe('One line of text.');
    expect(normalizeWhitespace('  Two\u00a0 words\n\tand\u200b more ')).toBe('Two words and more');
    expect(normalizeWhitespace('')).toBe('');
    expect(normalizeWhitespace(' ')).toBe('');
  });

  it('drops soft hyphens and word joiners, which split a word for search and deduplication', () => {
    expect(normalizeWhitespace('Die Bundes\u00adregierung und die Verkehrs\u00adwende')).toBe(
      'Die Bundesregierung und die Verkehrswende',
    );
    expect(normalizeWhitespace('word\u2060joiner')).toBe('wordjoiner');
  });
});

describe('visibleLength', () => {
  it('counts what normalization keeps apart from spaces, and stops past the limit', () => {
    expect(visibleLength(' a \u200b b\n', 10)).toBe(2);
    expect(visibleLength('abcdefghij', 3)).toBe(4);
  });
});

describe('edge lines', () => {
  it('tells bylines, datelines and calls to follow from lines of the story', () => {
    for (const line of [
      'By Jane Roe',
      '15 Dec, 2025',
      '15 Dec 2025',
      'March 3, 2024',
      '5 min read',
      '2023年10月18日 10:05',
      '6 min readDec 1, 2025',
      'Dec 23',
      '4 March',
      '19-Dec-2025',
    ])
      expect(isBylineOrDate(line), line).toBe(true);
    for (const line of ['Follow Hardtail Canada', 'Join the Facebook group', 'Stay connected with me!'])
      expect(isCallToAction(line), line).toBe(true);
    for (const line of [
      'The mayor spoke on Monday.',
      'Join the club, the mayor told the crowd of a hundred people who came.',
      'May 5 is the day the vote takes place.',
      'He spent 5 minutes reading the report.',
    ]) {
      expect(isBylineOrDate(line), line).toBe(false);
      expect(isCallToAction(line), line).toBe(false);
    }
  });
});

describe('isLabel', () => {
  it('takes short lines that end no sentence for labels, in scripts written with spaces and without', () => {
    for (const line of ['Popular', 'More in Milan', '相关新闻', '関連記事']) expect(isLabel(line), line).toBe(true);
    for (const line of [
      'The mayor spoke on Monday.',
      '国家统计局今天发布数据显示，今年前三季度国内生产总值同比增长',
      '政府は十八日、新たな経済対策の骨子を発表した。',
      'รัฐบาลประกาศมาตรการกระตุ้นเศรษฐกิจชุดใหม่ในวันพุธ',
    ])
      expect(isLabel(line), line).toBe(false);
  });
});

describe('isBoilerplateLine', () => {
  it("drops a button's label left as a line, and keeps a sentence that starts the same way", () => {
    for (const label of [
      'Read More',
      'Continue reading…',
      'Read the full review »',
      'Check Price',
      'Shop now',
      'See more',
    ])
      expect(isBoilerplateLine(label), label).toBe(true);
    for (const line of ['Read more about the plan on page 4.', 'See more of the coast by train', 'Shop now or wait?'])
      expect(isBoilerplateLine(line), line).toBe(false);
  });

  it("drops tag and category lines, prompts, players' and counters' labels, and keeps sentences that start alike", () => {
    for (const line of [
      'Tags: Helena, smart thermostat',
      'Tagged:',
      'Category: Personal Finance 101',
      'Posted in Blockchain, Smart Contract, Technologies',
      'Enjoy the post? Pin it for later!',
      'Listen to this article',
      'Summarize this article with:',
      '1,693 views',
      'Opens in a new window',
    ])
      expect(isBoilerplateLine(line), line).toBe(true);
    for (const line of [
      'Topics: the council discussed the budget, the roads and the schools.',
      'Posted in 2019, the video was watched by millions.',
      'Enjoy the view from the top, the guide said.',
      'Listen to the story of the storm as the survivors tell it.',
      '1,693 views of the valley were recorded.',
    ])
      expect(isBoilerplateLine(line), line).toBe(false);
  });

  it('drops a shortcode the site never rendered and a bracketed teaser, and keeps a bracketed label', () => {
    for (const line of [
      '[CTA_MODULE]',
      '[convertkit form=1630175]',
      '[Read more: A Guide to Small Business Accounting]',
    ])
      expect(isBoilerplateLine(line), line).toBe(true);
    for (const line of ['[Methods]', '[Updated at 5 p.m.]', '[1]']) expect(isBoilerplateLine(line), line).toBe(false);
  });

  it('knows the same furniture in German, French and Spanish news, and not words that start alike', () => {
    for (const line of ['Foto: dpa', 'Alle Rechte vorbehalten.', 'Teilen', 'Lire la suite', 'Tous droits réservés'])
      expect(isBoilerplateLine(line), line).toBe(true);
    for (const line of ['Bildung: Schulen bleiben offen', 'Teilen sich die Kosten zwei Städte?'])
      expect(isBoilerplateLine(line), line).toBe(false);
    for (const line of ['Folgen Sie uns auf Instagram', 'Abonnez-vous à notre newsletter', 'Síguenos en X'])
      expect(isCallToAction(line), line).toBe(true);
    expect(isCallToAction('Folgende Schritte sind jetzt nötig')).toBe(false);
  });
});
