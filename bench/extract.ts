/**
 * `pnpm bench extract`: extraction quality and speed on the 181 annotated news pages of the ASB corpus, scored by
 * the shared scorer (token 4-gram shingles, as the benchmark's evaluate.py). Prints F1, precision, recall, pages per
 * second on one core (wall and CPU), peak memory and the ten worst pages; runs Readability.js 0.6 on linkedom in
 * the same process as the speed (and quality) yardstick.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { decodeBytes } from '@newsflow/fetch';
import { extractArticle } from '@newsflow/extract';
import { CORPORA_DIR, loadAsbPages, withPeakRss, type AsbPage } from './corpus.ts';

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

export async function benchExtract(): Promise<void> {
  const pages = loadAsbPages();
  // Decoding is the fetcher's work; both extractors get the same decoded text.
  const texts = pages.map((page) => decodeBytes(page.html).text);
  const ours = await timed(pages, texts, (html, url) => extractArticle(html, url).text);
  const readability = await timed(pages, texts, (html) => {
    const { document } = parseHTML(html);
    return (
      new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse()?.textContent ?? ''
    );
  });

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
      `  speed: ${(oursSummary.pagesPerSecond / readabilitySummary.pagesPerSecond).toFixed(1)}× Readability.js + linkedom in the same run`,
    );
    const worst = score(ours, 'newsflow', ['--worst', '10']);
    console.log(worst.slice(worst.indexOf('worst')).trimEnd().replace(/^/gm, '  '));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
