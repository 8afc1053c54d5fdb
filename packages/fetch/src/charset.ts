import iconv from 'iconv-lite';
import { labelToName } from 'whatwg-encoding';

export type DecodedSource = 'bom' | 'utf8' | 'http' | 'document' | 'fallback';

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
  if (hasNonAscii(buffer) && isValidUtf8(buffer))
    return { text: buffer.toString('utf8'), encoding: 'UTF-8', source: 'utf8' };

  const declared = [
    { label: charsetFromContentType(contentType), source: 'http' as const },
    { label: declaredInDocument(buffer), source: 'document' as const },
  ];
  for (const { label, source } of declared) {
    const name = label ? normalizeEncoding(label) : null;
    // A UTF-16/32 label on bytes without BOM or NUL patterns is a mislabel: the text is ASCII-compatible.
    if (name && !/^UTF-(?:16|32)/i.test(name)) return { text: iconv.decode(buffer, name), encoding: name, source };
  }
  if (!hasNonAscii(buffer)) return { text: buffer.toString('latin1'), encoding: 'UTF-8', source: 'utf8' };
  return { text: iconv.decode(buffer, 'windows-1252'), encoding: 'windows-1252', source: 'fallback' };
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

function hasNonAscii(buffer: Buffer): boolean {
  for (const byte of buffer) if (byte >= 0x80) return true;
  return false;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function isValidUtf8(buffer: Buffer): boolean {
  try {
    utf8Decoder.decode(buffer);
    return true;
  } catch {
    return false;
  }
}
