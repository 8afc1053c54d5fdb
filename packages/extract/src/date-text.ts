/**
 * Dates as pages print them for people: "December 17, 2025", "17 Dec 2025", "31. Mai 2019", "2 февраля 2021",
 * "17 de diciembre de 2025", "2025. december 17.", "17 tháng 12, 2025", "2025-12-17", "17.12.2025", with month names
 * in 31 languages. Returns the calendar day as YYYY-MM-DD, or null.
 * Purely numeric day/month orders are read only where they cannot be mistaken: yyyy-mm-dd, dd.mm.yyyy (the dotted
 * form is day first everywhere it is used), slashed (or dashed) dates whose day is over 12, and other slashed dates
 * in the order the page's locale writes them (`slashedOrderOf`).
 */

/** Month names and abbreviations (lower case, without the trailing dot) in the languages news is mostly in. */
const MONTHS: Record<string, number> = {};
const MONTH_NAMES: string[][] = [
  // en
  [
    'january',
    'february',
    'march',
    'april',
    'may',
    'june',
    'july',
    'august',
    'september',
    'october',
    'november',
    'december',
  ],
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  ['', '', '', '', '', '', '', '', 'sept'],
  // de
  [
    'januar',
    'februar',
    'märz',
    'april',
    'mai',
    'juni',
    'juli',
    'august',
    'september',
    'oktober',
    'november',
    'dezember',
  ],
  ['jän', '', 'mär', '', '', '', '', '', '', 'okt', '', 'dez'],
  ['jänner', '', 'maerz'],
  // fr
  [
    'janvier',
    'février',
    'mars',
    'avril',
    'mai',
    'juin',
    'juillet',
    'août',
    'septembre',
    'octobre',
    'novembre',
    'décembre',
  ],
  ['janv', 'févr', '', 'avr', '', '', 'juil', '', '', '', '', 'déc'],
  ['', 'fevrier', '', '', '', '', '', 'aout', '', '', '', 'decembre'],
  // es
  [
    'enero',
    'febrero',
    'marzo',
    'abril',
    'mayo',
    'junio',
    'julio',
    'agosto',
    'septiembre',
    'octubre',
    'noviembre',
    'diciembre',
  ],
  ['ene', '', '', 'abr', '', '', '', 'ago', 'setiembre', '', '', 'dic'],
  // pt
  [
    'janeiro',
    'fevereiro',
    'março',
    'abril',
    'maio',
    'junho',
    'julho',
    'agosto',
    'setembro',
    'outubro',
    'novembro',
    'dezembro',
  ],
  ['', 'fev', 'marco', '', '', '', '', '', 'set', 'out', '', 'dez'],
  // it
  [
    'gennaio',
    'febbraio',
    'marzo',
    'aprile',
    'maggio',
    'giugno',
    'luglio',
    'agosto',
    'settembre',
    'ottobre',
    'novembre',
    'dicembre',
  ],
  ['gen', '', '', '', 'mag', 'giu', 'lug', '', '', 'ott', '', ''],
  // nl
  [
    'januari',
    'februari',
    'maart',
    'april',
    'mei',
    'juni',
    'juli',
    'augustus',
    'september',
    'oktober',
    'november',
    'december',
  ],
  ['', '', 'mrt'],
  // ru: nominative and genitive ("2 февраля")
  ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'],
  [
    'января',
    'февраля',
    'марта',
    'апреля',
    'мая',
    'июня',
    'июля',
    'августа',
    'сентября',
    'октября',
    'ноября',
    'декабря',
  ],
  // pl (genitive, as dates print them)
  [
    'stycznia',
    'lutego',
    'marca',
    'kwietnia',
    'maja',
    'czerwca',
    'lipca',
    'sierpnia',
    'września',
    'października',
    'listopada',
    'grudnia',
  ],
  // sv, da, no
  [
    'januari',
    'februari',
    'mars',
    'april',
    'maj',
    'juni',
    'juli',
    'augusti',
    'september',
    'oktober',
    'november',
    'december',
  ],
  // tr
  ['ocak', 'şubat', 'mart', 'nisan', 'mayıs', 'haziran', 'temmuz', 'ağustos', 'eylül', 'ekim', 'kasım', 'aralık'],
  // cs, sk (genitive)
  [
    'ledna',
    'února',
    'března',
    'dubna',
    'května',
    'června',
    'července',
    'srpna',
    'září',
    'října',
    'listopadu',
    'prosince',
  ],
  [
    'januára',
    'februára',
    'marca',
    'apríla',
    'mája',
    'júna',
    'júla',
    'augusta',
    'septembra',
    'októbra',
    'novembra',
    'decembra',
  ],
  // ro
  [
    'ianuarie',
    'februarie',
    'martie',
    'aprilie',
    'mai',
    'iunie',
    'iulie',
    'august',
    'septembrie',
    'octombrie',
    'noiembrie',
    'decembrie',
  ],
  // hu, with its abbreviations
  [
    'január',
    'február',
    'március',
    'április',
    'május',
    'június',
    'július',
    'augusztus',
    'szeptember',
    'október',
    'november',
    'december',
  ],
  ['', 'febr', 'márc', 'ápr', 'máj', 'jún', 'júl', '', 'szept'],
  // fi (partitive, as dates print them)
  [
    'tammikuuta',
    'helmikuuta',
    'maaliskuuta',
    'huhtikuuta',
    'toukokuuta',
    'kesäkuuta',
    'heinäkuuta',
    'elokuuta',
    'syyskuuta',
    'lokakuuta',
    'marraskuuta',
    'joulukuuta',
  ],
  // id, ms
  [
    'januari',
    'februari',
    'maret',
    'april',
    'mei',
    'juni',
    'juli',
    'agustus',
    'september',
    'oktober',
    'november',
    'desember',
  ],
  ['', '', '', '', '', '', 'julai', 'ogos', '', '', '', 'disember'],
  // uk (genitive), bg
  [
    'січня',
    'лютого',
    'березня',
    'квітня',
    'травня',
    'червня',
    'липня',
    'серпня',
    'вересня',
    'жовтня',
    'листопада',
    'грудня',
  ],
  ['януари', 'февруари', '', 'април', '', 'юни', 'юли', '', 'септември', 'октомври', 'ноември', 'декември'],
  // sr (Latin and Cyrillic), sl (genitive, then nominative)
  ['januar', 'februar', 'mart', 'april', 'maj', 'jun', 'jul', 'avgust', 'septembar', 'oktobar', 'novembar', 'decembar'],
  ['јануар', 'фебруар', 'март', 'април', 'мај', 'јун', 'јул', 'август', 'септембар', 'октобар', 'новембар', 'децембар'],
  ['januarja', 'februarja', 'marca', 'aprila', 'maja', 'junija', 'julija', 'avgusta', '', 'oktobra'],
  ['', '', 'marec', '', '', 'junij', 'julij'],
  // hr (genitive, then nominative; not "listopada", which is October in Croatian and November in Polish)
  [
    'siječnja',
    'veljače',
    'ožujka',
    'travnja',
    'svibnja',
    'lipnja',
    'srpnja',
    'kolovoza',
    'rujna',
    '',
    'studenoga',
    'prosinca',
  ],
  [
    'siječanj',
    'veljača',
    'ožujak',
    'travanj',
    'svibanj',
    'lipanj',
    'srpanj',
    'kolovoz',
    'rujan',
    '',
    'studenog',
    'prosinac',
  ],
  // lt (genitive, "2021 m. lapkričio 3 d."), is
  [
    'sausio',
    'vasario',
    'kovo',
    'balandžio',
    'gegužės',
    'birželio',
    'liepos',
    'rugpjūčio',
    'rugsėjo',
    'spalio',
    'lapkričio',
    'gruodžio',
  ],
  ['janúar', 'febrúar', '', 'apríl', 'maí', 'júní', 'júlí', 'ágúst', '', 'október', 'nóvember'],
  // hi, with both spellings of the nasal
  ['जनवरी', 'फ़रवरी', 'मार्च', 'अप्रैल', 'मई', 'जून', 'जुलाई', 'अगस्त', 'सितंबर', 'अक्टूबर', 'नवंबर', 'दिसंबर'],
  ['', 'फरवरी', '', '', '', '', '', '', 'सितम्बर', '', 'नवम्बर', 'दिसम्बर'],
  // el (genitive)
  [
    'ιανουαρίου',
    'φεβρουαρίου',
    'μαρτίου',
    'απριλίου',
    'μαΐου',
    'ιουνίου',
    'ιουλίου',
    'αυγούστου',
    'σεπτεμβρίου',
    'οκτωβρίου',
    'νοεμβρίου',
    'δεκεμβρίου',
  ],
  // ar
  ['يناير', 'فبراير', 'مارس', 'أبريل', 'مايو', 'يونيو', 'يوليو', 'أغسطس', 'سبتمبر', 'أكتوبر', 'نوفمبر', 'ديسمبر'],
  ['', '', '', 'ابريل', '', '', '', 'اغسطس', '', 'اكتوبر'],
  // ar: the Levant's and Iraq's month names, then the Maghreb's
  [
    'كانون الثاني',
    'شباط',
    'آذار',
    'نيسان',
    'أيار',
    'حزيران',
    'تموز',
    'آب',
    'أيلول',
    'تشرين الأول',
    'تشرين الثاني',
    'كانون الأول',
  ],
  ['جانفي', 'فيفري', '', 'أفريل', 'ماي', 'جوان', 'جويلية', 'أوت'],
  // he, also with the preposition a date takes ("18 באוקטובר 2023")
  ['ינואר', 'פברואר', 'מרץ', 'אפריל', 'מאי', 'יוני', 'יולי', 'אוגוסט', 'ספטמבר', 'אוקטובר', 'נובמבר', 'דצמבר'],
  [
    'בינואר',
    'בפברואר',
    'במרץ',
    'באפריל',
    'במאי',
    'ביוני',
    'ביולי',
    'באוגוסט',
    'בספטמבר',
    'באוקטובר',
    'בנובמבר',
    'בדצמבר',
  ],
];
for (const names of MONTH_NAMES) names.forEach((name, index) => name && (MONTHS[name] ??= index + 1));

const MONTH = `(${Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|')})\\.?`;
const YEAR = '((?:19|20)\\d{2})';
const DAY = '(\\d{1,2})(?:st|nd|rd|th|er|º|°)?';

/** Each pattern with where its year, month and day are. */
const PATTERNS: { pattern: RegExp; year: number; month: number; day: number; named: boolean }[] = [
  // 2025-12-17, 2025/12/17, 2025.12.17, 2025-12-17T10:00:00Z
  { pattern: new RegExp(`\\b${YEAR}[-/.](\\d{1,2})[-/.](\\d{1,2})(?!\\d)`), year: 1, month: 2, day: 3, named: false },
  // December 17, 2025 · Dec. 17 2025
  {
    pattern: new RegExp(`(?<![\\p{L}])${MONTH}\\s+${DAY},?\\s+${YEAR}\\b`, 'iu'),
    year: 3,
    month: 1,
    day: 2,
    named: true,
  },
  // 17 December 2025 · 31. Mai 2019 · 17 de diciembre de 2025 · 2 февраля 2021 г. · 04-Aug-2021
  {
    pattern: new RegExp(
      `\\b${DAY}\\.?(?:\\s*|-)(?:de\\s+)?${MONTH}(?![\\p{L}])(?:\\s*,?\\s*|-)(?:de\\s+|del\\s+)?${YEAR}\\b`,
      'iu',
    ),
    year: 3,
    month: 2,
    day: 1,
    named: true,
  },
  // 2025. december 17. (Hungarian) · 2025 m. gruodžio 17 d. (Lithuanian) · 2025 December 17
  {
    pattern: new RegExp(`\\b${YEAR}\\.?(?:\\s+m\\.)?\\s+${MONTH}\\s+${DAY}(?!\\d)`, 'iu'),
    year: 1,
    month: 2,
    day: 3,
    named: true,
  },
  // 17 tháng 12, 2025 · ngày 17 tháng 12 năm 2025 (Vietnamese)
  {
    pattern: new RegExp(`\\b(\\d{1,2})\\s+tháng\\s+(\\d{1,2})(?:\\s*,\\s*|\\s+năm\\s+)${YEAR}\\b`, 'iu'),
    year: 3,
    month: 2,
    day: 1,
    named: false,
  },
  // 17.12.2025 (day first wherever the dotted form is used)
  { pattern: new RegExp(`\\b(\\d{1,2})\\.(\\d{1,2})\\.${YEAR}\\b`), year: 3, month: 2, day: 1, named: false },
  // 2025年12月17日 (Chinese, Japanese) · 2025년 12월 17일 (Korean)
  {
    pattern: new RegExp(`${YEAR}\\s*[年년]\\s*(\\d{1,2})\\s*[月월]\\s*(\\d{1,2})\\s*[日일]`),
    year: 1,
    month: 2,
    day: 3,
    named: false,
  },
];

/** Arabic-Indic, Persian, Devanagari and full-width digits ("٣ نوفمبر ٢٠٢١", "２０２１年３月３日"), read as 0–9. */
const DIGIT_ZEROS = [0x660, 0x6f0, 0x966, 0xff10];
const OTHER_DIGITS = /[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\uff10-\uff19]/g;
function asciiDigit(digit: string): string {
  const code = digit.charCodeAt(0);
  const zero = DIGIT_ZEROS.findLast((candidate) => code >= candidate)!;
  return String(code - zero);
}

/** Text that names a date but not the story's: copyright lines, "updated" stamps are told apart by the caller. */
const NOT_A_PUBLICATION = /©|\bcopyright\b/i;

/**
 * Every form read here has a four-digit year: text without one is no date, told without lower-casing it and trying
 * each pattern (the metadata reader asks this of dozens of lines per page, most of them no date).
 */
const ANY_YEAR = /(?:19|20)\d{2}/;
/** 12/17/2025, 17/12/2025 and the dashed 17-12-2025, one separator throughout. */
const SLASHED = new RegExp(`\\b(\\d{1,2})([/-])(\\d{1,2})\\2${YEAR}\\b`);

/** How a page writes a slashed date whose day and month are both 12 or under, from its declared locale. */
export type SlashedOrder = 'day-first' | 'month-first' | 'unknown';

/** English outside the United States writes the day first; without a region, an English page could be either. */
const DAY_FIRST_ENGLISH = new Set(['gb', 'uk', 'au', 'nz', 'ie', 'in', 'za', 'ng', 'ke', 'sg', 'pk', 'my']);
/** Languages whose numeric dates run year first (2021/3/4): a slashed date without the year first is no habit of theirs. */
const YEAR_FIRST_LANGUAGES = new Set(['zh', 'ja', 'ko', 'hu', 'lt', 'fa', 'mn']);

/** "pt-BR", "de", "en_GB" → day first; "en-US" → month first; "en", "ja", none → unknown. */
export function slashedOrderOf(locale: string | null): SlashedOrder {
  const [language, region] = (locale ?? '').trim().toLowerCase().split(/[-_]/);
  if (!language || !/^[a-z]{2,3}$/.test(language) || YEAR_FIRST_LANGUAGES.has(language)) return 'unknown';
  if (language !== 'en') return 'day-first';
  if (region === 'us') return 'month-first';
  return region && DAY_FIRST_ENGLISH.has(region) ? 'day-first' : 'unknown';
}

export interface DateTextOptions {
  /** Today, in ms since the epoch: a date after tomorrow is refused. */
  now?: number;
  slashedOrder?: SlashedOrder;
}

export function parseDateText(
  text: string,
  { now = Date.now(), slashedOrder = 'unknown' }: DateTextOptions = {},
): string | null {
  text = text.replace(OTHER_DIGITS, asciiDigit);
  if (!ANY_YEAR.test(text) || NOT_A_PUBLICATION.test(text)) return null;
  const lower = text.toLowerCase();
  let best: { index: number; iso: string } | null = null;
  for (const { pattern, year, month, day, named } of PATTERNS) {
    const match = pattern.exec(lower);
    if (!match) continue;
    const monthNumber = named ? MONTHS[match[month]!.replace(/\.$/, '')] : Number(match[month]);
    const iso = calendarDay(Number(match[year]), monthNumber ?? 0, Number(match[day]), now);
    if (iso && (!best || match.index < best.index)) best = { index: match.index, iso };
  }
  return best?.iso ?? slashedDate(lower, now, slashedOrder);
}

/** 12/17/2025 or 17/12/2025: the order from a day over 12, else from the page's locale. */
function slashedDate(text: string, now: number, order: SlashedOrder): string | null {
  const match = SLASHED.exec(text);
  if (!match) return null;
  const [first, second, year] = [Number(match[1]), Number(match[3]), Number(match[4])];
  if (first > 12 && second <= 12) return calendarDay(year, second, first, now);
  if (second > 12 && first <= 12) return calendarDay(year, first, second, now);
  if (order === 'day-first') return calendarDay(year, second, first, now);
  if (order === 'month-first') return calendarDay(year, first, second, now);
  return null;
}

function calendarDay(year: number, month: number, day: number, now: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  // 31 February and the like roll over: refused. So is a day after tomorrow (a scheduled event, not a dateline).
  if (date.getUTCMonth() !== month - 1 || time > now + 2 * 86_400_000 || year < 1990) return null;
  return date.toISOString().slice(0, 10);
}
