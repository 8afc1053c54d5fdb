import { describe, expect, it } from 'vitest';
import { parseDateText, slashedOrderOf } from '../src/date-text.ts';

const NOW = Date.UTC(2026, 11, 2);

describe('parseDateText', () => {
  it('reads a printed date in the languages news is written in', () => {
    const cases: [string, string][] = [
      ['Published December 17, 2025 at 9:00', '2025-12-17'],
      ['Veröffentlicht am 31. Mai 2019', '2019-05-31'],
      ['2 февраля 2021, 14:05', '2021-02-02'],
      ['Publié le 3 mars 2020 à 10h00', '2020-03-03'],
      ['Publicado el 15 de abril de 2018', '2018-04-15'],
      ['Stand: 24.12.2020, 10:00 Uhr', '2020-12-24'],
      ['2021年3月4日 10:30', '2021-03-04'],
      ['发布时间：2024年 11月 5日', '2024-11-05'],
      ['입력 2023년 7월 21일 오후 3:15', '2023-07-21'],
      ['By: on 04-ago-2021 5:11:10', '2021-08-04'],
      ['Filed 9-Dec-2019', '2019-12-09'],
      ['Publikováno 1. května 2021', '2021-05-01'],
      ['Publicat: 17 decembrie 2025', '2025-12-17'],
      ['Julkaistu 17. joulukuuta 2025', '2025-12-17'],
      ['Опубліковано 1 травня 2021', '2021-05-01'],
      ['1 Μαΐου 2021', '2021-05-01'],
      ['Megjelent: 2025. december 17.', '2025-12-17'],
      ['Diterbitkan 17 Desember 2025', '2025-12-17'],
      ['Cập nhật ngày 17 tháng 12 năm 2025', '2025-12-17'],
      ['نشر في 17 ديسمبر 2025', '2025-12-17'],
      ['פורסם 17 בדצמבר 2025', '2025-12-17'],
      ['17 דצמבר 2025', '2025-12-17'],
      ['<time>2025-12-17T10:00:00Z</time>', '2025-12-17'],
      ['Objavljeno: 3. lipnja 2021.', '2021-06-03'],
      ['Objavljeno 3. oktobar 2021.', '2021-10-03'],
      ['3. октобар 2021.', '2021-10-03'],
      ['Objavljeno 3. julija 2021', '2021-07-03'],
      ['Paskelbta 2021 m. lapkričio 3 d.', '2021-11-03'],
      ['Birt 3. nóvember 2021', '2021-11-03'],
      ['प्रकाशित: 3 अक्टूबर 2021', '2021-10-03'],
      ['نشر في 3 تشرين الثاني 2021', '2021-11-03'],
      ['3 جوان 2021', '2021-06-03'],
      // Other scripts' digits: Arabic-Indic, Persian, full-width.
      ['٣ نوفمبر ٢٠٢١', '2021-11-03'],
      ['۳ مارس ۲۰۲۱', '2021-03-03'],
      ['２０２１年３月３日', '2021-03-03'],
    ];
    for (const [text, day] of cases) expect(parseDateText(text, { now: NOW }), text).toBe(day);
  });

  it('reads no date where there is none, an impossible one, or one still to come', () => {
    for (const text of [
      'Chapter 12, page 30',
      '2021年2月30日',
      '2027年1月1日',
      '© 2024年1月1日',
      'a 3-day event in May 2021',
    ]) {
      expect(parseDateText(text, { now: NOW }), text).toBeNull();
    }
  });

  it("reads a slashed date whose day and month could swap in the order of the page's locale, and not without one", () => {
    const text = 'Publicado em 05/10/2018 - 14:00';
    expect(parseDateText(text, { now: NOW, slashedOrder: 'day-first' })).toBe('2018-10-05');
    expect(parseDateText(text, { now: NOW, slashedOrder: 'month-first' })).toBe('2018-05-10');
    expect(parseDateText(text, { now: NOW })).toBeNull();
    // Dashes as slashes: day first on a day-first page, and a day over 12 tells the order anywhere.
    expect(parseDateText('Gepubliceerd 05-10-2018', { now: NOW, slashedOrder: 'day-first' })).toBe('2018-10-05');
    expect(parseDateText('Posted 12-17-2025', { now: NOW })).toBe('2025-12-17');
    expect(parseDateText('05-10/2018', { now: NOW, slashedOrder: 'day-first' })).toBeNull();
    // A day over 12 settles the order whatever the locale says.
    expect(parseDateText('12/17/2025', { now: NOW, slashedOrder: 'day-first' })).toBe('2025-12-17');
  });
});

describe('slashedOrderOf', () => {
  it('takes the day first outside American English, and no order where the locale does not say', () => {
    const cases: [string | null, string][] = [
      ['pt-BR', 'day-first'],
      ['de', 'day-first'],
      ['fr_FR', 'day-first'],
      ['en-GB', 'day-first'],
      ['en_AU', 'day-first'],
      ['en-US', 'month-first'],
      ['EN-us', 'month-first'],
      ['en', 'unknown'],
      ['en-CA', 'unknown'],
      ['ja', 'unknown'],
      ['zh-CN', 'unknown'],
      ['', 'unknown'],
      [null, 'unknown'],
    ];
    for (const [locale, order] of cases) expect(slashedOrderOf(locale), String(locale)).toBe(order);
  });
});
