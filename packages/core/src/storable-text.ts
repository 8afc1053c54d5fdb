/**
 * Text cleaned of what no database takes, in a module of its own (`@newsflow/core/storable-text`): the extraction
 * threads clean paragraphs with it and must not load the rest of core.
 */

/** NUL (PostgreSQL refuses it in text), other C0 controls but tab and newline, and UTF-16 halves with no partner. */
const UNSTORABLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The same set, without the global flag: `test` on a /g regex would carry lastIndex from call to call. */
const HAS_UNSTORABLE = new RegExp(UNSTORABLE.source);

export function cleanText(text: string): string {
  return HAS_UNSTORABLE.test(text) ? text.replace(UNSTORABLE, '') : text;
}
