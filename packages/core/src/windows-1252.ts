/**
 * Windows-1252's upper control range, in a module of its own (`@newsflow/core/windows-1252`): the extraction threads
 * use it and must not load the rest of core.
 */

/** The characters Windows-1252 gives bytes 0x80–0x9F; the five it leaves undefined stay the C1 control of that number. */
export const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

const C1_CONTROL = /[\u0080-\u009F]/;
const C1_CONTROLS = /[\u0080-\u009F]/g;

/**
 * Each C1 control character as the Windows-1252 character of the same byte ("don\u0092t" → "don’t"), nothing for
 * the five undefined: no text means a C1 control, so one is a byte 0x80–0x9F that a Latin-1 reading let through.
 */
export function c1AsWindows1252(text: string): string {
  if (!C1_CONTROL.test(text)) return text;
  return text.replace(C1_CONTROLS, (control) => {
    const char = WINDOWS_1252_HIGH[control.charCodeAt(0) - 0x80]!;
    return C1_CONTROL.test(char) ? '' : char;
  });
}
