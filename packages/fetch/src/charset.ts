import { isAscii, isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { labelToName } from 'whatwg-encoding';

export type DecodedSource = 'bom' | 'utf8' | 'http' | 'document' | 'detected' | 'fallback';

export interface DecodedText {
  text: string;
  /** WHATWG name of the encoding used, e.g. `UTF-8`, `windows-1251`. */
  encoding: string;
  /** Which evidence decided it. */
  source: DecodedSource;
}

const PRESCAN_BYTES = 4096;

/**
 * Turns fetched bytes into text. Evidence, strongest first: a byte-order mark; bytes that are valid UTF-8 with
 * non-ASCII content (servers often send UTF-8 under a stale `charset=iso-8859-1`); the HTTP charset; the XML
 * declaration or `<meta>` charset; windows-1252, which browsers assume for unlabeled legacy pages.
 */
export function decodeBytes(bytes: Uint8Array, contentType?: string): DecodedText {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bom = detectBom(buffer);
  if (bom)
    return { text: iconv.decode(buffer.subarray(bom.length), bom.encoding), encoding: bom.encoding, source: 'bom' };
  const utf16 = detectWideEncodingWithoutBom(buffer);
  if (utf16) return { text: iconv.decode(buffer, utf16), encoding: utf16, source: 'document' };
  const ascii = isAscii(buffer);
  if (!ascii && isUtf8(buffer)) return { text: buffer.toString('utf8'), encoding: 'UTF-8', source: 'utf8' };

  const declared = [
    { label: charsetFromContentType(contentType), source: 'http' as const },
    { label: declaredInDocument(buffer), source: 'document' as const },
  ];
  for (const { label, source } of declared) {
    const name = label ? normalizeEncoding(label) : null;
    // A UTF-16/32 label on bytes without BOM or NUL patterns is a mislabel: the text is ASCII-compatible.
    if (name && !/^UTF-(?:16|32)/i.test(name)) return { text: iconv.decode(buffer, name), encoding: name, source };
  }
  if (ascii) return { text: buffer.toString('latin1'), encoding: 'UTF-8', source: 'utf8' };
  const detected = detectEncoding(buffer);
  if (detected) return { text: iconv.decode(buffer, detected), encoding: detected, source: 'detected' };
  return { text: iconv.decode(buffer, 'windows-1252'), encoding: 'windows-1252', source: 'fallback' };
}

/** Unlabeled legacy encodings worth telling apart; windows-1252 (Western) wins ties as browsers assume it. */
const CANDIDATES = [
  'windows-1252',
  'windows-1250',
  'windows-1251',
  'koi8-r',
  'windows-1253',
  'windows-1255',
  'windows-1256',
  'Shift_JIS',
  'EUC-JP',
  'gb18030',
  'Big5',
  'EUC-KR',
];
const DETECTION_SAMPLE_BYTES = 16 * 1024;

/**
 * Statistical detection for bytes that are neither UTF-8 nor labeled: each candidate decodes a sample and is scored
 * on how much it reads like text. Letters inside words should be lower case (KOI8-R read as windows-1251 comes out
 * in capitals, and the reverse), multi-byte decoders must not hit invalid sequences, and control characters do not
 * occur in prose. Returns null when windows-1252 is as good as any.
 */
function detectEncoding(buffer: Buffer): string | null {
  const sample = buffer.subarray(0, DETECTION_SAMPLE_BYTES);
  const western = textScore(iconv.decode(sample, 'windows-1252'));
  let best = { encoding: 'windows-1252', score: western };
  for (const encoding of CANDIDATES.slice(1)) {
    const score = textScore(iconv.decode(sample, encoding));
    if (score > best.score) best = { encoding, score };
  }
  // A few stray bytes prove nothing: another encoding must read clearly better than the default.
  return best.score > western + Math.max(8, Math.abs(western) * 0.1) ? best.encoding : null;
}

function textScore(text: string): number {
  let score = 0;
  let previousLetter = false;
  let previousAccented = false;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) {
      previousLetter = /[A-Za-z]/.test(char);
      previousAccented = false;
      continue;
    }
    const letter = /\p{L}/u.test(char);
    const accented = letter && /\p{Script=Latin}/u.test(char);
    if (char === '\ufffd' || code < 0xa0) score -= 20;
    else if (code >= 0xff61 && code <= 0xff9f)
      score -= 2; // half-width katakana: what other encodings decode into
    else if (letter) {
      const lower = char.toLowerCase() === char && char.toUpperCase() !== char;
      const caseless = char.toLowerCase() === char.toUpperCase();
      // Kana and Hangul only come out of the right decoder; any byte pair decodes to some ideograph in GB18030 or
      // Big5, so ideographs count for less. Cased letters count when lower case inside a word; runs of accented
      // Latin letters ("Ìîñêâà") are what Cyrillic or Greek bytes look like through a Western code page.
      if (/[\u3040-\u30ff\p{Script=Hangul}]/u.test(char)) score += 3;
      else if (caseless) score += 1;
      else if (accented && previousAccented) score -= 1;
      else if (previousLetter) score += lower ? 2 : -2;
      else score += 1;
    } else if (!/[\p{P}\p{S}\p{Z}\p{N}]/u.test(char)) score -= 5;
    previousLetter = letter;
    previousAccented = accented;
  }
  return score;
}

/** WHATWG label → canonical name iconv-lite can decode, or null for unknown labels. */
export function normalizeEncoding(label: string): string | null {
  const name = labelToName(label.trim().toLowerCase());
  if (!name || name === 'replacement' || name === 'x-user-defined') return null;
  return iconv.encodingExists(name) ? name : null;
}

export function charsetFromContentType(contentType: string | undefined): string | null {
  const match = contentType ? /charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType) : null;
  return match?.[1] ?? null;
}

function declaredInDocument(buffer: Buffer): string | null {
  const head = buffer.subarray(0, PRESCAN_BYTES).toString('latin1');
  const xml = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(head);
  if (xml) return xml[1]!;
  const metaCharset = /<meta[^>]+charset\s*=\s*["']?\s*([^"'\s/>;]+)/i.exec(head);
  return metaCharset?.[1] ?? null;
}

function detectBom(buffer: Buffer): { encoding: string; length: number } | null {
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) return { encoding: 'UTF-8', length: 3 };
  // UTF-32 before UTF-16: the UTF-32LE mark begins with the UTF-16LE one.
  if (buffer[0] === 0xff && buffer[1] === 0xfe && buffer[2] === 0 && buffer[3] === 0)
    return { encoding: 'UTF-32LE', length: 4 };
  if (buffer[0] === 0 && buffer[1] === 0 && buffer[2] === 0xfe && buffer[3] === 0xff)
    return { encoding: 'UTF-32BE', length: 4 };
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return { encoding: 'UTF-16LE', length: 2 };
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return { encoding: 'UTF-16BE', length: 2 };
  return null;
}

/** `<?` or `<r` encoded as UTF-16 or UTF-32 without a BOM shows up as NUL bytes around it (XML 1.0 appendix F). */
function detectWideEncodingWithoutBom(buffer: Buffer): string | null {
  if (buffer.length < 4) return null;
  if (buffer[0] === 0x3c && buffer[1] === 0 && buffer[2] === 0 && buffer[3] === 0) return 'UTF-32LE';
  if (buffer[0] === 0 && buffer[1] === 0 && buffer[2] === 0 && buffer[3] === 0x3c) return 'UTF-32BE';
  if (buffer[0] === 0x3c && buffer[1] === 0 && buffer[2] !== 0 && buffer[3] === 0) return 'UTF-16LE';
  if (buffer[0] === 0 && buffer[1] === 0x3c && buffer[2] === 0 && buffer[3] !== 0) return 'UTF-16BE';
  return null;
}
