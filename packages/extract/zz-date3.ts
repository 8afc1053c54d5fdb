import { readFileSync } from 'node:fs';
import * as cheerio from 'cheerio';
import { decodeBytes } from '@newsflow/fetch';
import { loadWcxbPages } from '../../bench/corpus.ts';
const M = ['January','February','March','April','May','June','July','August','September','October','November','December'];
const rows = JSON.parse(readFileSync('/tmp/x/dates.json', 'utf8')) as Record<string, string | null>[];
const byId = new Map(rows.map((r) => [r.id, r]));
function forms(d: string) {
  const [y, m, dd] = d.split('-').map(Number) as [number, number, number];
  const mon = M[m - 1]!;
  const p = (n: number) => String(n).padStart(2, '0');
  return [d, `${mon} ${dd}, ${y}`, `${mon.slice(0, 3)} ${dd}, ${y}`, `${mon.slice(0, 3)}. ${dd}, ${y}`, `${dd} ${mon} ${y}`, `${dd} ${mon.slice(0, 3)} ${y}`, `${dd} ${mon.slice(0, 3)}, ${y}`, `${p(m)}/${p(dd)}/${y}`, `${m}/${dd}/${y}`, `${dd}.${p(m)}.${y}`, `${p(dd)}.${p(m)}.${y}`, `${dd}/${m}/${y}`, `${p(dd)}/${p(m)}/${y}`, `${mon} ${dd} ${y}`, `${dd}th ${mon} ${y}`, `${dd}st ${mon} ${y}`, `${dd}nd ${mon} ${y}`,`${dd}rd ${mon} ${y}`, `${mon} ${dd}th, ${y}`, `${mon} ${dd}st, ${y}`, `${mon} ${dd}nd, ${y}`, `${mon} ${dd}rd, ${y}`];
}
const out: unknown[] = [];
for (const page of loadWcxbPages()) {
  const r = byId.get(page.id)!;
  if (!(r.declared && r.shown && r.declared !== r.shown)) continue;
  const $ = cheerio.load(decodeBytes(page.html).text);
  $('script, style, noscript, template').remove();
  const text = $('body').text().replace(/\s+/g, ' ').toLowerCase();
  const printed = forms(r.declared).some((f) => text.includes(f.toLowerCase()));
  out.push({ ...r, declaredPrinted: printed });
}
console.log(JSON.stringify(out));
