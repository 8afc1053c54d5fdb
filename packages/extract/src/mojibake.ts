import { c1AsWindows1252, WINDOWS_1252_HIGH } from '@newsflow/core/windows-1252';

/**
 * Text encoded as UTF-8 twice ("doesnât", "â€™", "Ã©"): a page's UTF-8 bytes once read as windows-1252 or Latin-1
 * and saved again as UTF-8. Each UTF-8 sequence then shows as a lead character (Â–ô) followed by one to three
 * characters standing for continuation bytes: U+0080–U+00BF as Latin-1 reads them, or what windows-1252 makes of
 * bytes 0x80–0x9F (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ).
 */
const CONTINUATION = `[\\u0080-\\u00BF${WINDOWS_1252_HIGH.replace(/[\u0080-\u009F]/g, '')}]`;
const DOUBLE_ENCODED = new RegExp(
  `[\\u00C2-\\u00DF]${CONTINUATION}|[\\u00E0-\\u00EF]${CONTINUATION}{2}|[\\u00F0-\\u00F4]${CONTINUATION}{3}`,
  'g',
);
const LEAD = /[\u00C2-\u00F4]/;
/**
 * A no-break space encoded twice is "Â" and U+00A0; white space is normalized before the check (U+00A0 becomes a
 * space), which leaves an "Â" alone before a space or at the end: never a word of its own in any language.
 */
const DOUBLE_ENCODED_NO_BREAK_SPACE = /\u00C2(?=\s|$)/g;
/** Fewer sequences than this are more likely real text ("Â©" in a footer) than a page encoded twice. */
const MIN_SEQUENCES = 3;

function byteOf(char: string): number {
  const code = char.charCodeAt(0);
  if (code <= 0xff) return code;
  return 0x80 + WINDOWS_1252_HIGH.indexOf(char);
}

/** True when `text` holds enough twice-encoded sequences to be sure it is encoded twice, not real text. */
export function isDoubleEncoded(text: string): boolean {
  if (!LEAD.test(text)) return false;
  const sequences =
    (text.match(DOUBLE_ENCODED)?.length ?? 0) + (text.match(DOUBLE_ENCODED_NO_BREAK_SPACE)?.length ?? 0);
  return sequences >= MIN_SEQUENCES;
}

/** Each twice-encoded sequence decoded back, whatever their number (the caller has decided the text is encoded twice). */
export function decodeSequences(text: string): string {
  return text.replace(DOUBLE_ENCODED_NO_BREAK_SPACE, '').replace(DOUBLE_ENCODED, decodeSequence);
}

function decodeSequence(sequence: string): string {
  const decoded = Buffer.from(Array.from(sequence, byteOf)).toString('utf8');
  // Not a UTF-8 sequence after all (a continuation out of range for its lead): left as it was.
  return decoded.includes('\uFFFD') ? sequence : decoded;
}

const C1_CONTROL = /[\u0080-\u009F]/;

/**
 * C1 control characters read back, however few: no text means one, so each is a byte 0x80–0x9F that a Latin-1
 * reading let through. Inside a twice-encoded sequence the sequence is decoded ("JaroÅ\u0084" is "Jaroń"); alone it
 * is the Windows-1252 character that byte stands for ("don\u0092t" is "don’t"), nothing for the five it leaves
 * undefined. `encodedTwice`: a sequence was decoded, proof that the text was encoded twice (its other sequences,
 * such as "Ã©", are then decoded too, however few: see decodeSequences). Text without one, nearly every page, is
 * returned after one scan.
 */
export function decodeC1Controls(text: string): { text: string; encodedTwice: boolean } {
  if (!C1_CONTROL.test(text)) return { text, encodedTwice: false };
  let encodedTwice = false;
  const decoded = text.replace(DOUBLE_ENCODED, (sequence) => {
    if (!C1_CONTROL.test(sequence)) return sequence;
    const character = decodeSequence(sequence);
    encodedTwice ||= character !== sequence;
    return character;
  });
  return { text: c1AsWindows1252(decoded), encodedTwice };
}
