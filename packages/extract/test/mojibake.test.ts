import { describe, expect, it } from 'vitest';
import { extractArticle } from '../src/index.ts';
import { decodeC1Controls, decodeSequences, isDoubleEncoded } from '../src/mojibake.ts';

/** What the extractor does with its text. */
const repairDoubleEncoding = (text: string) => (isDoubleEncoded(text) ? decodeSequences(text) : text);

describe('text encoded as UTF-8 twice', () => {
  it('is decoded back, whether its bytes were read as windows-1252 or as Latin-1', () => {
    expect(repairDoubleEncoding('AI isnâ€™t just changing websitesâ€”itâ€™s changing “searchâ€\u009d itself')).toBe(
      'AI isn’t just changing websites—it’s changing “search” itself',
    );
    expect(
      repairDoubleEncoding('It doesn\u00e2\u0080\u0099t cost much: \u00c2\u00a030 a month, caf\u00c3\u00a9 included'),
    ).toBe('It doesn’t cost much: \u00a030 a month, café included');
    expect(
      repairDoubleEncoding(
        'Dariusz Jaro\u00c5\u0082 on pod\u00c3\u00b3w, \u00f0\u009f\u0098\u0080 and \u00c3\u00a9t\u00c3\u00a9',
      ),
    ).toBe('Dariusz Jaroł on podów, 😀 and été');
  });

  it('drops what is left of a no-break space encoded twice once white space is normalized', () => {
    expect(repairDoubleEncoding('The premium was $62.44Â for dogs.Â Cats cost $32.21Â a month.Â')).toBe(
      'The premium was $62.44 for dogs. Cats cost $32.21 a month.',
    );
  });

  it('leaves real text alone: Latin letters, and a stray pair or two in a page', () => {
    const portuguese = 'SÃO PAULO — A prefeitura de São Paulo anunciou, à noite, três medidas: Ângela, Ética e Ônibus.';
    expect(repairDoubleEncoding(portuguese)).toBe(portuguese);
    const footer = 'Copyright Â© 2024, all rights reserved; Ã© is not a word here.';
    expect(repairDoubleEncoding(footer)).toBe(footer);
  });

  it('is repaired in an article, written as characters or as entities', () => {
    const story = [
      'Pet insurance doesnâ€™t have to be a wallet-buster; itâ€™s surprisingly affordable, and customizable.',
      'Letâ€™s not just throw numbers at you: we want to be transparent about what youâ€™re signing up for.',
    ];
    const literal = `<html><body><article>${story.map((text) => `<p>${text}</p>`).join('')}</article></body></html>`;
    const entities = literal.replace(/[^ -~]/g, (char) => `&#${char.charCodeAt(0)};`);
    for (const html of [literal, entities]) {
      expect(extractArticle(html, 'https://x.example/a').paragraphs.map((paragraph) => paragraph.text)).toEqual([
        'Pet insurance doesn’t have to be a wallet-buster; it’s surprisingly affordable, and customizable.',
        'Let’s not just throw numbers at you: we want to be transparent about what you’re signing up for.',
      ]);
    }
  });
});

describe('C1 control characters', () => {
  it('decode the twice-encoded sequence holding one however few there are, and stand alone for Windows-1252', () => {
    expect(decodeC1Controls('Dariusz Jaro\u00c5\u0084')).toEqual({ text: 'Dariusz Jaroń', encodedTwice: true });
    expect(decodeC1Controls('don\u0092t \u0093quote\u0094\u0081 \u0080 5')).toEqual({
      text: 'don’t “quote” € 5',
      encodedTwice: false,
    });
    // Without one, a lone pair stays: "Ã©" may be real text.
    expect(decodeC1Controls('Ã© stays')).toEqual({ text: 'Ã© stays', encodedTwice: false });
  });

  it('are read back in a byline on a page otherwise encoded once', () => {
    const html =
      '<html><body><article><p class="byline">By Dariusz Jaro\u00c5\u0084</p><p>He said don\u0092t go there: a long ' +
      'paragraph with enough words in it to count as the story itself, and then some more words.</p></article></body></html>';
    const article = extractArticle(html, 'https://x.example/a');
    expect(article.author).toBe('Dariusz Jaroń');
    expect(article.text).toContain('He said don’t go there');
  });

  it('prove a page encoded twice, so that its few other sequences are decoded as well', () => {
    const html =
      '<html><body><article><p>The caf\u00c3\u00a9 isn\u00e2\u0080\u0099t open on Sundays, a paragraph with enough words ' +
      'in it to count as the story itself, and then a few more words.</p></article></body></html>';
    expect(extractArticle(html, 'https://x.example/a').text).toBe(
      'The café isn’t open on Sundays, a paragraph with enough words in it to count as the story itself, and then a few more words.',
    );
  });
});
