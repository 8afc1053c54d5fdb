/** Query parameters that only track where a click came from; they never select content. */
const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'igshid',
  'twclid',
  'ttclid',
  'li_fat_id',
  'mc_cid',
  'mc_eid',
  '_ga',
  '_gl',
  '_hsenc',
  '_hsmi',
  'ref_src',
  'ref_url',
  'cmpid',
  'ocid',
  'ncid',
  'sr_share',
  'smid',
  'smtyp',
  'spm',
  'share',
  'utm',
  'oly_enc_id',
  'oly_anon_id',
  'vero_id',
  'wt.mc_id',
  'at_medium',
  'at_campaign',
]);
const TRACKING_PREFIXES = ['utm_', 'pk_', 'mtm_', 'hsa_', 'at_'];

function isTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  return TRACKING_PARAMS.has(lower) || TRACKING_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/**
 * The one spelling of an article URL we key everything on (seen set, storage): scheme and host lower-cased,
 * default port, fragment and tracking parameters dropped, remaining parameters sorted. Relative URLs resolve
 * against `base`. Returns null for anything that is not an http(s) URL.
 */
export function canonicalizeUrl(url: string, base?: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim(), base);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  parsed.hash = '';
  parsed.username = '';
  parsed.password = '';
  // The raw pairs, not URLSearchParams: it would rewrite `?x` as `?x=` and re-encode what the site wrote.
  const kept = parsed.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && !isTrackingParam(decodeName(pair.split('=', 1)[0]!)));
  kept.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  parsed.search = kept.length > 0 ? `?${kept.join('&')}` : '';
  return parsed.href;
}

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}
