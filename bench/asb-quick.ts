import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { extractArticle } from '@newsflow/extract';
import { decodeBytes } from '@newsflow/fetch';
const dir = '../shared/corpora/extraction/asb/html_gz';
const truth = JSON.parse(readFileSync('../shared/corpora/extraction/asb/ground-truth.json', 'utf8'));
const preds: Record<string, string> = {};
const t0 = performance.now();
for (const f of readdirSync(dir)) {
  const id = f.replace('.html.gz', '');
  const html = decodeBytes(gunzipSync(readFileSync(`${dir}/${f}`))).text;
  preds[id] = extractArticle(html, truth[id]?.url ?? 'https://example.com/').text;
}
console.error('ms/page', (performance.now() - t0) / 181);
writeFileSync('/tmp/preds.json', JSON.stringify(preds));
