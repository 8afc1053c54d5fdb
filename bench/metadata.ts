/**
 * `pnpm bench metadata [--misses N] [--field title|author|date]`: title, author and publication date on WCXB's
 * development pages, exact after light normalization (Unicode NFKC, white space, quote and dash forms; a date is
 * compared as its calendar day, YYYY-MM-DD). A page annotated with no author or date counts as right only when none
 * is returned. Figures for the two fixed halves of the corpus (`halfOf`) and the whole, then the misses.
 */
import { parseArgs } from 'node:util';
import { decodeBytes } from '@newsflow/fetch';
import { extractArticle } from '@newsflow/extract';
import { halfOf, loadWcxbPages } from './corpus.ts';

const FIELDS = ['title', 'author', 'date'] as const;
type Field = (typeof FIELDS)[number];

export function normalizeForComparison(value: string | null): string | null {
  if (value === null) return null;
  const normalized = value
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
  return normalized || null;
}

interface Outcome {
  id: string;
  url: string;
  field: Field;
  expected: string | null;
  got: string | null;
}

export async function benchMetadata(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { misses: { type: 'string' }, field: { type: 'string' } } });
  const pages = loadWcxbPages();
  const outcomes: (Outcome & { half: 'A' | 'B'; right: boolean })[] = [];
  const started = performance.now();
  for (const page of pages) {
    const article = extractArticle(decodeBytes(page.html).text, page.url);
    const got: Record<Field, string | null> = {
      title: normalizeForComparison(article.title),
      author: normalizeForComparison(article.author),
      date: article.publishedAt?.slice(0, 10) ?? null,
    };
    const expected: Record<Field, string | null> = {
      title: normalizeForComparison(page.title),
      author: normalizeForComparison(page.author),
      date: page.publishedAt,
    };
    for (const field of FIELDS)
      outcomes.push({
        id: page.id,
        url: page.url,
        field,
        expected: expected[field],
        got: got[field],
        half: halfOf(page.id),
        right: expected[field] === got[field],
      });
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`metadata: ${pages.length} WCXB dev pages, exact match (${seconds.toFixed(1)} s)`);
  const rate = (field: Field, half?: 'A' | 'B') => {
    const scored = outcomes.filter((entry) => entry.field === field && (!half || entry.half === half));
    return `${(scored.filter((entry) => entry.right).length / scored.length).toFixed(3)} (${scored.length})`;
  };
  console.log(`  ${'field'.padEnd(8)} ${'half A'.padEnd(14)} ${'half B'.padEnd(14)} all`);
  for (const field of FIELDS)
    console.log(`  ${field.padEnd(8)} ${rate(field, 'A').padEnd(14)} ${rate(field, 'B').padEnd(14)} ${rate(field)}`);
  const misses = outcomes.filter(
    (entry) => !entry.right && (!values.field || entry.field === values.field) && entry.half === 'A',
  );
  const shown = Number(values.misses ?? 20);
  if (shown > 0 && misses.length > 0) {
    console.log(`\nmisses on half A (${misses.length}; --misses N for more, --field F for one field):`);
    for (const miss of misses.slice(0, shown))
      console.log(
        `  ${miss.id} ${miss.field.padEnd(6)} expected ${JSON.stringify(miss.expected)}  got ${JSON.stringify(miss.got)}  ${miss.url}`,
      );
  }
}
