/** Offsets of the zone names feeds use (RFC 822 §5.1 plus the European and Russian ones seen in the wild). */
const ZONES: Record<string, number> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  WET: 0,
  BST: 60,
  WEST: 60,
  CET: 60,
  MET: 60,
  CEST: 120,
  MEST: 120,
  EET: 120,
  EEST: 180,
  MSK: 180,
  MSD: 240,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  AKST: -540,
  AKDT: -480,
  HST: -600,
  IST: 330,
  JST: 540,
  KST: 540,
  AEST: 600,
  AEDT: 660,
  NZST: 720,
  NZDT: 780,
};

/** A zone: a name ("EST") or an offset, bare or after GMT/UTC ("+0200", "-05:00", "GMT+2", "UTC+02:00"). */
const ZONE = String.raw`(?:gmt|utc|ut)?[+-]\d{1,2}(?::?\d{2})?|[a-z]{1,5}`;
/** "Tue, 02 Jan 2024 15:04:05 GMT", "2 Jan 24 15:04 +0100", "02-Jan-2024 15:04 GMT+1". */
const RFC_822 = new RegExp(
  String.raw`^(?:[a-z]{3,9},?\s*)?(\d{1,2})[\s-]+([a-z]{3,9})\.?[\s-]+(\d{2}|\d{4})(?:\s+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?\s*(am|pm)?)?\s*(${ZONE})?$`,
  'i',
);
/** fromMonthFirst's pattern; it also reads JavaScript's Date#toString, "Tue Jan 02 2024 03:04:05 GMT+0200". */
const MONTH_FIRST = new RegExp(
  String.raw`^(?:[a-z]{3,9},?\s+)?([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:,?\s+(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?)?\s*(${ZONE})?$`,
  'i',
);
/** fromUnixDate's pattern. */
const UNIX_DATE = new RegExp(
  String.raw`^(?:[a-z]{3,9}\s+)?([a-z]{3,9})\s+(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+(?:(${ZONE})\s+)?(\d{4})$`,
  'i',
);

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Parses the dates feeds carry into ISO 8601 UTC, or null: RFC 822/1123 (with zone names or numeric offsets, also
 * after GMT or UTC, day name optional, two-digit years only when a zone makes them unambiguous: 19xx/20xx by the RFC
 * 2822 rule), RFC 3339 and W3C-DTF (date only, minutes only, fractions, a zone name after the time), the month-first
 * forms feeds written by hand or by other libraries carry ("January 2, 2006 3:04 PM EST", Unix `date`'s "Mon Jan 2
 * 15:04:05 MST 2006", JavaScript's "Tue Jan 02 2024 03:04:05 GMT+0200 (CEST)"), and epoch seconds; see normalized
 * for the variations around them (the day-first dotted "02.01.2006 15:04" of German and Russian feeds among them).
 * A time without a zone is read as UTC.
 */
export function parseFeedDate(raw: string | null | undefined): string | null {
  const value = raw === null || raw === undefined ? '' : normalized(raw);
  if (!value) return null;
  return fromIso(value) ?? fromRfc822(value) ?? fromMonthFirst(value) ?? fromUnixDate(value) ?? fromEpoch(value);
}

/**
 * The variations feeds write around the forms the parsers read, undone: white space collapsed; a trailing comment,
 * as RFC 822 allows and JavaScript's Date#toString writes ("+0000 (UTC)"); a zone given twice, by name and offset
 * ("MST -0700", "-0700 GMT"), by its offset; "p.m." as "pm"; "at" or a comma between date and time; a day name
 * before an ISO date or spaced from its comma, or in another language ("Di, 02 Jan 2006"); a year-first date written
 * with slashes ("2006/01/02"); ISO 8601's basic format ("20060102T150405Z").
 */
function normalized(raw: string): string {
  return (
    raw
      .trim()
      .replace(/\s+/g, ' ')
      .replace(/\s*\([^()]*\)$/, '')
      .replace(/\s*\b(?!(?:am|pm)\b)[a-z]{1,5}\s*([+-]\d{2}:?\d{2})$/i, ' $1')
      .replace(/([+-]\d{2}:?\d{2})\s+[a-z]{1,5}$/i, '$1')
      .replace(/\b([ap])\.m\.?$/i, '$1m')
      .replace(/,? at (?=\d{1,2}:)/i, ' ')
      .replace(/(\d{4}), (?=\d{1,2}:)/, '$1 ')
      .replace(/^([a-z]{3,9}) ,/i, '$1,')
      .replace(/^[a-z]{3,9},? (?=\d{4}-)/i, '')
      .replace(/^(\d{4})\/(\d{1,2})\/(\d{1,2})\b/, '$1-$2-$3')
      // ISO 8601's basic format: "20060102T150405Z".
      .replace(
        /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?(?=Z|[+-]\d|$)/,
        (_, y, mo, d, h, mi, sec) => `${y}-${mo}-${d}T${h}:${mi}${sec ? `:${sec}` : ''}`,
      )
      // A day name in another language, which says nothing the date does not: "Di, 02 Jan 2006", "Mié, 2 ene".
      .replace(/^\p{L}{2,9}\.?, ?(?=\d)/u, '')
      // Day first with dots, as German and Russian feeds write it, the time before or after: "15:04 02.01.2006".
      .replace(/^(\d{1,2}:\d{2}(?::\d{2})?) (\d{1,2})\.(\d{1,2})\.(\d{4})\b/, '$4-$3-$2 $1')
      .replace(/^(\d{1,2})\.(\d{1,2})\.(\d{4})\b/, '$3-$2-$1')
  );
}

function fromIso(value: string): string | null {
  const match =
    /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*([a-z]{1,5}|[+-]\d{2}:?\d{2})?$/i.exec(
      value,
    );
  if (!match) return null;
  const [, year, month = '01', day = '01', hour = '00', minute = '00', second = '00', fraction = '0', zone] = match;
  const offset = zone ? zoneOffset(zone) : 0;
  if (offset === null) return null;
  return build(
    Number(year),
    Number(month),
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    Number(`0.${fraction}`) * 1000,
    offset,
  );
}

function fromRfc822(value: string): string | null {
  const match = RFC_822.exec(value);
  if (!match) return null;
  const [, day, monthName, yearText, hour = '0', minute = '0', second = '0', meridiem, zone] = match;
  const month = MONTHS.indexOf(monthName!.slice(0, 3).toLowerCase()) + 1;
  const hours = hours24(hour, meridiem);
  if (month === 0 || hours === null) return null;
  let year = Number(yearText);
  // RFC 2822 §4.3: two-digit years 00-49 are 20xx, 50-99 are 19xx.
  if (yearText!.length === 2) year += year < 50 ? 2000 : 1900;
  const offset = zone ? zoneOffset(zone) : 0;
  if (offset === null) return null;
  return build(year, month, Number(day), hours, Number(minute), Number(second), 0, offset);
}

/** 0–23 from a clock hour and its "am" or "pm", if any; null for an hour that cannot go with it ("13 pm"). */
function hours24(hour: string, meridiem: string | undefined): number | null {
  const hours = Number(hour);
  if (!meridiem) return hours;
  if (hours < 1 || hours > 12) return null;
  return (hours % 12) + (meridiem.toLowerCase() === 'pm' ? 12 : 0);
}

/** "January 2, 2006", "Jan 2, 2006 3:04 PM", "Monday, January 2nd, 2006 at 15:04:05 EST". */
function fromMonthFirst(value: string): string | null {
  const match = MONTH_FIRST.exec(value);
  if (!match) return null;
  const [, monthName, day, year, hour = '0', minute = '0', second = '0', meridiem, zone] = match;
  return clockTime(monthName!, day!, year!, hour, minute, second, meridiem, zone);
}

/** Unix `date` and Ruby's Time#to_s: "Mon Jan 2 15:04:05 MST 2006", "Mon Jan 02 15:04:05 -0700 2006". */
function fromUnixDate(value: string): string | null {
  const match = UNIX_DATE.exec(value);
  if (!match) return null;
  const [, monthName, day, hour, minute, second = '0', zone, year] = match;
  return clockTime(monthName!, day!, year!, hour!, minute!, second, undefined, zone);
}

function clockTime(
  monthName: string,
  day: string,
  year: string,
  hour: string,
  minute: string,
  second: string,
  meridiem: string | undefined,
  zone: string | undefined,
): string | null {
  const month = MONTHS.indexOf(monthName.slice(0, 3).toLowerCase()) + 1;
  const offset = zone ? zoneOffset(zone) : 0;
  const hours = hours24(hour, meridiem);
  if (month === 0 || offset === null || hours === null) return null;
  return build(Number(year), month, Number(day), hours, Number(minute), Number(second), 0, offset);
}

/** Minutes east of UTC for a zone name or a numeric offset; null for a name not known. */
function zoneOffset(zone: string): number | null {
  if (/^(?:gmt|utc|ut)?[+-]/i.test(zone)) return offsetMinutes(zone);
  return ZONES[zone.toUpperCase()] ?? null;
}

function fromEpoch(value: string): string | null {
  if (!/^\d{9,10}$/.test(value)) return null;
  return new Date(Number(value) * 1000).toISOString();
}

function offsetMinutes(zone: string): number {
  const match = /([+-])(\d{1,2}):?(\d{2})?$/.exec(zone)!;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? 0));
}

function build(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
  offset: number,
): string | null {
  // Date.UTC would roll 31 February over into March: a date that does not exist is not one.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 24 || minute > 59 || second > 60) return null;
  const time = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), Math.floor(millis)) - offset * 60_000;
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
