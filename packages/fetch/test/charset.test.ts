import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { join } from 'node:path';
import { charsetFromContentType, decodeBytes, normalizeEncoding } from '../src/index.ts';
import { CORPORA_DIR, HAVE_CORPORA } from '../../../test/helpers.ts';

const corpusFile = (path: string) => readFileSync(join(CORPORA_DIR, 'feeds/miniflux', path));

describe.runIf(HAVE_CORPORA)('decodeBytes on the miniflux charset corpus', () => {
  it.each([
    ['encoding/testdata/iso-8859-1.xml', undefined, 'Café', 'Présentation'],
    ['encoding/testdata/iso-8859-1.html', undefined, 'Frédéric', 'Café'],
    ['encoding/testdata/iso-8859-1-meta-after-1024.html', undefined, 'Frédéric', 'Café'],
    ['encoding/testdata/koi8r.xml', undefined, 'Пример RSS ленты', ''],
    ['encoding/testdata/utf8.xml', undefined, 'Café', ''],
    ['encoding/testdata/utf8-incorrect-prolog.xml', undefined, 'Café', ''],
    ['encoding/testdata/windows-1252.xml', undefined, 'Euro €', ''],
    ['encoding/testdata/windows-1252-incorrect-prolog.xml', undefined, 'Euro €', ''],
    ['encoding/testdata/invalid-prolog.xml', undefined, 'Café', ''],
    ['parser/testdata/encoding_WINDOWS-1251.xml', undefined, 'Новый цитатник Рунета', ''],
    ['encoding/testdata/utf8-meta-after-1024.html', 'text/html; charset=iso-8859-1', 'Frédéric', ''],
  ])('%s', (path, contentType, expected, alsoExpected) => {
    const { text } = decodeBytes(corpusFile(path), contentType);
    expect(text).toContain(expected);
    expect(text).toContain(alsoExpected);
    expect(text).not.toContain('\ufffd');
  });
});

describe('decodeBytes evidence order', () => {
  it('honours a byte-order mark over every label', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      iconv.encode('<?xml version="1.0" encoding="iso-8859-1"?><p>Łódź</p>', 'utf16le'),
    ]);
    expect(decodeBytes(bytes, 'text/xml; charset=iso-8859-1')).toMatchObject({
      text: expect.stringContaining('Łódź'),
      source: 'bom',
    });
  });

  it('uses the HTTP charset for legacy bytes', () => {
    const bytes = iconv.encode('<p>Привет, мир</p>', 'windows-1251');
    expect(decodeBytes(bytes, 'text/html; charset=windows-1251')).toMatchObject({
      text: '<p>Привет, мир</p>',
      encoding: 'windows-1251',
      source: 'http',
    });
  });

  it('prefers valid UTF-8 over a stale latin-1 label', () => {
    const bytes = Buffer.from('<p>Grüße aus Köln</p>', 'utf8');
    expect(decodeBytes(bytes, 'text/html; charset=ISO-8859-1').text).toBe('<p>Grüße aus Köln</p>');
  });

  it('falls back to windows-1252 for unlabeled legacy bytes', () => {
    const bytes = Buffer.from([0x3c, 0x70, 0x3e, 0x93, 0x51, 0x94, 0x20, 0x80]);
    expect(decodeBytes(bytes)).toMatchObject({ text: '<p>“Q” €', source: 'fallback' });
  });
});

describe('labels', () => {
  it.each([
    ['text/html; charset="UTF-8"', 'UTF-8'],
    ['application/rss+xml;charset=koi8-r', 'koi8-r'],
    ['text/html', null],
  ])('charsetFromContentType(%s)', (header, expected) => {
    expect(charsetFromContentType(header)).toBe(expected);
  });

  it.each([
    ['latin1', 'windows-1252'],
    ['ISO-8859-1', 'windows-1252'],
    ['cp1251', 'windows-1251'],
    ['utf8', 'UTF-8'],
    ['no-such-charset', null],
  ])('normalizeEncoding(%s)', (label, expected) => {
    expect(normalizeEncoding(label)).toBe(expected);
  });
});

describe('statistical detection of unlabeled legacy bytes', () => {
  it.each([
    ['windows-1251', 'Москва — столица России, и в ней живёт более двенадцати миллионов человек.'],
    ['koi8-r', 'Москва - столица России, и в ней живёт более двенадцати миллионов человек.'],
    ['Shift_JIS', '東京は日本の首都であり、多くの人々が住んでいます。ニュースを読みましょう。'],
    ['EUC-KR', '서울은 대한민국의 수도이며 많은 사람들이 살고 있습니다. 뉴스를 읽어 봅시다.'],
    ['windows-1253', 'Η Αθήνα είναι η πρωτεύουσα της Ελλάδας και έχει πολλούς κατοίκους σήμερα.'],
  ])('%s', (encoding, text) => {
    const decoded = decodeBytes(iconv.encode(`<p>${text}</p>`, encoding));
    expect(decoded).toMatchObject({ text: `<p>${text}</p>`, source: 'detected' });
  });

  it('keeps windows-1252 for Western text', () => {
    const decoded = decodeBytes(iconv.encode('<p>Café crème, déjà vu: naïve façade über Straße.</p>', 'windows-1252'));
    expect(decoded).toMatchObject({
      text: '<p>Café crème, déjà vu: naïve façade über Straße.</p>',
      encoding: 'windows-1252',
    });
  });
});
