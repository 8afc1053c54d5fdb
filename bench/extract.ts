/**
 * `pnpm bench extract`: extraction quality and speed on the 181 annotated news pages of the ASB corpus, scored by
 * the shared scorer (token 4-gram shingles, as the benchmark's evaluate.py). Prints F1, precision, recall, pages per
 * second on one core (wall and CPU; the median of three passes, alternating with Readability.js), peak memory and
 * the ten worst pages; runs Readability.js 0.6 on linkedom in the same process as the speed (and quality) yardstick.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { decodeBytes } from '@newsflow/fetch';
import { extractArticle } from '@newsflow/extract';
import { CORPORA_DIR, halfOf, loadAsbPages, loadWcxbPages, withPeakRss, type AsbPage } from './corpus.ts';

interface Run {
  predictions: Record<string, string>;
  wallMs: number;
  cpuMs: number;
  peakRssMiB: number;
}

async function timed(pages: AsbPage[], texts: string[], extract: (html: string, url: string) => string): Promise<Run> {
  const predictions: Record<string, string> = {};
  const { result, peakRssMiB } = await withPeakRss(async () => {
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    pages.forEach((page, i) => (predictions[page.id] = extract(texts[i]!, page.url)));
    const cpu = process.cpuUsage(cpuStart);
    return { wallMs: performance.now() - wallStart, cpuMs: (cpu.user + cpu.system) / 1000 };
  });
  return { predictions, ...result, peakRssMiB };
}

/** Passes over the corpus per extractor, the two alternating: a machine whose speed drifts slows both alike. */
const PASSES = 3;

/**
 * The pass of median wall time (the outputs are the same in every pass), with the first pass's peak memory: later
 * passes run in a process that the other extractor's garbage has grown.
 */
function medianPass(runs: Run[]): Run {
  const median = [...runs].sort((a, b) => a.wallMs - b.wallMs)[runs.length >> 1]!;
  return { ...median, peakRssMiB: runs[0]!.peakRssMiB };
}

export async function benchExtract(): Promise<void> {
  const pages = loadAsbPages();
  // Decoding is the fetcher's work; both extractors get the same decoded text.
  const texts = pages.map((page) => decodeBytes(page.html).text);
  const readabilityText = (html: string) => {
    const { document } = parseHTML(html);
    return (
      new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse()?.textContent ?? ''
    );
  };
  const oursRuns: Run[] = [];
  const readabilityRuns: Run[] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    oursRuns.push(await timed(pages, texts, (html, url) => extractArticle(html, url).text));
    readabilityRuns.push(await timed(pages, texts, readabilityText));
  }
  const ours = medianPass(oursRuns);
  const readability = medianPass(readabilityRuns);

  const directory = mkdtempSync(join(tmpdir(), 'newsflow-extract-'));
  const scorer = join(CORPORA_DIR, 'extraction/score.mjs');
  const truth = join(CORPORA_DIR, 'extraction/asb');
  const score = (run: Run, name: string, extra: string[] = []) => {
    const path = join(directory, `${name}.json`);
    writeFileSync(path, JSON.stringify(run.predictions));
    return execFileSync(process.execPath, [scorer, truth, path, '--bootstrap', '0', ...extra], { encoding: 'utf8' });
  };
  const summary = (run: Run, name: string) => {
    const scores = JSON.parse(score(run, name, ['--json'])) as {
      f1: number;
      precision: number;
      recall: number;
      empty_predictions: number;
    };
    return {
      ...scores,
      pagesPerSecond: (pages.length / run.wallMs) * 1000,
      pagesPerCpuSecond: (pages.length / run.cpuMs) * 1000,
    };
  };
  try {
    const kib = pages.reduce((sum, page) => sum + page.html.length, 0) / pages.length / 1024;
    console.log(`extract: ${pages.length} ASB pages (mean ${kib.toFixed(0)} KiB), shared scorer`);
    const oursSummary = summary(ours, 'newsflow');
    const readabilitySummary = summary(readability, 'readability');
    for (const [name, result, run] of [
      ['newsflow', oursSummary, ours],
      ['Readability.js 0.6 + linkedom', readabilitySummary, readability],
    ] as const) {
      console.log(
        `  ${name.padEnd(30)} F1 ${result.f1.toFixed(3)}  P ${result.precision.toFixed(3)}  R ${result.recall.toFixed(3)}  empty ${result.empty_predictions}  ` +
          `${result.pagesPerSecond.toFixed(1)} pages/s, ${result.pagesPerCpuSecond.toFixed(1)} per CPU-s, ${(run.wallMs / pages.length).toFixed(1)} ms/page, peak RSS ${run.peakRssMiB} MiB`,
      );
    }
    console.log(
      `  speed: ${(oursSummary.pagesPerSecond / readabilitySummary.pagesPerSecond).toFixed(1)}× Readability.js + linkedom in the same run ` +
        `(median of ${PASSES} passes each, alternating; first passes ${(pages.length / (oursRuns[0]!.wallMs / 1000)).toFixed(0)} and ` +
        `${(pages.length / (readabilityRuns[0]!.wallMs / 1000)).toFixed(0)} pages/s)`,
    );
    const worst = score(ours, 'newsflow', ['--worst', '10']);
    console.log(worst.slice(worst.indexOf('worst')).trimEnd().replace(/^/gm, '  '));
    benchWcxb(directory, scorer);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * The same on WCXB's 793 development pages (blogs, guides, reviews and news on 700+ sites), beside ASB: a rule fitted
 * to one corpus shows as a gap on the other. Shingle F1 as for ASB, WCXB's own word-bag F1, and trafilatura's snippet
 * F1 on the snippets WCXB marks; per fixed half too.
 */
function benchWcxb(directory: string, scorer: string): void {
  const pages = loadWcxbPages();
  const predictions: Record<string, string> = {};
  for (const page of pages) predictions[page.id] = extractArticle(decodeBytes(page.html).text, page.url).text;
  const truth = JSON.parse(readFileSync(join(CORPORA_DIR, 'extraction/wcxb-dev/ground-truth.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const scoreOf = (ids: string[], metric: string) => {
    // The scorer counts every page of its truth file: each half gets a truth file of its own pages.
    const truthPath = join(directory, `wcxb-truth-${ids.length}.json`);
    writeFileSync(truthPath, JSON.stringify(Object.fromEntries(ids.map((id) => [id, truth[id]]))));
    const path = join(directory, `wcxb-${metric}-${ids.length}.json`);
    writeFileSync(path, JSON.stringify(Object.fromEntries(ids.map((id) => [id, predictions[id]!]))));
    const args = [scorer, truthPath, path, '--bootstrap', '0', '--json', '--metric', metric];
    return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' })) as { f1: number };
  };
  const all = pages.map((page) => page.id);
  const half = (which: 'A' | 'B') => all.filter((id) => halfOf(id) === which);
  console.log(`\nextract: ${pages.length} WCXB dev pages`);
  // snippets: trafilatura's must-include / must-exclude snippets (case-sensitive), on WCXB's `with`/`without`.
  for (const metric of ['shingle', 'wordbag', 'snippets']) {
    const [a, b, whole] = [half('A'), half('B'), all].map((ids) => scoreOf(ids, metric).f1.toFixed(3));
    console.log(`  ${metric.padEnd(8)} F1 ${whole}  (half A ${a}, half B ${b})`);
  }
}
